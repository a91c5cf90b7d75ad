"""Full-text search over articles, sections, debate arguments and sources.

On PostgreSQL each searched table has a `search_vector` column, filled by a
trigger from the weighted fields in `SEARCHED` and indexed with GIN; queries
use websearch syntax (`"a phrase"`, `-word`, `or`), are ranked with ts_rank
and get snippets from ts_headline. The column is not a model field: Django
never writes it, so it cannot go stale, and SQLite never sees it. Changing
`SEARCHED` (fields, weights) needs a new migration that runs
`install_statements()` again, as 0004_search_vectors does.

Elsewhere (SQLite in development and most tests) a simpler search matches
every word with `icontains`, scores with the same weights in Python and cuts
snippets in Python.

Both paths mark matches with two sentinel characters, escape everything,
then turn the sentinels into `<mark>` elements: user text is never trusted.
"""

import re
import string
from dataclasses import dataclass
from functools import cache, reduce
from operator import or_

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection, connections, router
from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from articles.models import Argument, Article, Section, Source

CONFIG = "english"
PAGE_SIZE = 20
MAX_PAGE = 50
MAX_QUERY_LENGTH = 200
FALLBACK_CANDIDATES = 200  # rows read per kind by the simple search
# ts_headline puts these around matches; control characters never reach the page.
START, STOP = "\x02", "\x03"
PUBLISHED_INDEX = "articles_article_published_search"
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}  # PostgreSQL's ts_rank defaults
# The simple search ignores these, as PostgreSQL's English configuration does.
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "in",
    "is", "it", "its", "of", "on", "or", "that", "the", "their", "this", "to", "was", "were",
    "which", "with",
})  # fmt: skip


@dataclass(frozen=True)
class Searched:
    """One searched model: its weighted fields, what a hit shows and where it links.

    `link` and `context` are lookups (`article__slug`) read from the hit's row.
    """

    kind: str
    label: str
    model: type
    fields: tuple[tuple[str, str], ...]  # (field, weight A–D)
    title: str
    snippet: tuple[str, ...]
    link: tuple[str, ...]
    context: tuple[str, ...] = ()

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    def queryset(self) -> QuerySet:
        """Only what readers may see: published articles' parts, and every source."""
        published = Article.Status.PUBLISHED
        scope = {
            "article": Q(status=published),
            "section": Q(article__status=published),
            "argument": Q(debate__article__status=published),
            "source": Q(),
        }[self.kind]
        return self.model.objects.filter(scope)

    def url(self, link: list[str]) -> str:
        if self.kind == "source":
            return reverse("articles:source", args=link[:1])
        if self.kind == "argument":
            article, debate, argument = link
            page = reverse("articles:debate", args=[article, debate])
            return f"{page}#argument-{debate}-{argument}"
        page = reverse("articles:detail", args=link[:1])
        return f"{page}#{link[1]}" if self.kind == "section" else page

    def context_line(self, parts: list[str]) -> str:
        return ": ".join(part for part in parts if part) or self.label


# Titles and headings (A) beat leads and section bodies (B); where they match as
# well, article text comes before debate arguments (B, C) and sources (C, D).
SEARCHED = (
    Searched(
        kind="article",
        label="Article",
        model=Article,
        fields=(("title", "A"), ("lead", "B")),
        title="title",
        snippet=("lead",),
        link=("slug",),
    ),
    Searched(
        kind="section",
        label="Section",
        model=Section,
        fields=(("heading", "A"), ("body", "B")),
        title="heading",
        snippet=("body",),
        link=("article__slug", "anchor"),
        context=("article__title",),
    ),
    Searched(
        kind="argument",
        label="Debate argument",
        model=Argument,
        fields=(("summary", "B"), ("attributed_to", "C"), ("body", "C")),
        title="summary",
        snippet=("body",),
        link=("debate__article__slug", "debate__slug", "slug"),
        context=("debate__article__title", "debate__question"),
    ),
    Searched(
        kind="source",
        label="Source",
        model=Source,
        fields=(
            ("title", "C"),
            ("authors", "D"),
            ("publisher", "D"),
            ("quote", "D"),
            ("notes", "D"),
        ),
        title="title",
        snippet=("authors", "publisher", "quote", "notes"),
        link=("key",),
        context=("publisher",),
    ),
)
LINKS = max(len(searched.link) for searched in SEARCHED)
CONTEXTS = max(len(searched.context) for searched in SEARCHED)


