"""The admin's date drill-down (`date_hierarchy`: django-axes' login records use it)
refusing a year beyond the calendar as the admin refuses any other bad filter.

Django's changelist sends `?attempt_time__year=abc` to its "?e=1" page, but a year
no datetime holds (2**63: OverflowError) or whose end is out of range (9999: the
drill-down ends at the start of year 10000) escapes as a 500.
"""

from django.apps import apps
from django.contrib.admin import AdminSite
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


class BoundedDateChangeList(ChangeList):
    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


class BoundedDateAdmin:
    def get_changelist(self, request, **kwargs):
        return BoundedDateChangeList


def bound_date_hierarchies(site: AdminSite) -> None:
    """Re-register each admin of `site` that has a date drill-down (those of other
    apps included) with the bounded changelist."""
    for model in apps.get_models():
        model_admin = site.get_model_admin(model) if site.is_registered(model) else None
        if (
            model_admin
            and model_admin.date_hierarchy
            and not isinstance(model_admin, BoundedDateAdmin)
        ):
            bounded = type(type(model_admin).__name__, (BoundedDateAdmin, type(model_admin)), {})
            site.unregister(model)
            site.register(model, bounded)
