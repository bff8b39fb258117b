"""Create the staff role groups and give them the permissions that exist so far.

Django creates permissions after migrations run, so on a fresh database the groups
start almost empty here; the post_migrate hook (damanat.roles.apply_roles_after_migrate)
applies the same map once the permissions exist, and again whenever new models arrive.
"""
from django.db import migrations


def create_roles(apps, schema_editor):
    from damanat.roles import apply_roles

    apply_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    from damanat.roles import ROLES

    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("damanat", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
