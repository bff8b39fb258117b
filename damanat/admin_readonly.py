"""The admin of rows the system writes: staff look at them and add none by hand."""

from __future__ import annotations


class SystemWrittenMixin:
    """Rows only the system creates (alerts, deliveries, tokens, reports): no "add" in the admin.

    For model admins and inlines alike (an inline's check takes the parent object)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdminMixin(SystemWrittenMixin):
    """Records kept as written (the ledger, the audit trail, raw events, passages): view only.

    ``deletable``: staff with the permission may still delete rows. ``changeable``: the change
    page stays, every field read-only, for actions that need the change permission.
    """

    changeable = False
    deletable = False

    def has_change_permission(self, request, obj=None) -> bool:
        return self.changeable and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.deletable and super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        declared = list(super().get_readonly_fields(request, obj))
        if not self.changeable:
            return declared  # Django shows a view-only page
        return [f.name for f in self.model._meta.fields if f.name not in declared] + declared
