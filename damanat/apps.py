from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DamanatConfig(AppConfig):
    name = "damanat"
    verbose_name = _("Damanat")

    def ready(self) -> None:
        from django.contrib import admin

        from . import admin_actions, beat, language, log_scrub, roles

        log_scrub.install()
        admin.site.site_header = _("Damanat administration")
        admin.site.site_title = _("Damanat")
        admin.site.index_title = _("Facility administration")
        # The app list sits on the index page; in a sidebar it costs lists 300 px at 1400.
        admin.site.enable_nav_sidebar = False

        beat.install()
        post_migrate.connect(roles.apply_roles_after_migrate, dispatch_uid="damanat.roles")
        language.connect_signals()
        admin_actions.require_change_for_undeclared_actions()
