"""PostgreSQL's full-text search: stored weighted vectors, ranking and headlines.

Each searched table has a `search_vector` column, filled by a trigger from the
weighted fields in `SEARCHED` and indexed with GIN. The column is not a model
field: Django never writes it, so it cannot go stale, and other databases never
see it. Queries use websearch syntax, built from the parsed terms; matches are
ranked with ts_rank and get snippets from ts_headline.
"""

from django.db.models import BooleanField, F, FloatField, QuerySet, Value
from django.db.models.expressions import RawSQL

from articles.search.han import HAN_RANGES, fold_table, han_tsquery, has_han, scripts
from articles.search.query import OR, Query, Term
from articles.search.searched import (
    CONFIG,
    PLAIN_TEXT,
    SEARCHED,
    START,
    STOP,
    Hit,
    searched_for,
)
from articles.search.snippets import hit, query_terms

PUBLISHED_INDEX = "articles_article_published_search"
PUBLISHED = "published"  # Article.Status.PUBLISHED as stored; this module is below the models


# Searches are written in SQL from constants of this package (tables, columns,
# configuration), with the reader's terms as the only parameters: built from
# Django's search expressions, compiling a search took longer than running it.
# TSQUERY marks where the reader's query goes in a statement.
TSQUERY = "{tsquery}"
WEBSEARCH = f"websearch_to_tsquery('{CONFIG}', %s)"
MARKS = f"StartSel={START}, StopSel={STOP}"
# SQL functions of the vectors, installed with them (`install_statements`).
FOLD_FUNCTION = "articles_search_fold"
HAN_FUNCTION = "articles_search_han"
VECTOR_FUNCTION = "articles_search_vector"
HAN_CLASS = f"[{HAN_RANGES}]"


def term_tsquery(term: Term) -> tuple[str, list[str]]:
    """SQL for one term holding Han characters: its Han runs as literal tsqueries
    of their characters or pairs, the rest through the English configuration
    (a phrase stays a phrase within each run), all required."""
    pieces, params = [], []
    for is_han, text in scripts(term.words):
        if is_han:
            pieces.append("%s::tsquery")
            params.append(han_tsquery(text))
        elif words := text.strip(" -"):
            pieces.append(WEBSEARCH)
            params.append(f'"{words}"' if term.phrase else words)
    sql = " && ".join(pieces)
    return (f"!!({sql})" if term.excluded else f"({sql})"), params


def tsquery(query: Query) -> tuple[str, list[str]]:
    """SQL for the reader's query and its parameters. Without Han characters, it is
    websearch syntax; with them, terms are joined as websearch joins them (`or`
    binds the terms on either side, everything else is required)."""
    if not query.han:
        return WEBSEARCH, [query.websearch]
    groups: list[list[tuple[str, list[str]]]] = []
    alternative = False
    for part in query.parts:
        if part == OR:
            alternative = True
            continue
        if has_han(part.words):
            term = term_tsquery(part)
        else:
            term = WEBSEARCH, [part.websearch]
        if alternative and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        alternative = False
    sql = " && ".join("(" + " || ".join(term for term, _ in group) + ")" for group in groups)
    return sql, [param for group in groups for _, params in group for param in params]


def with_query(sql: str, query: Query, output_field=None) -> RawSQL:
    """An expression of `sql`, each of its `TSQUERY`s the reader's query."""
    query_sql, params = tsquery(query)
    return RawSQL(  # noqa: S611 - constant SQL, the reader's terms are parameters
        sql.replace(TSQUERY, f"({query_sql})"),
        params * sql.count(TSQUERY),
        output_field=output_field,
    )


def matching(queryset: QuerySet, query: Query) -> QuerySet:
    """The rows of `queryset` whose vector matches, annotated with `rank`, best first.
    Reads only the vectors, through the GIN index."""
    if not query:
        return queryset.none()
    vector = f'"{queryset.model._meta.db_table}"."search_vector"'
    found = with_query(f"{vector} @@ {TSQUERY}", query, BooleanField())
    rank = with_query(f"ts_rank({vector}, {TSQUERY})", query, FloatField())
    return queryset.filter(found).annotate(rank=rank).order_by("-rank", "pk")


