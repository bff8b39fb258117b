app_name = "detectors"

urlpatterns: list = []
