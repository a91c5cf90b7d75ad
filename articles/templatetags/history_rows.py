"""The rows of an article's history table.

Built in Python rather than as a template loop: a page shows up to 50 rows, and
as a template each row cost about half a millisecond (three URL reversals, two
date formats, a dozen variable look-ups), most of what the whole page cost. Here
the URLs are reversed once per page and a row is one `format_html`.
"""

from collections.abc import Callable

from django import template
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

register = template.Library()

PLACEHOLDER = 987654321
ROW = (
    "<tr>"
    '<td><input type="radio" name="from" value="{pk}" aria-label="{from_label}"'
    "{from_checked}></td>"
    '<td><input type="radio" name="to" value="{pk}" aria-label="{to_label}"'
    "{to_checked}></td>"
    '<td><a href="{url}"><time datetime="{iso}">{when}</time></a>{previous}</td>'
    "<td>{user}</td>"
    '<td class="summary">{comment}</td>'
    '<td class="size">{size}{size_change}</td>'
    '<td class="sections-changed">{sections}</td>'
    "{revert}"
    "</tr>"
)


def numbered_url(name: str, slug: str) -> Callable[[int], str]:
    """reverse(name, args=[slug, n]) for any n, at the price of one reversal."""
    prefix, suffix = reverse(name, args=[slug, PLACEHOLDER]).rsplit(str(PLACEHOLDER), 1)
    return lambda n: f"{prefix}{n}{suffix}"


def size_change(change: int | None) -> str:
    if change is None:
        return ""
    kind = "plus" if change > 0 else "minus" if change < 0 else ""
    return format_html(
        ' <span class="size-change {}">({}{})</span>', kind, "+" * (change > 0), change
    )


@register.simple_tag
def history_rows(entries, page, slug: str, can_revert: bool) -> str:
    """Newest first; the two newest are preselected for comparison, and any row but
    the article's current revision can be reverted to."""
    revision_url = numbered_url("articles:revision", slug)
    revert_url = numbered_url("articles:revert", slug)
    diff_url = reverse("articles:diff", args=[slug])
    # Looked up once per page: the interface language's words and date format.
    when_format = get_format("SHORT_DATETIME_FORMAT")
    from_label, to_label = _("Compare from revision %(pk)s"), _("Compare to revision %(pk)s")
    revert_text, previous_text = _("revert to this"), _("prev")

    def cells(index, entry):
        pk, created = entry.revision.pk, localtime(entry.revision.date_created)
        current = index == 0 and page.number == 1
        revert = ""
        if can_revert:
            link = (
                "" if current else format_html('<a href="{}">{}</a>', revert_url(pk), revert_text)
            )
            revert = format_html("<td>{}</td>", link)
        previous = ""
        if entry.previous_id:
            previous = format_html(
                ' <a class="muted" href="{}?from={}&amp;to={}">{}</a>',
                diff_url,
                entry.previous_id,
                pk,
                previous_text,
            )
        return {
            "pk": pk,
            "from_label": from_label % {"pk": pk},
            "to_label": to_label % {"pk": pk},
            "from_checked": " checked" if index == 1 or len(entries) == 1 else "",
            "to_checked": " checked" if index == 0 else "",
            "url": revision_url(pk),
            "iso": created.isoformat(),
            "when": format_date(created, when_format),
            "previous": previous,
            "user": entry.revision.user or "—",
            "comment": entry.revision.comment or "—",
            "size": entry.size,
            "size_change": size_change(entry.size_change),
            "sections": ", ".join(entry.sections_changed) or "—",
            "revert": revert,
        }

    return format_html_join("\n", ROW, (cells(index, e) for index, e in enumerate(entries)))