# Markdown that should not show in snippets, as (pattern, replacement); the
# patterns mean the same in Python and in PostgreSQL's regular expressions.
PLAIN_TEXT = (
    (r"!?\[([^]]*)\]\([^)]*\)", r"\1"),  # links and images: keep their text
    (r"\s*\[(@[^]]*|\^[^]]*|citation needed)\]", ""),  # citations and footnote marks
    (r"(^|\n)[ \t]*[#>]+", r"\1"),  # headings and quotes at the start of a line
    (r"[*`~]+", ""),  # emphasis and code marks
    (r"[|]+", " "),  # table rules
)


def plain_text_ddl(column: str) -> str:
    """SQL for the text of `column` without markdown, so citation keys are not words."""
    expression = f"coalesce({column}, '')"
    for pattern, replacement in PLAIN_TEXT:
        expression = f"regexp_replace({expression}, '{pattern}', '{replacement}', 'g')"
    return expression


def vector_ddl(searched: Searched, row: str = "") -> str:
    """SQL for the weighted vector of a row (`row` is "NEW." inside the trigger)."""
    return " || ".join(
        f"setweight(to_tsvector('{CONFIG}', {plain_text_ddl(row + name)}), '{weight}')"
        for name, weight in searched.fields
    )


def install_statements() -> list[str]:
    """PostgreSQL DDL: the vector column, the trigger that fills it, the GIN index.

    The trigger compares old and new text in its body rather than in a WHEN
    clause, which would stop migrations from changing those columns' types.
    Table and column names are constants of this module, never user input.
    """
    statements = []
    for searched in SEARCHED:
        table = searched.table
        same = " AND ".join(
            f"OLD.{name} IS NOT DISTINCT FROM NEW.{name}" for name, _ in searched.fields
        )
        statements += [
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector",
            # Kept in the row (long text moves out first): ranking reads every match's
            # vector, and fetching each from the TOAST table costs ten times more.
            f"ALTER TABLE {table} ALTER COLUMN search_vector SET STORAGE MAIN",
            # An article save rewrites every section: unchanged text keeps its vector.
            f"CREATE OR REPLACE FUNCTION {table}_search_vector() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN IF TG_OP = 'UPDATE' AND {same} THEN RETURN NEW; END IF; "
            f"NEW.search_vector := {vector_ddl(searched, 'NEW.')}; RETURN NEW; END $$",
            f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table}",
            f"CREATE TRIGGER {table}_search_vector BEFORE INSERT OR UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_search_vector()",
            f"UPDATE {table} SET search_vector = {vector_ddl(searched)}",  # noqa: S608
            f"CREATE INDEX IF NOT EXISTS {table}_search_gin ON {table} USING gin (search_vector)",
        ]
    # Sections and arguments are searched only in published articles: the join
    # reads this small index rather than every article row.
    statements.append(
        f"CREATE INDEX IF NOT EXISTS {PUBLISHED_INDEX} ON {Article._meta.db_table} (id) "
        f"WHERE status = '{Article.Status.PUBLISHED}'"
    )
    return statements


def uninstall_statements() -> list[str]:
    statements = [f"DROP INDEX IF EXISTS {PUBLISHED_INDEX}"]
    for searched in SEARCHED:
        table = searched.table
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table}",
            f"DROP FUNCTION IF EXISTS {table}_search_vector()",
            f"DROP INDEX IF EXISTS {table}_search_gin",
            f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector",
        ]
    return statements


@dataclass
class SearchResult:
    kind: str
    label: str
    title: SafeString
    snippet: SafeString
    url: str
    context: str  # where the hit lives, e.g. the article of a section


