"""The source admin's actions: check now, save to the web archive, and what the
change form shows of a source's checks."""

from django.contrib import admin, messages
from django.template.loader import render_to_string
from django.utils.translation import gettext, gettext_lazy

from articles.checks.archive import ArchiveError, save_to_web_archive
from articles.checks.models import SourceCheck
from articles.checks.queue import check_soon

HISTORY_SHOWN = 10


@admin.action(
    description=gettext_lazy("Check now (link, snapshot, quotation)"), permissions=["change"]
)
def check_now(modeladmin, request, queryset):
    ids = list(queryset.values_list("pk", flat=True))
    if check_soon(ids):
        modeladmin.message_user(
            request,
            gettext("%(count)d source(s) queued for checking; results appear shortly.")
            % {"count": len(ids)},
        )
    else:
        modeladmin.message_user(
            request,
            gettext("%(count)d source(s) checked.") % {"count": len(ids)},
        )


@admin.action(description=gettext_lazy("Save to the web archive"), permissions=["change"])
def save_to_archive(modeladmin, request, queryset):
    for source in queryset:
        try:
            copy = save_to_web_archive(source, request.user)
        except ArchiveError as error:
            modeladmin.message_user(request, f"{source.key}: {error}", messages.ERROR)
        else:
            modeladmin.message_user(
                request, gettext("%(key)s: archived at %(url)s") % {"key": source.key, "url": copy}
            )


def check_history(source) -> str:
    """The latest checks of a source, for its change form."""
    if source.pk is None:
        return "—"
    checks = SourceCheck.objects.filter(source=source).select_related("snapshot")
    return render_to_string(
        "articles/includes/check_history.html", {"checks": checks[:HISTORY_SHOWN]}
    )
