app_name = "parking"

urlpatterns: list = []
