import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")
django_application = get_wsgi_application()

from cameras.push_handler import route_camera_pushes  # noqa: E402 — needs Django set up first

application = route_camera_pushes(django_application)
