from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DamanatConfig(AppConfig):
    name = "damanat"
    verbose_name = _("Damanat")

    def ready(self) -> None:
        from . import admin_actions, beat, language, log_scrub, roles

        log_scrub.install()
        beat.install()
        post_migrate.connect(roles.apply_roles_after_migrate, dispatch_uid="damanat.roles")
        language.connect_signals()
        admin_actions.require_change_for_undeclared_actions()
