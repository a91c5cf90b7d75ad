"""What each answer of the API holds; drf-spectacular reads the schema from these.

Output only. Links are absolute: `url` is the API's own address of a thing,
`page` the page readers see on the site.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from articles.checks.models import LinkStatus, QuoteState
from articles.diff import ArticleDiff
from articles.ids import MAX_ID
from articles.languages import MAX_TAG_LENGTH, TAG_PATTERN, normalize_tag, validate_language_tag
from articles.linked_data import language_of, license_of
from articles.models import Argument, Article, Debate, Source, translations_in
from articles.reliability.models import Rating, rating_of
from articles.rendering import RenderedArticle
from articles.revisions import ArticleState
from articles.search.results import MAX_PAGE
from articles.templatetags.source_checks import health

# A quotation's states as an API answer gives them ("" is no quotation: null).
QUOTE_STATES = [state for state in QuoteState.values if state] + ["unchecked"]


class Linked(serializers.Serializer):
    """A serializer whose answers link to pages and to other answers, absolutely."""

    def absolute(self, path: str) -> str:
        return self.context["request"].build_absolute_uri(path)

    def api_url(self, name: str, *args) -> str:
        return reverse(f"api:{name}", args=args, request=self.context["request"])


def user_field(source: str) -> serializers.CharField:
    """The user name of whoever saved a revision; null when unknown or deleted."""
    return serializers.CharField(source=source, allow_null=True, default=None)


class RevisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateTimeField(source="date_created")
    user = user_field("user.username")
    comment = serializers.CharField()


class TranslationSerializer(Linked, serializers.ModelSerializer):
    """A published article that translates this one (or that this one translates)."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = ["slug", "title", "language", "url"]

    def get_url(self, article: Article) -> str:
        return self.api_url("article", article.slug)


class ArticleSummarySerializer(Linked, serializers.ModelSerializer):
    language = serializers.SerializerMethodField()
    translations = serializers.SerializerMethodField(
        help_text="Its published translations (read with `with_translations()`)."
    )
    url = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = ["slug", "title", "status", "language", "translations", "created_at",
                  "updated_at", "url", "page"]  # fmt: skip

    def get_language(self, article: Article) -> str:
        return language_of(article)

    @extend_schema_field(TranslationSerializer(many=True))
    def get_translations(self, article: Article) -> list:
        others = [other for other in translations_in(article) if other.pk != article.pk]
        return TranslationSerializer(others, many=True, context=self.context).data

    def get_url(self, article: Article) -> str:
        return self.api_url("article", article.slug)

    def get_page(self, article: Article) -> str:
        return self.absolute(article.get_absolute_url())


class SourceCheckSerializer(serializers.Serializer):
    """Where the source stands after its latest check (articles.checks), as its
    reference on the site shows it."""

    link = serializers.ChoiceField(
        LinkStatus.choices, help_text="Whether its URL answered at the latest check."
    )
    dead_since = serializers.DateTimeField(
        allow_null=True, help_text="When the dead link began failing; null unless dead."
    )
    last_checked = serializers.DateTimeField(
        allow_null=True, help_text="When it was last checked; null if never."
    )
    quote = serializers.ChoiceField(
        QUOTE_STATES,
        allow_null=True,
        help_text="Whether its quotation was found in the page as last checked: "
        "verified, close, not-found, changed (lost since it was verified) or unchecked "
        "(never checked, or edited since); null when the source has no quotation.",
    )


class RatingSerializer(serializers.Serializer):
    """The reliability rating that applies to the source (articles.reliability)."""

    level = serializers.ChoiceField(Rating.Level.choices)
    reason = serializers.CharField()
    link = serializers.URLField(help_text="Where the rating was decided or documented.")
    scope = serializers.ChoiceField(
        ["source", "domain"],
        help_text="`source`: this source's own rating; `domain`: its domain's rating.",
    )
    domain = serializers.CharField(
        allow_null=True, help_text="The registrable domain rated; null for a source's own."
    )