@dataclass
class SearchPage:
    query: str
    results: list[SearchResult]
    page: int = 1
    has_next: bool = False

    @property
    def first_number(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1


def clean_query(text: str | None) -> str:
    """The query as searched: no control characters (PostgreSQL refuses NUL), bounded."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def page_number(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


def highlighted(text: str) -> SafeString:
    """`text` escaped, with each sentinel-marked match wrapped in <mark>."""
    parts = re.split(f"{START}(.*?){STOP}", text or "", flags=re.S)
    parts = [part.replace(START, "").replace(STOP, "") for part in parts]
    pairs = zip(parts[0:-1:2], parts[1::2], strict=True)
    return format_html("{}{}", format_html_join("", "{}<mark>{}</mark>", pairs), parts[-1])


def search(text: str | None, page: str | int | None = 1) -> SearchPage:
    """One page of results for `text`, best first; an empty query finds nothing."""
    query, number = clean_query(text), page_number(str(page))
    if not query:
        return SearchPage(query, [])
    if connection.vendor == "postgresql":
        return postgres_search(query, number)
    return simple_search(query, number)


# PostgreSQL


def stored_vector(searched: Searched) -> RawSQL:
    column = f'"{searched.table}"."search_vector"'
    return RawSQL(column, [], output_field=SearchVectorField())  # noqa: S611 - constant SQL


def plain_text_sql(expression):
    for pattern, replacement in PLAIN_TEXT:
        expression = Func(
            expression,
            Value(pattern),
            Value(replacement),
            Value("g"),
            function="regexp_replace",
            output_field=TextField(),
        )
    return expression


def snippet_source(searched: Searched):
    if len(searched.snippet) == 1:
        return F(searched.snippet[0])
    separated = []
    for name in searched.snippet:
        separated += [F(name), Value(" · ")]
    return Concat(*separated[:-1], output_field=TextField())


# Building and compiling these querysets costs more than running them, so each
# is compiled once per process with markers where the searched text and the hit
# ids go, and later searches swap in their own values.
TEXT = "\x00searched text\x00"


def ids_marker(searched: Searched) -> str:
    return f"\x00{searched.kind} ids\x00"


def ranking(query: SearchQuery) -> QuerySet:
    """(kind, pk, rank) of every match of every kind, best first; reads only vectors."""
    parts = [
        searched.queryset()
        .order_by()
        .alias(document=stored_vector(searched))
        .filter(document=query)
        .annotate(kind_order=Value(order), hit=F("pk"), rank=SearchRank(F("document"), query))
        .values_list("kind_order", "hit", "rank")
        for order, searched in enumerate(SEARCHED)
    ]
    return parts[0].union(*parts[1:], all=True).order_by("-rank", "kind_order", "hit")


def padded(prefix: str, names: tuple[str, ...], size: int) -> dict:
    """`size` columns named prefix_0, prefix_1…: these lookups, then empty strings,
    so that every kind's part of a UNION has the same columns."""
    expressions = [F(name) for name in names] + [Value("")] * (size - len(names))
    return {f"{prefix}_{n}": expression for n, expression in enumerate(expressions)}


def headlines(query: SearchQuery) -> QuerySet:
    """Title and snippet (matches between sentinels), link and context of given hits."""
    options = {"config": CONFIG, "start_sel": START, "stop_sel": STOP}
    parts = []
    for order, searched in enumerate(SEARCHED):
        ids = RawSQL("SELECT unnest(%s::bigint[])", [ids_marker(searched)])
        columns = {
            "kind_order": Value(order),
            "hit": F("pk"),
            "title_html": SearchHeadline(searched.title, query, highlight_all=True, **options),
            # One passage from the best match on: PostgreSQL's fragment mode cuts
            # short texts off at the match.
            "snippet_html": SearchHeadline(
                plain_text_sql(snippet_source(searched)),
                query,
                max_words=45,
                min_words=25,
                **options,
            ),
            **padded("link", searched.link, LINKS),
            **padded("context", searched.context, CONTEXTS),
        }
        parts.append(
            searched.model.objects.filter(pk__in=ids)
            .order_by()
            .annotate(**columns)
            .values_list(*columns)
        )
    return parts[0].union(*parts[1:], all=True)


@cache
def compiled(name: str, start: int = 0, count: int = 0) -> tuple[str, tuple]:
    query = SearchQuery(TEXT, config=CONFIG, search_type="websearch")
    queryset = ranking(query)[start : start + count] if name == "ranking" else headlines(query)
    return queryset.query.sql_with_params()


def run_compiled(sql_params: tuple[str, tuple], values: dict[str, object]) -> list[tuple]:
    sql, params = sql_params
    params = [values.get(param, param) if isinstance(param, str) else param for param in params]
    with connections[router.db_for_read(Article)].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def postgres_search(text: str, page: int) -> SearchPage:
    """Two queries: rank every match, then headline the hits shown."""
    start = (page - 1) * PAGE_SIZE
    hits = run_compiled(compiled("ranking", start, PAGE_SIZE + 1), {TEXT: text})
    shown = hits[:PAGE_SIZE]
    ids = {
        ids_marker(searched): [pk for kind, pk, _ in shown if kind == order]
        for order, searched in enumerate(SEARCHED)
    }
    rows = {}
    if shown:
        for row in run_compiled(compiled("headlines"), {TEXT: text, **ids}):
            rows[row[0], row[1]] = row[2:]
    results = []
    for kind, pk, _ in shown:
        searched = SEARCHED[kind]
        title, snippet, *rest = rows[kind, pk]
        link, context = rest[:LINKS][: len(searched.link)], rest[LINKS:]
        results.append(
            SearchResult(
                searched.kind,
                searched.label,
                highlighted(title),
                highlighted(snippet),
                searched.url(link),
                searched.context_line(context),
            )
        )
    return SearchPage(text, results, page, len(hits) > PAGE_SIZE)


# Other databases


def query_terms(text: str) -> tuple[list[str], list[str]]:
    """Words and quoted phrases to find, and those prefixed with `-` to leave out.

    Like PostgreSQL, common words and single letters are ignored; unlike it,
    `or` is ignored too, so every remaining term must match.
    """
    wanted, unwanted = [], []
    for minus, phrase, word in re.findall(r'(-?)(?:"([^"]+)"|([^\s"]+))', text):
        term = " ".join((phrase or word).split()).strip(string.punctuation)
        if len(term) < 2 or term.lower() in STOP_WORDS:
            continue
        (unwanted if minus else wanted).append(term)
    return wanted, unwanted


def plain_text(text: str) -> str:
    for pattern, replacement in PLAIN_TEXT:
        text = re.sub(pattern, replacement, text or "")
    return " ".join(text.split())


def term_pattern(terms: list[str]) -> re.Pattern:
    """Any of `terms` at the start of a word, ignoring case."""
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alternatives})", re.I)


