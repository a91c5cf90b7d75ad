"""What django-reversion stored: the state of an article at a revision.

A revision of an article holds the article and, through `follow`, all its
sections, debates and arguments, so any revision can be read back whole.
"""

import json
from dataclasses import dataclass
from types import SimpleNamespace

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.formats import date_format
from reversion.models import Revision, Version

from articles.diff import SECTION_DIFF_FIELDS, changed_fields
from articles.models import Argument, Article, Debate, Section


def latest_revision_id(article) -> int:
    """The newest revision holding `article`, or 0 when it has none yet."""
    if article is None or article.pk is None:
        return 0
    return (
        Version.objects.get_for_object(article)
        .order_by("-revision_id")
        .values_list("revision_id", flat=True)
        .first()
        or 0
    )


def saved_fields(revision_id: int, model) -> dict[int, dict]:
    """Field values of every `model` object saved in a revision, by primary key."""
    versions = Version.objects.get_for_model(model).filter(revision_id=revision_id)
    return {int(version.object_id): version.field_dict for version in versions}


@dataclass
class DebateState:
    """A debate with its arguments as a list (historic debates have no live relations)."""

    debate: Debate
    arguments: list[Argument]

    def __getattr__(self, name):
        return getattr(self.debate, name)


@dataclass
class ArticleState:
    """An article with its sections and debates, as it is now or was at a revision."""

    article: Article
    sections: list[Section]
    debates: list[DebateState]
    revision: Revision | None = None

    def texts(self) -> list[str]:
        """Every markdown text, in citation-numbering order."""
        arguments = [a.body for d in self.debates for a in ordered_for_reading(d.arguments)]
        return [self.article.lead, *(s.body for s in self.sections), *arguments]

    @property
    def size(self) -> int:
        return text_size(self.article.lead, self.sections)


def text_size(lead: str, sections) -> int:
    """Characters of article text: lead, headings and section bodies."""
    return len(lead) + sum(len(s.heading) + len(s.body) for s in sections)


def ordered_for_reading(arguments: list[Argument]) -> list[Argument]:
    """Supporters before critics, each by position, as the page shows them."""
    return sorted(arguments, key=lambda a: (a.side != Argument.Side.SUPPORTER, a.position, a.pk))


def current_state(article: Article) -> ArticleState:
    debates = article.debates.prefetch_related("arguments")
    return ArticleState(
        article,
        list(article.sections.all()),
        [DebateState(debate, list(debate.arguments.all())) for debate in debates],
    )


def by_position(items: list) -> list:
    return sorted(items, key=lambda item: (item.position, item.pk))


def build_state(
    article_id: int, revision: Revision, versions: list[Version]
) -> ArticleState | None:
    """The article as stored in one revision's versions; None if it is not in them."""
    objects: dict[type, list] = {}
    for version in versions:
        model = version._model
        objects.setdefault(model, []).append(model(**version.field_dict))
    article = next((a for a in objects.get(Article, []) if a.pk == article_id), None)
    if article is None:
        return None
    debates = by_position([d for d in objects.get(Debate, []) if d.article_id == article_id])
    arguments = objects.get(Argument, [])
    return ArticleState(
        article,
        by_position([s for s in objects.get(Section, []) if s.article_id == article_id]),
        [
            DebateState(debate, by_position([a for a in arguments if a.debate_id == debate.pk]))
            for debate in debates
        ],
        revision,
    )


def states_at(article: Article, revision_ids: list[int]) -> dict[int, ArticleState]:
    """The article at each of these revisions, read in one query."""
    versions: dict[int, list[Version]] = {}
    query = Version.objects.filter(revision_id__in=revision_ids).select_related("revision__user")
    for version in query.order_by("pk"):
        versions.setdefault(version.revision_id, []).append(version)
    states = {
        revision_id: build_state(article.pk, group[0].revision, group)
        for revision_id, group in versions.items()
    }
    return {pk: state for pk, state in states.items() if state is not None}


def state_at(article: Article, revision_id: int) -> ArticleState | None:
    return states_at(article, [revision_id]).get(revision_id)


@dataclass
class HistoryEntry:
    """One revision in an article's history, compared with the revision before it."""

    revision: Revision
    size: int
    size_change: int | None
    sections_changed: list[str]
    previous_id: int | None


