"""Site search: results, links, escaped snippets; ranking and operators on PostgreSQL."""

import itertools
import random
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Section
from articles.search.query import parse_query
from articles.search.results import highlighted, search
from articles.search.searched import START, STOP
from tests.factories import make_argument, make_article, make_debate, make_section, make_source

pytestmark = pytest.mark.django_db

postgres_only = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: ranking, websearch syntax and the GIN index are PostgreSQL's "
        "full-text search; other databases use the simple word search",
    ),
]


def results(client, query: str) -> list[tuple[str, str]]:
    """(link, title text) of each result, in order."""
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    found = re.findall(r'<h2 class="search-result__title"><a href="([^"]+)">(.*?)</a></h2>', html)
    return [(url, re.sub(r"</?mark>", "", title)) for url, title in found]


def urls(client, query: str) -> set[str]:
    return {url for url, _ in results(client, query)}


def snippets(client, query: str) -> list[str]:
    html = client.get("/search/", {"q": query}).content.decode()
    return re.findall(r'<p class="search-result__snippet">(.*?)</p>', html, flags=re.S)


def floods() -> Article:
    article = make_article(title="Rivers", slug="rivers", lead="Rivers run to the sea.")
    make_section(article, heading="Floods", anchor="floods", body="Spring floods cover the plain.")
    make_section(
        article, heading="Dams", anchor="dams", body="Dams hold back meltwater if 2<3 & 5>4."
    )
    return article


def test_finds_a_word_and_links_to_the_section_that_has_it(client):
    floods()
    make_article(slug="secret", title="Secret", lead="meltwater", status=Article.Status.DRAFT)
    assert results(client, "meltwater") == [("/wiki/rivers/#dams", "Dams")]
    assert results(client, "FLOODS")[0] == ("/wiki/rivers/#floods", "Floods")


def test_snippets_mark_the_match_and_escape_everything_else(client):
    floods()
    Section.objects.filter(anchor="dams").update(heading="<i>Dams</i> & meltwater")
    html = client.get("/search/", {"q": "meltwater"}).content.decode()
    result = html.split('class="search-result search-result--section"', 1)[1].split("</li>", 1)[0]
    # PostgreSQL's headline drops what looks like a tag; the simple search escapes it.
    assert "<i>" not in result and "&amp; <mark>meltwater</mark>" in result
    assert "2&lt;3 &amp; 5&gt;4" in result
    assert "<mark>meltwater</mark> if" in result
    assert START not in html and STOP not in html


def test_highlighting_escapes_text_and_keeps_marks_balanced():
    text = f"a <script> {START}x&y{STOP} b {START}unclosed <i>"
    assert highlighted(text) == "a &lt;script&gt; <mark>x&amp;y</mark> b unclosed &lt;i&gt;"
    assert highlighted(f"{STOP}{START}") == ""


def test_finds_debate_arguments_and_sources(client):
    article = floods()
    debate = make_debate(article, slug="levees", question="Build levees?")
    make_argument(debate, slug="cheap", summary="Levees are cheap", body="Embankments cost less.")
    make_source("fema", title="Embankments handbook", publisher="FEMA")
    found = dict(results(client, "embankments"))
    assert found["/wiki/rivers/debate/levees/#argument-levees-cheap"] == "Levees are cheap"
    assert found["/sources/fema/"] == "Embankments handbook"


def test_citation_keys_and_markup_are_not_searched_or_shown(client):
    make_source("hydro-atlas", title="Atlas")
    article = make_article(slug="lakes", title="Lakes")
    make_section(article, heading="Depth", anchor="depth", body="Deep **water** [@hydro-atlas].")
    assert results(client, "hydro") == []
    [snippet] = snippets(client, "water")
    assert snippet.rstrip(".") == "Deep <mark>water</mark>"


