"""PostgreSQL's full-text search: stored weighted vectors, ranking and headlines.

Each searched table has a `search_vector` column, filled by a trigger from the
weighted fields in `SEARCHED` and indexed with GIN. The column is not a model
field: Django never writes it, so it cannot go stale, and other databases never
see it. A vector holds the English configuration's lexemes and, for Han text,
its characters and pairs (`function_statements`, `han.py`). Queries use
websearch syntax, built from the parsed terms, with Han runs as literal
tsqueries; matches are ranked with ts_rank and get snippets from ts_headline,
or from `snippets.py` when the query holds Han characters.
"""

from django.db.models import BooleanField, F, FloatField, QuerySet, Value
from django.db.models.expressions import RawSQL

from articles.search.han import HAN_BLOCKS, fold_table, han_tsquery, has_han, scripts
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
# The SQL function of the vectors and its fold table, installed with them
# (`install_statements`).
FOLD_TABLE = "articles_search_fold"
VECTOR_FUNCTION = "articles_search_vector"
# The most matches of one kind ranked for a page of results: as many as a reader
# can page through (50 pages of 20). Ranking reads every match's vector; a Chinese
# character in most sections would otherwise be ranked in every one of them.
RANKED = 1000
# PostgreSQL's last position in a vector: Han text is indexed up to here (a
# field's first 16,383 characters), which bounds a vector's size.
MAX_POSITION = 16383


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
        term = term_tsquery(part) if has_han(part.words) else (WEBSEARCH, [part.websearch])
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


def candidates(matches_of_kind: QuerySet, query: Query) -> QuerySet:
    """The matches of one kind that are ranked for a page: all of them, or when a
    query matches more than `RANKED` rows, those among the first `RANKED` rows the
    index finds (no order, so the scan stops there). `.search()` itself still
    returns every match; only the page's ranking is bounded."""
    table = matches_of_kind.model._meta.db_table
    first = with_query(
        f'"{table}"."id" IN (SELECT id FROM {table} AS candidate '  # noqa: S608 - constants
        f"WHERE candidate.search_vector @@ {TSQUERY} LIMIT {RANKED})",
        query,
        BooleanField(),
    )
    return matches_of_kind.filter(first)


def hits(matches: list[QuerySet], query: Query, start: int, count: int) -> tuple[list[Hit], bool]:
    """Hits `start` to `start + count` of these matches together, best first, and
    whether more follow. One query ranks the candidates of every kind; one more per
    kind shown computes the headlines of the hits shown."""
    ranked = [
        candidates(matches_of_kind, query)
        .annotate(kind=Value(order), hit=F("pk"))
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
    """The fold table and the SQL function that makes a text's vector.

    Text of ASCII only (the same length in bytes and characters) gets the English
    configuration's vector. Other text is cut into its characters, each folded
    through the table (`han.fold`); the English configuration reads the folded
    text without its Han characters (which its parser would glue to neighbouring
    letters); each Han character at position n is a lexeme at n, and so is the
    pair it starts when the next character is Han too, so runs are phrases of
    pairs and no phrase spans two runs. The Han lexemes are written as tsvector
    text, so no parser or locale decides what a letter is. Every step reads each
    character once: `translate` with the fold table, and `substr` along a run,
    took time growing with the square of the text.
    """
    quote = "''''"  # a quote, in SQL text
    is_han = " OR ".join(f"ascii(c) BETWEEN {low} AND {high - 1}" for low, high in HAN_BLOCKS)
    folds = ", ".join(f"({sql_text(a)}, {sql_text(b)})" for a, b in fold_table().items())
    return [
        f"CREATE TABLE IF NOT EXISTS {FOLD_TABLE} "
        "(original text PRIMARY KEY, folded text NOT NULL)",
        f"INSERT INTO {FOLD_TABLE} VALUES {folds} "  # noqa: S608 - constants
        "ON CONFLICT (original) DO UPDATE SET folded = excluded.folded",
        f"CREATE OR REPLACE FUNCTION {VECTOR_FUNCTION}(t text) RETURNS tsvector "  # noqa: S608
        "LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $vector$ "
        f"SELECT CASE WHEN octet_length(t) = length(t) THEN to_tsvector('{CONFIG}', t) ELSE ("
        f"  SELECT to_tsvector('{CONFIG}', string_agg(CASE WHEN han THEN ' ' ELSE c END, '' "
        "     ORDER BY n))"
        f"  || coalesce(string_agg(CASE WHEN han AND n <= {MAX_POSITION} THEN "
        f"     {quote} || c || {quote} || ':' || n || CASE WHEN next_han THEN "
        f"     ' ' || {quote} || c || next || {quote} || ':' || n ELSE '' END END, ' '), '')"
        "     ::tsvector"
        "  FROM (SELECT n, c, han, lead(c) OVER w AS next,"
        "    coalesce(lead(han) OVER w, false) AS next_han"
        f"    FROM (SELECT n, c, {is_han} AS han FROM ("
        "      SELECT n, coalesce(f.folded, s.c) AS c"
        "      FROM string_to_table(t, NULL) WITH ORDINALITY AS s(c, n)"
        f"      LEFT JOIN {FOLD_TABLE} AS f ON f.original = s.c) AS folded) AS chars"
        "    WINDOW w AS (ORDER BY n)) AS pairs"
        ") END $vector$",
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


def install(apps, schema_editor) -> None:
    """What a migration runs: the vectors, on PostgreSQL only."""
    if schema_editor.connection.vendor == "postgresql":
        for statement in install_statements(apps):
            schema_editor.execute(statement)


def uninstall(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in uninstall_statements(apps):
            schema_editor.execute(statement)


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
    return statements + [
        f"DROP FUNCTION IF EXISTS {VECTOR_FUNCTION}(text)",
        f"DROP TABLE IF EXISTS {FOLD_TABLE}",
    ]
