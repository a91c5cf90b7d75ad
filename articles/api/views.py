"""The API's endpoints: fetch -> call -> serialize, like the site's views.

Anonymous clients see published articles only, through the same page cache and
conditional GET as the pages (`articles.caching`): an ETag and Last-Modified
from the page's stamp, 304, stored answers. Editors, with a token or their
session, see drafts too, always fresh.
"""

from functools import cached_property, wraps

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.views import APIView
from reversion.models import Version

from articles.api import pagination, serializers
from articles.caching import cached_page
from articles.diff import diff_states
from articles.ids import MAX_ID
from articles.models import Article, Debate, Source
from articles.permissions import is_editor
from articles.rendering import render_article
from articles.revisions import (
    changes_of,
    current_state,
    find_section_id,
    history_entries,
    recent_versions,
    section_changes,
    section_deletion,
    section_versions,
    state_at,
    states_at,
)
from articles.search.results import search
from articles.sources import citations_by_key
from articles.stamps import article_stamp, wiki_stamp
from articles.translations import published_translations_of

SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, description="The article's slug.")
ANCHOR = OpenApiParameter("anchor", str, OpenApiParameter.PATH, description="A section's anchor.")
REVISION_ID = OpenApiParameter(
    "revision_id",
    {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    OpenApiParameter.PATH,
)


def readable_articles(user):
    return Article.objects.all() if is_editor(user) else Article.objects.published()


def in_period(queryset, request, field: str):
    """`queryset` narrowed to `?since=` (inclusive) and `?until=` (exclusive) on `field`."""
    period = serializers.PeriodSerializer(data=request.query_params)
    period.is_valid(raise_exception=True)
    bounds = {"since": f"{field}__gte", "until": f"{field}__lt"}
    return queryset.filter(**{bounds[name]: value for name, value in period.validated_data.items()})


class Answered(Exception):
    """An error answer made by a view, carried out of `cached_page` so that it is
    neither stored nor given validators (a 429 must not be cached anywhere)."""

    def __init__(self, response):
        self.response = response


class Cached:
    """Mixin of every endpoint, routed with `as_cached_view()`."""

    stamp_of = staticmethod(wiki_stamp)

    @classmethod
    def as_cached_view(cls):
        """The view for the URLconf. Clients sending credentials (a token or a
        session) reach the view itself, and their answers are never stored: editors
        see drafts. Everyone else goes through `cached_page` first, so a stored
        answer or a 304 costs what a page's does, without REST framework or the
        rate limit's check (two round trips to the shared cache, dearer than the
        answer): only answers that are made count against the limit."""
        view = cls.as_view()

        def published(request, stamp, **kwargs):
            response = view(request, **kwargs).render()
            if response.status_code >= 400:
                raise Answered(response)
            return response

        published.__name__ = cls.__name__  # in the stamp: each endpoint its own ETags
        published = cached_page(cls.stamp_of)(published)

        @wraps(view)
        def api_view(request, **kwargs):
            if "HTTP_AUTHORIZATION" in request.META or request.user.is_authenticated:
                response = view(request, **kwargs)
                add_never_cache_headers(response)
                return response
            try:
                return published(request, **kwargs)
            except Answered as answered:
                return answered.response
            except Http404 as missing:  # raised by the stamp, before the view
                return JsonResponse({"status": 404, "detail": str(missing)}, status=404)

        return api_view


def in_language(queryset, request):
    """`queryset` narrowed to `?language=` (a BCP 47 tag), when given."""
    query = serializers.LanguageQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    language = query.validated_data.get("language")
    return queryset.filter(language=language) if language else queryset


@extend_schema(parameters=[serializers.PeriodSerializer, serializers.LanguageQuerySerializer])
class ArticleList(Cached, ListAPIView):
    """Articles by slug, with their translations; `since` and `until` bound when they
    last changed, `language` picks one language."""

    serializer_class = serializers.ArticleSummarySerializer
    pagination_class = pagination.Cursor

    def get_queryset(self):
        articles = in_period(readable_articles(self.request.user), self.request, "updated_at")
        return in_language(articles, self.request).with_translations()


class ArticleDetail(Cached, RetrieveAPIView):
    """An article as it is: lead and sections as markdown and HTML, debates, references."""

    stamp_of = staticmethod(article_stamp)
    serializer_class = serializers.DocumentSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return readable_articles(self.request.user)

    def get_object(self) -> serializers.Document:
        state = current_state(super().get_object())
        translations = published_translations_of(state.article)
        return serializers.Document(state, render_article(state), translations)


class ArticleViewMixin:
    """For views of one article's parts: the article of the URL, if the client may read it."""

    @cached_property
    def article(self) -> Article:
        return get_object_or_404(readable_articles(self.request.user), slug=self.kwargs["slug"])


@extend_schema(parameters=[SLUG, serializers.PeriodSerializer])
class RevisionList(Cached, ArticleViewMixin, ListAPIView):
    """The revisions of an article, newest first, each compared with the one before;
    `since` and `until` bound when they were saved."""

    stamp_of = staticmethod(article_stamp)
    serializer_class = serializers.HistoryEntrySerializer
    pagination_class = pagination.NewestRevisionFirst

    def get_queryset(self):
        versions = Version.objects.get_for_object(self.article).select_related("revision__user")
        return in_period(versions, self.request, "revision__date_created")

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "slug": self.kwargs["slug"]}

    def list(self, request, *args, **kwargs):
        versions = self.paginate_queryset(self.get_queryset())
        entries = history_entries(self.article, [version.revision for version in versions])
        return self.get_paginated_response(self.get_serializer(entries, many=True).data)


