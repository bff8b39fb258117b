"""API permissions: authenticated, and the Django model permission for the action.

A viewset with a queryset gets view/add/change/delete checks from its model. An
APIView without one declares ``required_permissions`` — a mapping from HTTP method
to permission codenames; a view that declares nothing is refused (secure by default).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.permissions import DjangoModelPermissions

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

READ_METHODS = ("GET", "HEAD", "OPTIONS")


class ModelPermissions(DjangoModelPermissions):
    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        required = getattr(view, "required_permissions", None)
        if required is not None:
            perms = required.get(request.method, required.get("*", None))
            if perms is None and request.method in READ_METHODS:
                perms = required.get("GET")
            return perms is not None and user.has_perms(perms)
        if getattr(view, "queryset", None) is None and not hasattr(view, "get_queryset"):
            return False
        return super().has_permission(request, view)
