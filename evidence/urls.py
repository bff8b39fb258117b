from django.urls import path
from rest_framework.routers import SimpleRouter

from .api.views import EvidenceExportViewSet

app_name = "evidence"

router = SimpleRouter(trailing_slash=False)
router.register("evidence", EvidenceExportViewSet, basename="export")

urlpatterns = [
    *router.urls,
    # The same list with the slash integrators tend to write (POST cannot follow a redirect).
    path(
        "evidence/",
        EvidenceExportViewSet.as_view({"get": "list", "post": "create"}, schema=None),
        name="export-list-slash",
    ),
]
