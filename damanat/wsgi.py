import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "damanat.settings")
django_application = get_wsgi_application()

from damanat.body_deadline import bound_body_reads  # noqa: E402 — needs Django set up first

application = bound_body_reads(django_application, settings.WEB_BODY_READ_SECONDS)
