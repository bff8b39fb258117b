from django.apps import AppConfig


class DamanatConfig(AppConfig):
    name = "damanat"
    verbose_name = "Damanat"

    def ready(self) -> None:
        from . import beat

        beat.install()