def mark_terms(text: str, terms: list[str]) -> str:
    return term_pattern(terms).sub(f"{START}\\1{STOP}", text)


def excerpt(text: str, terms: list[str], width: int = 240) -> str:
    """About `width` characters of `text` around the first term found."""
    found = term_pattern(terms).search(text)
    start = max(0, found.start() - width // 3) if found else 0
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + width)
    if end < len(text) and text.rfind(" ", start, end) > start:
        end = text.rfind(" ", start, end)
    return ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")


def lookup(row, path: str):
    """The value at a lookup path such as `debate__article__slug`, from loaded objects."""
    return reduce(getattr, path.split("__"), row)


def simple_score(fields: dict[str, tuple[str, str]], wanted: list[str]) -> float:
    """The PostgreSQL weights of the best field of each term; 0 if a term is missing."""
    score = 0.0
    for term in wanted:
        pattern = term_pattern([term])
        weights = [WEIGHTS[weight] for text, weight in fields.values() if pattern.search(text)]
        if not weights:
            return 0.0
        score += max(weights)
    return score


def simple_search(text: str, page: int) -> SearchPage:
    wanted, unwanted = query_terms(text)
    if not wanted:
        return SearchPage(text, [], page)

    def matching(searched: Searched, term: str) -> Q:
        return reduce(or_, (Q(**{f"{name}__icontains": term}) for name, _ in searched.fields))

    scored = []
    for order, searched in enumerate(SEARCHED):
        related = {path.rpartition("__")[0] for path in searched.link + searched.context}
        rows = searched.queryset().select_related(*related - {""})
        for term in wanted:
            rows = rows.filter(matching(searched, term))
        for term in unwanted:
            rows = rows.exclude(matching(searched, term))
        for row in rows[:FALLBACK_CANDIDATES]:
            # The database matched raw markdown; citation keys and markup do not count.
            fields = {name: (plain_text(getattr(row, name)), w) for name, w in searched.fields}
            score = simple_score(fields, wanted)
            if score:
                scored.append((-score, order, row.pk, searched, row))
    scored.sort(key=lambda item: item[:3])
    start = (page - 1) * PAGE_SIZE
    results = []
    for *_, searched, row in scored[start : start + PAGE_SIZE]:
        url = searched.url([lookup(row, path) for path in searched.link])
        context = searched.context_line([lookup(row, path) for path in searched.context])
        body = plain_text(" · ".join(filter(None, (getattr(row, f) for f in searched.snippet))))
        results.append(
            SearchResult(
                searched.kind,
                searched.label,
                highlighted(mark_terms(getattr(row, searched.title), wanted)),
                highlighted(mark_terms(excerpt(body, wanted), wanted)),
                url,
                context,
            )
        )
    return SearchPage(text, results, page, len(scored) > start + PAGE_SIZE)