@pytest.mark.parametrize(
    "query",
    ["", "   ", "\t", '"', "-", "((", "' OR 1=1 --", "<script>alert(1)</script>",
     "a" * 5000, "!!:*&|", "\\", "-the", '"unclosed phrase', "or or or",
     " ".join(f"w{n}" for n in range(70)), " ".join(f"-w{n} river" for n in range(30))],
)  # fmt: skip
def test_empty_and_hostile_queries_answer_calmly(client, query):
    floods()
    response = client.get("/search/", {"q": query, "page": "9999999999"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html


def test_an_empty_query_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert search("  \n ").results == []


def search_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/search/", {"q": "river"}).status_code == 200
    return len(queries)


def rivers(article: Article, start: int, count: int) -> None:
    """`count` sections, sources and debate arguments about rivers."""
    for n in range(start, start + count):
        make_section(article, heading=f"River {n}", body="river banks")
        make_source(f"river-{n}", title=f"River atlas {n}", notes="On rivers.")
        make_argument(make_debate(article, slug=f"d{n}"), body="A river.")


def test_search_page_queries_do_not_grow_with_the_results(client):
    article = make_article(slug="one", title="River one")
    rivers(article, 0, 1)
    small = search_queries(client)
    rivers(article, 1, 5)
    large = search_queries(client)
    kinds = re.findall(r"search-result--(\w+)", client.get("/search/?q=river").content.decode())
    assert sorted(set(kinds)) == ["argument", "article", "section", "source"]
    assert len(kinds) == 19
    assert large == small


def test_results_come_in_pages(client):
    rivers(make_article(slug="one", title="River one"), 0, 10)
    first = client.get("/search/", {"q": "river"}).content.decode()
    assert first.count('class="search-result ') == 20 and 'rel="next"' in first
    second = client.get("/search/", {"q": "river", "page": 2}).content.decode()
    assert second.count('class="search-result ') == 11 and 'rel="prev"' in second
    assert '<ol class="search-results" start="21">' in second


def test_a_query_is_read_into_terms_with_nothing_a_parser_could_refuse():
    assert parse_query('"sea  ice" -fast OR melt').websearch == '"sea ice" -fast or melt'
    assert parse_query("---river -- ice-").websearch == "-river ice"
    assert parse_query("a&b!(c) x:* 'y' \\z").websearch == "a b c x y z"
    assert parse_query("or river or or ice or").websearch == "river or ice"
    assert parse_query('-"" "- -" -!').websearch == ""
    assert parse_query("-" * 50).websearch == ""


def test_a_query_that_only_leaves_words_out_has_nothing_to_find():
    assert not parse_query("-river -ice")
    assert not parse_query('-! -"a b" or ()')
    assert parse_query("ice -river")


# What a reader's text may hold that a query parser takes as syntax: operators of
# websearch and tsquery syntax, quotes, `or`, and long runs of them.
OPERATOR_ONLY = [
    "-" * 50,
    "- " * 100,  # `-+` a hundred times in a URL
    "-+" * 100,
    "-!" * 100,
    "!" * 100,
    "|" * 100,
    "&" * 100,
    ":*" * 100,
    '"' * 101,
    '-"' * 100,
    "or " * 66,
    "(" * 100,
    ")(" * 100,
    "<->" * 66,
    "\\" * 100,
    "'" * 100,
    "-or -or -or",
    "! & | :* ( ) <-> \\ ' \" -",
]


@pytest.mark.parametrize("query", OPERATOR_ONLY)
def test_operator_only_queries_find_nothing_and_run_no_query(client, query):
    floods()
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert 'class="search-result ' not in response.content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert search(query).results == []
    assert len(queries) == 0


@pytest.mark.parametrize("operators", ["-" * 40 + " ", "- " * 40, "!&|():* " * 20, '"" ' * 30])
def test_words_among_operators_are_still_found(client, operators):
    floods()
    assert urls(client, operators + "meltwater") == {"/wiki/rivers/#dams"}
    assert urls(client, "meltwater " + operators) == {"/wiki/rivers/#dams"}


TOKENS = ["-", "!", "|", "&", ":*", '"', "(", ")", "\\", "'", "or", "<->", " ", "ice"]


def test_every_short_mix_of_operators_and_a_word_is_searched_calmly():
    """Every sequence of up to three tokens (2,744 queries), each searched."""
    article = make_article(slug="ice", title="Ice")
    make_section(article, heading="Sea", body="Sea ice melts.")
    for length in range(1, 4):
        for tokens in itertools.product(TOKENS, repeat=length):
            query = "".join(tokens)
            found = {result.url for result in search(query).results}
            assert found <= {"/wiki/ice/", "/wiki/ice/#sea"}, query


class TestPostgreSQL:
    pytestmark = postgres_only

    def test_a_title_match_beats_a_body_match(self, client):
        body = make_article(slug="weather", title="Weather")
        make_section(body, heading="Cold", body="Glaciers, glaciers and more glaciers melt.")
        make_article(slug="glaciers", title="Glaciers", lead="Ice that moves.")
        found = results(client, "glacier")
        assert found[0] == ("/wiki/glaciers/", "Glaciers")
        assert ("/wiki/weather/#cold", "Cold") in found

    def test_websearch_phrases_exclusions_and_or(self, client):
        article = make_article(slug="ice", title="Ice")
        make_section(article, heading="A", anchor="a", body="The sea ice is melting fast.")
        make_section(article, heading="B", anchor="b", body="Ice on the sea, melting slowly.")
        make_section(article, heading="C", anchor="c", body="Permafrost thaws.")
        assert urls(client, '"sea ice"') == {"/wiki/ice/#a"}
        assert urls(client, "melting -fast") == {"/wiki/ice/#b"}
        assert urls(client, "permafrost or fast") == {"/wiki/ice/#a", "/wiki/ice/#c"}
        assert urls(client, "melt") == {"/wiki/ice/#a", "/wiki/ice/#b"}  # stems match

    def test_snippets_come_from_the_headline_with_stemmed_marks(self, client):
        article = make_article(slug="ice", title="Ice")
        make_section(article, heading="A", body="Glaciers melted fast, 2<3 & retreated.")
        [snippet] = snippets(client, "melting")
        assert "<mark>melted</mark>" in snippet
        assert "2&lt;3 &amp; retreated" in snippet

    def test_vectors_follow_every_write_even_bulk_updates(self, client):
        article = make_article(slug="ice", title="Ice")
        make_section(article, heading="A", anchor="a", body="Tundra.")
        Section.objects.filter(anchor="a").update(body="Taiga.")
        assert results(client, "tundra") == []
        assert results(client, "taiga") == [("/wiki/ice/#a", "A")]

    def test_the_gin_index_answers_the_query(self):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                "EXPLAIN SELECT id FROM articles_section "
                "WHERE search_vector @@ websearch_to_tsquery('english', 'ice')"
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "articles_section_search_gin" in plan

    def test_later_migrations_can_still_change_the_searched_columns(self):
        # A generated column or a trigger WHEN clause would make PostgreSQL refuse this.
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE articles_section ALTER COLUMN heading TYPE varchar(300)")
            cursor.execute("ALTER TABLE articles_article ALTER COLUMN title TYPE varchar(300)")

    def test_a_run_of_dashes_is_nothing_found_not_a_server_error(self, client):
        # 33 `-` in a row or more made PostgreSQL refuse the query: "tsquery stack too small".
        article = make_article(slug="ice", title="Ice")
        make_section(article, heading="A", anchor="a", body="Glaciers retreat.")
        for query in ["-" * 50, "- " * 100]:
            response = client.get("/search/", {"q": query})
            assert response.status_code == 200
        assert urls(client, "-" * 50 + "glacier") == set()
        assert urls(client, "glacier " + "- " * 50) == {"/wiki/ice/#a"}

    def test_postgresql_takes_every_query_as_parsed(self):
        """Thousands of random texts over the operator tokens, up to the length limit,
        parsed by PostgreSQL's websearch parser in one statement; any refusal fails it."""
        rng = random.Random(14)  # noqa: S311 - the same texts every run
        texts = [
            "".join(rng.choices(TOKENS + ["-" * 40, "x"], k=rng.randint(1, 120)))
            for _ in range(5000)
        ]
        texts += [token * 200 for token in TOKENS]
        queries = [parse_query(text).websearch for text in texts]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(websearch_to_tsquery('english', q)) FROM unnest(%s::text[]) AS q",
                [queries],
            )
            assert cursor.fetchone()[0] == len(queries)


def test_a_queryset_search_ranks_its_matching_rows_best_first():
    article = floods()
    make_section(article, heading="Meltwater", anchor="melt", body="Where it goes.")
    found = Section.objects.published().search("meltwater")
    assert [section.anchor for section in found] == ["melt", "dams"]  # heading beats body
    assert found[0].rank > found[1].rank > 0
    assert list(found.filter(anchor="dams")) == [found[1]]
    assert not Section.objects.search("-meltwater").exists()
    assert not Article.objects.published().search("meltwater").exists()