class SourceSerializer(Linked, serializers.ModelSerializer):
    page = serializers.SerializerMethodField()
    check = serializers.SerializerMethodField()
    rating = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = ["key", "title", "authors", "publisher", "date", "url", "archive_url",
                  "accessed", "quote", "notes", "updated_at", "page", "check",
                  "rating"]  # fmt: skip

    def get_page(self, source: Source) -> str:
        return self.absolute(source.get_absolute_url())

    @extend_schema_field(SourceCheckSerializer)
    def get_check(self, source: Source) -> dict:
        """Read with the source (`select_related("status")`): no query of its own."""
        state = health(source)
        status = getattr(source, "status", None)  # none: never checked
        return SourceCheckSerializer(
            {
                "link": state.link,
                "dead_since": state.dead_since,
                "last_checked": status.checked_at if status else None,
                "quote": state.quote or None,
            }
        ).data

    @extend_schema_field(RatingSerializer(allow_null=True))
    def get_rating(self, source: Source) -> dict | None:
        """Read with the source (`select_related("rating", "domain_rating")`)."""
        rating = rating_of(source)
        if rating is None:
            return None
        scope = "source" if rating.source_id else "domain"
        return RatingSerializer(
            {
                "level": rating.level,
                "reason": rating.reason,
                "link": rating.link,
                "scope": scope,
                "domain": rating.domain,
            }  # fmt: skip
        ).data


class CitingSerializer(Linked):
    """A lead, section or argument citing a source, with a link to each citation."""

    article = serializers.CharField(source="place.article.slug")
    kind = serializers.ChoiceField(["lead", "section", "argument"], source="place.kind")
    label = serializers.CharField(source="place.label")
    links = serializers.SerializerMethodField()

    def get_links(self, citing) -> list[str]:
        return [self.absolute(link) for link in citing.links]


class CitedSourceSerializer(SourceSerializer):
    cited_by = serializers.SerializerMethodField()

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "cited_by"]

    @extend_schema_field(CitingSerializer(many=True))
    def get_cited_by(self, source: Source) -> list:
        citing = self.context["citing"][source.key]
        return CitingSerializer(citing, many=True, context=self.context).data


class ArgumentSerializer(serializers.ModelSerializer):
    markdown = serializers.CharField(source="body")

    class Meta:
        model = Argument
        fields = ["id", "slug", "side", "position", "summary", "attributed_to", "responds_to",
                  "markdown"]  # fmt: skip


class DebateSerializer(Linked, serializers.ModelSerializer):
    """A debate with its arguments by side; `responds_to` makes rebuttals."""

    article = serializers.CharField(source="article.slug")
    section = serializers.CharField(source="section.anchor", allow_null=True, default=None)
    supporters = serializers.SerializerMethodField()
    critics = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()

    class Meta:
        model = Debate
        fields = ["id", "slug", "question", "summary", "article", "section", "supporters",
                  "critics", "page"]  # fmt: skip

    def side(self, debate: Debate, side: str) -> list:
        arguments = [a for a in debate.arguments.all() if a.side == side]
        return ArgumentSerializer(arguments, many=True).data

    @extend_schema_field(ArgumentSerializer(many=True))
    def get_supporters(self, debate: Debate) -> list:
        return self.side(debate, Argument.Side.SUPPORTER)

    @extend_schema_field(ArgumentSerializer(many=True))
    def get_critics(self, debate: Debate) -> list:
        return self.side(debate, Argument.Side.CRITIC)

    def get_page(self, debate: Debate) -> str:
        return self.absolute(debate.get_absolute_url())


# --- One article, as it is or was at a revision: markdown and rendered HTML -----


@dataclass
class Document:
    """An article state with its rendering: what the article and revision answers show."""

    state: ArticleState
    rendered: RenderedArticle
    translations: list[Article] = field(default_factory=list)  # published, by language

    @property
    def debates(self) -> list:
        """Every rendered debate, in page order: those of sections, then the others."""
        attached = [debate for section in self.rendered.sections for debate in section.debates]
        return attached + self.rendered.debates


class TextSerializer(serializers.Serializer):
    markdown = serializers.CharField()
    html = serializers.CharField()


class RenderedArgumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="argument.pk")
    slug = serializers.CharField(source="argument.slug")
    side = serializers.ChoiceField(Argument.Side.choices, source="argument.side")
    summary = serializers.CharField(source="argument.summary")
    attributed_to = serializers.CharField(source="argument.attributed_to")
    responds_to = serializers.IntegerField(source="argument.responds_to_id", allow_null=True)
    markdown = serializers.CharField(source="argument.body")
    html = serializers.CharField()


class RenderedDebateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="debate.pk")
    slug = serializers.CharField(source="debate.slug")
    question = serializers.CharField(source="debate.question")
    summary = serializers.CharField(source="debate.summary")
    supporters = RenderedArgumentSerializer(many=True)
    critics = RenderedArgumentSerializer(many=True)


class RenderedSectionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="section.pk")
    anchor = serializers.CharField(source="section.anchor")
    heading = serializers.CharField(source="section.heading")
    level = serializers.IntegerField(source="section.level")
    markdown = serializers.CharField(source="section.body")
    html = serializers.CharField()


class TocEntrySerializer(serializers.Serializer):
    """A line of the table of contents: a section, or a heading inside one."""

    level = serializers.IntegerField()
    anchor = serializers.CharField()
    text = serializers.CharField()
    number = serializers.CharField(help_text="As the page numbers it: 1, 2.1, …")


class ReferenceSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    key = serializers.CharField()
    citations = serializers.SerializerMethodField(help_text="The ids of its citations.")
    source = SourceSerializer()

    def get_citations(self, reference) -> list[str]:
        return [occurrence.anchor for occurrence in reference.occurrences]


class LeadSerializer(serializers.Serializer):
    markdown = serializers.CharField(source="state.article.lead")
    html = serializers.CharField(source="rendered.lead")


class DocumentSerializer(Linked):
    slug = serializers.CharField(source="state.article.slug")
    title = serializers.CharField(source="state.article.title")
    status = serializers.ChoiceField(Article.Status.choices, source="state.article.status")
    language = serializers.SerializerMethodField()
    translations = TranslationSerializer(
        many=True, help_text="The article's published translations, as they are now."
    )
    license = serializers.SerializerMethodField(help_text="The text's own, else the wiki's.")
    source_url = serializers.CharField(
        source="state.article.source_url", help_text="Where an imported text came from."
    )
    attribution = serializers.CharField(source="state.article.attribution")
    updated_at = serializers.DateTimeField(source="state.article.updated_at")
    revision = RevisionSerializer(
        source="state.revision", allow_null=True, help_text="Null for the article as it is now."
    )
    lead = LeadSerializer(source="*")
    toc = TocEntrySerializer(many=True, source="rendered.toc")
    sections = RenderedSectionSerializer(many=True, source="rendered.sections")
    debates = RenderedDebateSerializer(many=True)
    references = ReferenceSerializer(many=True, source="rendered.references")
    missing_keys = serializers.ListField(
        child=serializers.CharField(), source="rendered.missing_keys"
    )
    citations_needed = serializers.IntegerField(source="rendered.citations_needed")
    page = serializers.SerializerMethodField()

    def get_language(self, document: Document) -> str:
        return language_of(document.state.article)

    def get_license(self, document: Document) -> str:
        return license_of(document.state.article)

    def get_page(self, document: Document) -> str:
        article, revision = document.state.article, document.state.revision
        if revision is None:
            return self.absolute(article.get_absolute_url())
        return self.absolute(reverse("articles:revision", args=[article.slug, revision.pk]))


# --- Lists of revisions and changes ---------------------------------------------


class RevisionRow(Linked):
    """What a row of revisions says of its revision: id, date, editor and summary."""

    id = serializers.IntegerField(source="revision.pk")
    date = serializers.DateTimeField(source="revision.date_created")
    user = user_field("revision.user.username")
    comment = serializers.CharField(source="revision.comment")


class HistoryEntrySerializer(RevisionRow):
    """One revision of an article, compared with the one before it."""

    size = serializers.IntegerField(help_text="Characters of lead, headings and sections.")
    size_change = serializers.IntegerField(allow_null=True)
    sections_changed = serializers.ListField(child=serializers.CharField())
    previous = serializers.IntegerField(source="previous_id", allow_null=True)
    url = serializers.SerializerMethodField()

    def get_url(self, entry) -> str:
        return self.api_url("revision", self.context["slug"], entry.revision.pk)


class RecentChangeSerializer(RevisionRow):
    article = serializers.CharField(source="article.slug")
    title = serializers.CharField(source="article.title")
    previous = serializers.IntegerField(source="previous_id", allow_null=True)
    url = serializers.SerializerMethodField()

    def get_url(self, change) -> str:
        return self.api_url("revision", change.article.slug, change.revision.pk)


# --- Differences between revisions, and one section's history -----------------


DIFF_STATUSES = ["added", "removed", "changed", "unchanged"]


class ChangeSerializer(serializers.Serializer):
    op = serializers.ChoiceField(["equal", "insert", "delete"])
    text = serializers.CharField(trim_whitespace=False)


def changes_field(**kwargs) -> serializers.DictField:
    """Changed fields by name, each as runs of equal, inserted and deleted text."""
    return serializers.DictField(child=ChangeSerializer(many=True), **kwargs)


