from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DetectorsConfig(AppConfig):
    name = "detectors"
    verbose_name = _("AI detectors")
