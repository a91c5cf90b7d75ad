"""The register in the admin: Editors add, change and delete ratings; every save is
a django-reversion revision, so a rating's history and reasons are kept."""

from django.contrib import admin
from django.utils.translation import gettext_lazy
from reversion.admin import VersionAdmin

from articles.models import Rating


@admin.register(Rating)
class RatingAdmin(VersionAdmin):
    list_display = ["subject", "level", "updated_at"]
    list_filter = ["level"]
    search_fields = ["domain", "source__key", "source__title", "reason"]
    fields = ["domain", "source", "level", "reason", "link"]
    list_select_related = ["source"]

    @admin.display(description=gettext_lazy("rates"), ordering="domain")
    def subject(self, rating) -> str:
        return rating.domain or f"[@{rating.source.key}]"