def headlined(queryset: QuerySet, query: Query) -> QuerySet:
    """`queryset` with `title_html` and `snippet_html`: matches between START and STOP."""
    searched, table = searched_for(queryset.model), queryset.model._meta.db_table
    title = f'"{table}"."{searched.title}"'
    snippet = plain_text_sql(" || ' · ' || ".join(f'"{table}"."{f}"' for f in searched.snippet))
    return queryset.select_related(*searched.related).annotate(
        title_html=with_query(
            f"ts_headline('{CONFIG}', {title}, {TSQUERY}, '{MARKS}, HighlightAll=true')", query
        ),
        # One passage from the best match on: PostgreSQL's fragment mode cuts
        # short texts off at the match.
        snippet_html=with_query(
            f"ts_headline('{CONFIG}', {snippet}, {TSQUERY}, '{MARKS}, MaxWords=45, MinWords=25')",
            query,
        ),
    )


def shown(queryset: QuerySet, query: Query) -> list[Hit]:
    """The rows of `queryset` as hits with marked titles and snippets: PostgreSQL's
    headlines, which stem English words; for a query with Han characters, which
    its parser cannot split, marked in Python (`snippets.hit`)."""
    if query.han:
        terms = query_terms(query)
        searched = searched_for(queryset.model)
        return [hit(row, searched, terms) for row in queryset.select_related(*searched.related)]
    return [
        Hit(searched_for(row), row, row.title_html, row.snippet_html)
        for row in headlined(queryset, query)
    ]


def hits(matches: list[QuerySet], query: Query, start: int, count: int) -> tuple[list[Hit], bool]:
    """Hits `start` to `start + count` of these matches together, best first, and
    whether more follow. One query ranks every match of every kind; one more per
    kind shown computes the headlines of the hits shown."""
    ranked = [
        matches_of_kind.annotate(kind=Value(order), hit=F("pk"))
        .values_list("kind", "hit", "rank")
        .order_by()
        for order, matches_of_kind in enumerate(matches)
    ]
    union = ranked[0].union(*ranked[1:], all=True).order_by("-rank", "kind", "hit")
    found = list(union[start : start + count + 1])
    page = found[:count]
    hits = {}
    for order, matches_of_kind in enumerate(matches):
        ids = [pk for kind, pk, _ in page if kind == order]
        if ids:
            shown_of_kind = matches_of_kind.model.objects.filter(pk__in=ids).order_by()
            for each in shown(shown_of_kind, query):
                hits[order, each.row.pk] = each
    # A hit deleted between the two queries is left out.
    return [hits[key] for kind, pk, _ in page if (key := (kind, pk)) in hits], len(found) > count


def plain_text_sql(column: str) -> str:
    """SQL for the text of `column` without markdown, so citation keys are not words."""
    expression = f"coalesce({column}, '')"
    for pattern, replacement in PLAIN_TEXT:
        expression = f"regexp_replace({expression}, '{pattern}', '{replacement}', 'g')"
    return expression


def vector_ddl(fields: tuple[tuple[str, str], ...], row: str = "") -> str:
    """SQL for the weighted vector of a row (`row` is "NEW." inside the trigger)."""
    return " || ".join(
        f"setweight({VECTOR_FUNCTION}({plain_text_sql(row + name)}), '{weight}')"
        for name, weight in fields
    )


def sql_text(text: str) -> str:
    """`text` as an SQL string, with no `%`, which drivers would take as a placeholder."""
    return "'" + text.replace("'", "''").replace("%", "' || chr(37) || '") + "'"