def sections_changed(old, new) -> list[str]:
    """Headings of sections added, removed or edited between two states."""
    if old is None:
        return [section.heading for section in new.sections]
    before = {s.pk: (s.heading, s.level, s.anchor, s.body) for s in old.sections}
    after = {s.pk: (s.heading, s.level, s.anchor, s.body) for s in new.sections}
    names = [s.heading for s in new.sections if before.get(s.pk) != after[s.pk]]
    return names + [s.heading for s in old.sections if s.pk not in after]


def neighbour_revision_id(article: Article, revision_id: int, *, older: bool) -> int | None:
    """The revision of `article` just before (older) or just after this one."""
    versions = Version.objects.get_for_object(article)
    if older:
        versions = versions.filter(revision_id__lt=revision_id).order_by("-revision_id")
    else:
        versions = versions.filter(revision_id__gt=revision_id).order_by("revision_id")
    return versions.values_list("revision_id", flat=True).first()


def previous_revision_id(article: Article, revision_id: int) -> int | None:
    return neighbour_revision_id(article, revision_id, older=True)


def next_revision_id(article: Article, revision_id: int) -> int | None:
    return neighbour_revision_id(article, revision_id, older=False)


def outlines_at(article: Article, revision_ids: list[int]) -> dict[int, SimpleNamespace]:
    """Size and sections of the article at each revision, read straight from the
    stored JSON: the history page needs no model instances, which keeps it fast."""
    types = ContentType.objects.get_for_models(Article, Section)
    rows = Version.objects.filter(
        revision_id__in=revision_ids, content_type__in=types.values()
    ).values_list("revision_id", "content_type_id", "serialized_data")
    leads, sections = {}, {}
    parsed = {}  # a section unchanged between revisions is stored as the same text
    for revision_id, type_id, data in rows:
        if data not in parsed:
            parsed[data] = json.loads(data)[0]
        stored = parsed[data]
        fields = stored["fields"]
        if type_id == types[Article].pk and stored["pk"] == article.pk:
            leads[revision_id] = fields["lead"]
        elif type_id == types[Section].pk and fields["article"] == article.pk:
            sections.setdefault(revision_id, []).append(SimpleNamespace(pk=stored["pk"], **fields))
    return {
        revision_id: SimpleNamespace(
            size=text_size(lead, sections.get(revision_id, [])),
            sections=by_position(sections.get(revision_id, [])),
        )
        for revision_id, lead in leads.items()
    }


def history_entries(article: Article, revisions: list[Revision]) -> list[HistoryEntry]:
    """Entries for a page of revisions (newest first), in a constant number of queries."""
    if not revisions:
        return []
    before_page = previous_revision_id(article, revisions[-1].pk)
    states = outlines_at(article, [revision.pk for revision in revisions] + [before_page])
    entries = []
    for index, revision in enumerate(revisions):
        previous_id = revisions[index + 1].pk if index + 1 < len(revisions) else before_page
        state, previous = states[revision.pk], states.get(previous_id)
        entries.append(
            HistoryEntry(
                revision,
                state.size,
                state.size - previous.size if previous else None,
                sections_changed(previous, state),
                previous_id,
            )
        )
    return entries


def revert_article(article: Article, revision: Revision, *, user, summary: str = "") -> None:
    """Restore `article` exactly as it was at `revision`, as a new revision.

    Sections, debates and arguments added since are deleted, deleted ones come
    back; the row lock makes concurrent reverts and saves wait their turn.
    """
    with transaction.atomic(), reversion.create_revision():
        Article.objects.locked(article.pk)
        revision.revert(delete=True)
        Article.objects.get(pk=article.pk).save(update_fields=["updated_at"])
        when = date_format(revision.date_created, "j F Y, H:i")
        comment = f"Reverted to revision {revision.pk} of {when}"
        reversion.set_comment(f"{comment}: {summary}" if summary else comment)
        reversion.set_user(user)


@dataclass
class RecentChange:
    revision: Revision
    article: Article
    previous_id: int | None


def previous_version(field: str) -> Subquery:
    """`field` of the version of the same object stored just before, per row of a
    Version query."""
    previous = Version.objects.filter(
        content_type=OuterRef("content_type"),
        object_id=OuterRef("object_id"),
        revision_id__lt=OuterRef("revision_id"),
    ).order_by("-revision_id")
    return Subquery(previous.values(field)[:1])


