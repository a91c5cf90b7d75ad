"""Atom feeds of recent changes, site-wide and per article."""

import re

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article
from articles.revisions import RecentChange, recent_changes

# Characters XML 1.0 cannot carry; Django refuses to write them, failing the whole feed.
XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_safe(value):
    return XML_FORBIDDEN.sub("", value) if isinstance(value, str) else value


class XmlSafeAtom1Feed(Atom1Feed):
    """Atom that drops control characters from stored text (titles, summaries, names)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(xml_safe, args), **{k: xml_safe(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(xml_safe, args), **{k: xml_safe(v) for k, v in kwargs.items()})


def change_link(change: RecentChange) -> str:
    """The diff against the previous revision, or the first revision itself."""
    slug, revision_id = change.article.slug, change.revision.pk
    if change.previous_id is None:
        return reverse("articles:revision", args=[slug, revision_id])
    query = f"?from={change.previous_id}&to={revision_id}"
    return reverse("articles:diff", args=[slug]) + query


class RecentChangesFeed(Feed):
    feed_type = XmlSafeAtom1Feed
    title = gettext_lazy("MiitWiki: recent changes")
    subtitle = gettext_lazy("Every edit to every article, newest first.")

    def link(self):
        return reverse("articles:recent")

    def items(self):
        return recent_changes(Article.objects.published(), limit=50)

    def item_title(self, change):
        summary = change.revision.comment or _("No edit summary")
        return _("%(title)s: %(summary)s") % {"title": change.article.title, "summary": summary}

    def item_description(self, change):
        # Atom sends the description as type="html": readers render it, so escape.
        if change.revision.user:
            return escape(_("Edited by %(user)s.") % {"user": change.revision.user})
        return escape(_("Edited by an unknown editor."))

    def item_link(self, change):
        return change_link(change)

    def item_guid(self, change):
        return f"miitwiki-revision-{change.revision.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.revision.date_created

    def item_updateddate(self, change):
        return change.revision.date_created

    def item_author_name(self, change):
        return str(change.revision.user) if change.revision.user else None


class ArticleHistoryFeed(RecentChangesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Article.objects.published(), slug=slug)

    def title(self, article):
        return _("MiitWiki: history of %(title)s") % {"title": article.title}

    def link(self, article):
        return reverse("articles:history", args=[article.slug])

    def items(self, article):
        return recent_changes([article], limit=50)