class ItemDiffSerializer(serializers.Serializer):
    """A section, debate or argument compared across two revisions, matched by id."""

    id = serializers.IntegerField(source="current.pk")
    status = serializers.ChoiceField(DIFF_STATUSES)
    moved = serializers.BooleanField()
    changed = changes_field(source="fields")  # `fields` is taken by the serializer itself


class ArgumentDiffSerializer(ItemDiffSerializer):
    slug = serializers.CharField(source="current.slug")


class SectionDiffSerializer(ItemDiffSerializer):
    anchor = serializers.CharField(source="current.anchor")
    heading = serializers.CharField(source="current.heading")


class DebateDiffSerializer(ItemDiffSerializer):
    slug = serializers.CharField(source="current.slug")
    arguments = ArgumentDiffSerializer(many=True, source="children")


@dataclass
class Comparison:
    old: ArticleState
    new: ArticleState
    diff: ArticleDiff


class ArticleDiffSerializer(serializers.Serializer):
    """Two revisions compared section by section (`changed`: the title and lead)."""

    old = RevisionSerializer(source="old.revision")
    new = RevisionSerializer(source="new.revision")
    changed = changes_field(source="diff.fields")
    sections = SectionDiffSerializer(many=True, source="diff.sections")
    debates = DebateDiffSerializer(many=True, source="diff.debates")
    sources_added = serializers.ListField(
        child=serializers.CharField(), source="diff.sources_added"
    )
    sources_removed = serializers.ListField(
        child=serializers.CharField(), source="diff.sources_removed"
    )


class DiffQuerySerializer(serializers.Serializer):
    """`?from=…&to=…`: two revision ids, the older first (`from` is a Python keyword)."""

    def get_fields(self) -> dict:
        return {
            name: serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=text)
            for name, text in (("from", "The older revision."), ("to", "The newer revision."))
        }

    def validate(self, data: dict) -> dict:
        if data["from"] > data["to"]:
            raise serializers.ValidationError("“from” must be the older revision.")
        return data


class SectionStateSerializer(serializers.Serializer):
    heading = serializers.CharField()
    level = serializers.IntegerField()
    anchor = serializers.CharField()
    body = serializers.CharField(trim_whitespace=False)


class SectionChangeSerializer(serializers.Serializer):
    """A revision that added, edited or deleted the section (`after` null: deleted)."""

    revision = RevisionSerializer()
    before = SectionStateSerializer(allow_null=True)
    after = SectionStateSerializer(allow_null=True)
    changes = changes_field()


class LanguageQuerySerializer(serializers.Serializer):
    """`?language=…`: articles in one language, a BCP 47 tag (`zh-hans` reads as `zh-Hans`)."""

    language = serializers.RegexField(
        TAG_PATTERN,
        required=False,
        max_length=MAX_TAG_LENGTH,
        help_text="A BCP 47 language tag: en, zh-Hans, zh-Hant…",
        error_messages={
            "invalid": gettext_lazy("Not a BCP 47 language tag (examples: en, zh-Hans, pt-BR).")
        },
    )

    def validate_language(self, value: str) -> str:
        tag = normalize_tag(value)
        try:
            validate_language_tag(tag)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return tag


class PeriodSerializer(serializers.Serializer):
    """`?since=…&until=…`: a period, as dates or ISO 8601 times (UTC unless given)."""

    since = serializers.DateTimeField(required=False, input_formats=["iso-8601", "%Y-%m-%d"])
    until = serializers.DateTimeField(required=False, input_formats=["iso-8601", "%Y-%m-%d"])


# --- Search ---------------------------------------------------------------------


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=500, allow_blank=True, help_text="What to look for.")
    page = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, default=1)


class SearchResultSerializer(Linked):
    kind = serializers.ChoiceField(["article", "section", "argument", "source"])
    label = serializers.CharField()
    title = serializers.CharField(help_text="HTML: escaped text, matches in <mark>.")
    snippet = serializers.CharField(help_text="HTML: escaped text, matches in <mark>.")
    page = serializers.SerializerMethodField()
    context = serializers.CharField()

    def get_page(self, result) -> str:
        return self.absolute(result.url)


class SearchPageSerializer(serializers.Serializer):
    query = serializers.CharField()
    page = serializers.IntegerField()
    has_next = serializers.BooleanField()
    results = SearchResultSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    detail = serializers.CharField()