def recent_versions(article_ids) -> QuerySet:
    """The versions of these articles (ids as text, as reversion stores them), newest
    first, each annotated with the revision before it as `previous_id`."""
    return (
        Version.objects.get_for_model(Article)
        .filter(object_id__in=article_ids)
        .select_related("revision__user")
        .annotate(previous_id=previous_version("revision_id"))
        .order_by("-revision_id")
    )


def changes_of(versions, by_id: dict[str, Article]) -> list[RecentChange]:
    """Recent changes from `recent_versions` rows and their articles by id (as text)."""
    return [RecentChange(v.revision, by_id[v.object_id], v.previous_id) for v in versions]


def recent_changes(articles, limit: int = 50) -> list[RecentChange]:
    """The newest revisions of these articles, each with the revision before it."""
    by_id = {str(article.pk): article for article in articles}
    return changes_of(recent_versions(by_id)[:limit], by_id)


@dataclass
class SectionChange:
    """A revision that changed one section: its state before (None when new) and after."""

    revision: Revision
    before: dict | None
    after: dict | None  # None: the section was deleted in this revision

    @property
    def changes(self) -> dict:
        empty = dict.fromkeys(SECTION_DIFF_FIELDS, "")
        return changed_fields(
            SimpleNamespace(**(self.before or empty)),
            SimpleNamespace(**(self.after or empty)),
            SECTION_DIFF_FIELDS,
        )


@dataclass
class SectionHistory:
    section_id: int
    entries: list[SectionChange]  # newest first


def section_fields(version: Version) -> dict:
    # The stored JSON is enough to compare sections; no model instances needed.
    return json.loads(version.serialized_data)[0]["fields"]


def find_section_id(article: Article, anchor: str) -> int | None:
    """The section with this anchor now or, failing that, in any stored revision."""
    current = Section.objects.filter(article=article, anchor=anchor).values_list("pk", flat=True)
    if current:
        return current[0]
    stored = Version.objects.get_for_model(Section).filter(
        serialized_data__contains=f'"anchor": {json.dumps(anchor)}'
    )
    for version in stored.order_by("-revision_id"):
        fields = section_fields(version)
        if fields["article"] == article.pk and fields["anchor"] == anchor:
            return int(version.object_id)
    return None


def section_versions(section_id: int) -> QuerySet:
    """The stored versions of one section, newest first, each annotated with the
    stored data of the version before it (`previous_data`): a page of them is
    compared in one query, however long the history."""
    return (
        Version.objects.get_for_object_reference(Section, section_id)
        .select_related("revision__user")
        .annotate(previous_data=previous_version("serialized_data"))
        .order_by("-revision_id")
    )


def compared_fields(serialized_data: str | None) -> dict | None:
    if serialized_data is None:
        return None
    fields = json.loads(serialized_data)[0]["fields"]
    return {name: fields[name] for name in SECTION_DIFF_FIELDS}


def section_changes(versions) -> list[SectionChange]:
    """The changes among `versions` (of `section_versions`), newest first: a move
    alone is no change of the section."""
    entries = []
    for version in versions:
        before, after = (
            compared_fields(version.previous_data),
            compared_fields(version.serialized_data),
        )
        if after != before:
            entries.append(SectionChange(version.revision, before, after))
    return entries


def section_deletion(article: Article, section_id: int, newest) -> SectionChange | None:
    """The revision that deleted the section, if it is gone; `newest`: its newest
    stored version."""
    if Section.objects.filter(pk=section_id).exists():
        return None
    deleted_in = (
        Version.objects.get_for_object(article)
        .filter(revision_id__gt=newest.revision_id)
        .select_related("revision__user")
        .order_by("revision_id")
        .first()
    )
    if deleted_in is None:
        return None
    return SectionChange(deleted_in.revision, compared_fields(newest.serialized_data), None)


def section_history(article: Article, anchor: str) -> SectionHistory | None:
    """Every revision in which one section was added, edited or deleted."""
    section_id = find_section_id(article, anchor)
    if section_id is None:
        return None
    versions = list(section_versions(section_id))
    entries = section_changes(versions)
    if versions and (deleted := section_deletion(article, section_id, versions[0])):
        entries.insert(0, deleted)
    return SectionHistory(section_id, entries)