@extend_schema(parameters=[SLUG, REVISION_ID])
class RevisionDetail(Cached, ArticleViewMixin, RetrieveAPIView):
    """The article exactly as it was at one revision (what its permalink page shows)."""

    stamp_of = staticmethod(article_stamp)
    serializer_class = serializers.DocumentSerializer

    def get_object(self) -> serializers.Document:
        state = state_at(self.article, self.kwargs["revision_id"])
        if state is None:
            raise Http404("This article has no such revision.")
        translations = published_translations_of(self.article)
        return serializers.Document(state, render_article(state), translations)


@extend_schema(parameters=[SLUG, serializers.DiffQuerySerializer])
class RevisionDiff(Cached, ArticleViewMixin, RetrieveAPIView):
    """Two revisions compared section by section, debate by debate, word by word."""

    stamp_of = staticmethod(article_stamp)
    serializer_class = serializers.ArticleDiffSerializer

    def get_object(self) -> serializers.Comparison:
        query = serializers.DiffQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        states = states_at(self.article, [query.validated_data["from"], query.validated_data["to"]])
        old, new = (states.get(query.validated_data[name]) for name in ("from", "to"))
        if old is None or new is None:
            raise Http404("This article has no such revision.")
        return serializers.Comparison(old, new, diff_states(old, new))


@extend_schema(parameters=[SLUG, ANCHOR])
class SectionHistory(Cached, ArticleViewMixin, ListAPIView):
    """Every revision that added, edited or deleted one section, newest first, a
    page at a time (a revision that only moved it is left out, so a page may hold
    fewer entries than `limit`)."""

    stamp_of = staticmethod(article_stamp)
    serializer_class = serializers.SectionChangeSerializer
    pagination_class = pagination.SectionChanges

    @cached_property
    def section_id(self) -> int:
        section_id = find_section_id(self.article, self.kwargs["anchor"])
        if section_id is None:
            raise Http404("This article has never had a section with that anchor.")
        return section_id

    def get_queryset(self):
        return section_versions(self.section_id)

    def list(self, request, *args, **kwargs):
        versions = self.paginate_queryset(self.get_queryset())
        deleted = None
        if versions and not self.paginator.has_previous:  # the newest page
            deleted = section_deletion(self.article, self.section_id, versions[0])
        entries = [deleted] if deleted else []
        entries += section_changes(versions)
        return self.get_paginated_response(self.get_serializer(entries, many=True).data)


class SourceList(Cached, ListAPIView):
    """The source library by key, each source with the published texts citing it."""

    # Each with its check status and rating, in the same query.
    queryset = Source.objects.with_standing()
    serializer_class = serializers.CitedSourceSerializer
    pagination_class = pagination.ByKey

    def list(self, request, *args, **kwargs):
        sources = self.paginate_queryset(self.get_queryset())
        context = {
            **self.get_serializer_context(),
            "citing": citations_by_key([source.key for source in sources]),
        }
        data = self.serializer_class(sources, many=True, context=context).data
        return self.get_paginated_response(data)


class DebateList(Cached, ListAPIView):
    """Debates with their arguments by side; `responds_to` links a rebuttal to its target."""

    serializer_class = serializers.DebateSerializer
    pagination_class = pagination.ById

    def get_queryset(self):
        return (
            Debate.objects.filter(article__in=readable_articles(self.request.user))
            .select_related("article", "section")
            .prefetch_related("arguments")
        )


@extend_schema(parameters=[serializers.PeriodSerializer])
class RecentChanges(Cached, ListAPIView):
    """Every revision of the readable articles, newest first; `since` and `until`
    bound when they were saved."""

    serializer_class = serializers.RecentChangeSerializer
    pagination_class = pagination.NewestRevisionFirst

    @cached_property
    def articles_by_id(self) -> dict[str, Article]:
        articles = readable_articles(self.request.user).only("slug", "title")
        return {str(article.pk): article for article in articles}

    def get_queryset(self):
        versions = recent_versions(self.articles_by_id)
        return in_period(versions, self.request, "revision__date_created")

    def list(self, request, *args, **kwargs):
        versions = self.paginate_queryset(self.get_queryset())
        changes = changes_of(versions, self.articles_by_id)
        return self.get_paginated_response(self.get_serializer(changes, many=True).data)


@extend_schema(parameters=[serializers.SearchQuerySerializer])
class Search(Cached, RetrieveAPIView):
    """One page of search results across articles, sections, arguments and sources."""

    serializer_class = serializers.SearchPageSerializer

    def get_object(self):
        query = serializers.SearchQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return search(query.validated_data["q"], query.validated_data["page"])


@extend_schema(exclude=True)
class NoSuchEndpoint(APIView):
    """Any other address under /api/: a JSON 404, not the site's HTML page."""

    def get(self, request, *args, **kwargs):
        raise NotFound("The API has no such endpoint or id; /api/docs/ lists the endpoints.")
