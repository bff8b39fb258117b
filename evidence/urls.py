from rest_framework.routers import SimpleRouter

from .api.views import EvidenceExportViewSet

app_name = "evidence"

router = SimpleRouter(trailing_slash="/?")  # POST /api/v1/evidence and /api/v1/evidence/
router.register("evidence", EvidenceExportViewSet, basename="export")

urlpatterns = router.urls
