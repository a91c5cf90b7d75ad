"""PostgreSQL's full-text search: stored weighted vectors, ranking and headlines.

Each searched table has a `search_vector` column, filled by a trigger from the
weighted fields in `SEARCHED` and indexed with GIN. The column is not a model
field: Django never writes it, so it cannot go stale, and other databases never
see it. Queries use websearch syntax, built from the parsed terms; matches are
ranked with ts_rank and get snippets from ts_headline.
"""

from django.db.models import BooleanField, F, FloatField, QuerySet, Value
from django.db.models.expressions import RawSQL

from articles.search.query import Query
from articles.search.searched import (
    CONFIG,
    PLAIN_TEXT,
    SEARCHED,
    START,
    STOP,
    Hit,
    searched_for,
)

PUBLISHED_INDEX = "articles_article_published_search"
PUBLISHED = "published"  # Article.Status.PUBLISHED as stored; this module is below the models


# Searches are written in SQL from constants of this package (tables, columns,
# configuration), with the reader's query as the only parameter: built from
# Django's search expressions, compiling a search took longer than running it.
TSQUERY = f"websearch_to_tsquery('{CONFIG}', %s)"
MARKS = f"StartSel={START}, StopSel={STOP}"


def with_query(sql: str, query: Query, output_field=None) -> RawSQL:
    """An expression of `sql`, each of its `TSQUERY`s the reader's query."""
    params = [query.websearch] * sql.count(TSQUERY)
    return RawSQL(sql, params, output_field=output_field)  # noqa: S611 - constant SQL


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
    shown = found[:count]
    rows = {}
    for order, matches_of_kind in enumerate(matches):
        ids = [pk for kind, pk, _ in shown if kind == order]
        if ids:
            shown_of_kind = matches_of_kind.model.objects.filter(pk__in=ids).order_by()
            for row in headlined(shown_of_kind, query):
                rows[order, row.pk] = row
    # A hit deleted between the two queries is left out.
    shown_rows = [rows[kind, pk] for kind, pk, _ in shown if (kind, pk) in rows]
    hits = [Hit(searched_for(row), row, row.title_html, row.snippet_html) for row in shown_rows]
    return hits, len(found) > count


def plain_text_sql(column: str) -> str:
    """SQL for the text of `column` without markdown, so citation keys are not words."""
    expression = f"coalesce({column}, '')"
    for pattern, replacement in PLAIN_TEXT:
        expression = f"regexp_replace({expression}, '{pattern}', '{replacement}', 'g')"
    return expression


def vector_ddl(fields: tuple[tuple[str, str], ...], row: str = "") -> str:
    """SQL for the weighted vector of a row (`row` is "NEW." inside the trigger)."""
    return " || ".join(
        f"setweight(to_tsvector('{CONFIG}', {plain_text_sql(row + name)}), '{weight}')"
        for name, weight in fields
    )


def install_statements(apps) -> list[str]:
    """The vector column, the trigger that fills it and the GIN index of each searched
    table (`apps`: a migration's models).

    The trigger compares old and new text in its body rather than in a WHEN
    clause, which would stop migrations from changing those columns' types.
    Table and column names are constants of this package, never user input.
    """
    statements = []
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
    return statements