def function_statements() -> list[str]:
    """The SQL functions that make a text's vector, in the order they call each other.

    - the fold (`han.fold`), with `translate`, whose cost grows with its table:
      text of ASCII only (the same length in bytes and characters) skips it;
    - the Han vector: each run of Han characters as its characters and its pairs,
      the n-th character and the pair it starts at position n, runs a position
      apart so that no phrase spans two; written as tsvector text (no parser, so
      no locale decides what a letter is; positions stop at 16,383);
    - the vector: the English configuration over the text without its Han runs
      (which its parser would glue to neighbouring letters), and the Han vector.
    """
    table = fold_table()
    folded_from, folded_to = sql_text("".join(table)), sql_text("".join(table.values()))
    options = "IMMUTABLE STRICT PARALLEL SAFE"
    quote = "''''"  # a quote, in SQL text
    return [
        f"CREATE OR REPLACE FUNCTION {FOLD_FUNCTION}(t text) RETURNS text LANGUAGE sql {options} "
        f"AS $fold$ SELECT CASE WHEN octet_length(t) = length(t) THEN t "
        f"ELSE translate(t, {folded_from}, {folded_to}) END $fold$",
        f"CREATE OR REPLACE FUNCTION {HAN_FUNCTION}(t text) RETURNS tsvector LANGUAGE sql "
        f"{options} AS $han$ "
        f"SELECT coalesce(string_agg({quote} || lexeme || {quote} || ':' || "
        "least(base + i, 16383), ' '), '')::tsvector FROM ("
        "  SELECT m[1] AS run, coalesce(sum(length(m[1]) + 1) OVER (ORDER BY n "
        "    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS base"
        f"  FROM regexp_matches(t, '{HAN_CLASS}+', 'g') WITH ORDINALITY AS runs(m, n)"
        ") AS placed, generate_series(1, length(run)) AS i, LATERAL (VALUES "
        "(substr(run, i, 1)), (CASE WHEN i < length(run) THEN substr(run, i, 2) END)"
        ") AS lexemes(lexeme) WHERE lexeme IS NOT NULL $han$",
        f"CREATE OR REPLACE FUNCTION {VECTOR_FUNCTION}(t text) RETURNS tsvector LANGUAGE sql "
        f"{options} AS $vector$ "
        f"SELECT to_tsvector('{CONFIG}', regexp_replace(folded, '{HAN_CLASS}+', ' ', 'g')) "
        f"|| {HAN_FUNCTION}(folded) FROM {FOLD_FUNCTION}(t) AS folded $vector$",
    ]


def install_statements(apps) -> list[str]:
    """The vector column, the trigger that fills it and the GIN index of each searched
    table (`apps`: a migration's models).

    The trigger compares old and new text in its body rather than in a WHEN
    clause, which would stop migrations from changing those columns' types.
    Table and column names are constants of this package, never user input.
    """
    statements = function_statements()
    for searched in SEARCHED.values():
        table = apps.get_model("articles", searched.model)._meta.db_table
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
            f"NEW.search_vector := {vector_ddl(searched.fields, 'NEW.')}; RETURN NEW; END $$",
            f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table}",
            f"CREATE TRIGGER {table}_search_vector BEFORE INSERT OR UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_search_vector()",
            f"UPDATE {table} SET search_vector = {vector_ddl(searched.fields)}",  # noqa: S608
            f"CREATE INDEX IF NOT EXISTS {table}_search_gin ON {table} USING gin (search_vector)",
        ]
    # Sections and arguments are searched only in published articles: the join
    # reads this small index rather than every article row.
    articles = apps.get_model("articles", "article")._meta.db_table
    statements.append(
        f"CREATE INDEX IF NOT EXISTS {PUBLISHED_INDEX} ON {articles} (id) "
        f"WHERE status = '{PUBLISHED}'"
    )
    return statements


def uninstall_statements(apps) -> list[str]:
    statements = [f"DROP INDEX IF EXISTS {PUBLISHED_INDEX}"]
    for searched in SEARCHED.values():
        table = apps.get_model("articles", searched.model)._meta.db_table
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table}",
            f"DROP FUNCTION IF EXISTS {table}_search_vector()",
            f"DROP INDEX IF EXISTS {table}_search_gin",
            f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector",
        ]
    functions = (VECTOR_FUNCTION, HAN_FUNCTION, FOLD_FUNCTION)
    return statements + [f"DROP FUNCTION IF EXISTS {name}(text)" for name in functions]
