app_name = "anpr"

urlpatterns: list = []
