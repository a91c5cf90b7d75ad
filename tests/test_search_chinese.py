"""Search in Chinese, on both databases: one to four Han characters find every
section holding them, simplified and traditional find each other, mixed queries
work, matches are marked, and no query makes a server error."""

import random
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Section
from articles.search.han import fold, han_tsquery, scripts
from articles.search.query import parse_query
from articles.search.results import search
from articles.search.snippets import plain_text
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "interchange" / "capital-zh.md"


def results(client, query: str, path: str = "/search/") -> list[tuple[str, str, str]]:
    """(link, marked title, marked snippet) of each result, in order."""
    response = client.get(path, {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    return re.findall(
        r'<h2 class="search-result__title"><a href="([^"]+)">(.*?)</a></h2>.*?'
        r'<p class="search-result__snippet">(.*?)</p>',
        html,
        flags=re.S,
    )


def urls(client, query: str) -> set[str]:
    return {url for url, _, _ in results(client, query)}


def ningbo() -> Article:
    article = make_article(slug="ningbo", title="宁波", lead="宁波是浙江省的城市。")
    make_section(article, heading="港口", anchor="port", body="宁波舟山港是世界大港之一。")
    make_section(article, heading="製造業", anchor="industry", body="寧波的製造業發達。")
    make_section(
        article, heading="MIIT", anchor="miit", body="The MIIT regulates factories in 宁波."
    )
    make_section(article, heading="Rivers", anchor="rivers", body="Floods and rivers.")
    return article


def test_one_to_four_han_characters_find_every_section_that_holds_them(client):
    ningbo()
    assert urls(client, "宁波") == {
        "/wiki/ningbo/",
        "/wiki/ningbo/#port",
        "/wiki/ningbo/#industry",
        "/wiki/ningbo/#miit",
    }
    assert urls(client, "港") == {"/wiki/ningbo/#port"}
    assert urls(client, "舟山港") == {"/wiki/ningbo/#port"}
    assert urls(client, "世界大港") == {"/wiki/ningbo/#port"}
    # Characters in the same order, but not next to each other, are not the query.
    assert urls(client, "宁港") == set()
    assert urls(client, "港舟") == set()


def test_simplified_and_traditional_find_each_other(client):
    ningbo()
    assert urls(client, "制造") == {"/wiki/ningbo/#industry"}
    assert urls(client, "製造") == {"/wiki/ningbo/#industry"}
    assert urls(client, "發達") == urls(client, "发达") == {"/wiki/ningbo/#industry"}
    assert urls(client, "舟山港") == urls(client, "舟山港")


def test_full_width_letters_find_ascii_words(client):
    ningbo()
    assert urls(client, "ＭＩＩＴ") == {"/wiki/ningbo/#miit"}


def test_mixed_chinese_and_english_queries_need_both(client):
    ningbo()
    assert urls(client, "MIIT 宁波") == {"/wiki/ningbo/#miit"}
    assert urls(client, "factories 宁波") == {"/wiki/ningbo/#miit"}  # English keeps its stems
    assert urls(client, "MIIT宁波") == {"/wiki/ningbo/#miit"}
    assert urls(client, "宁波 -MIIT") == {
        "/wiki/ningbo/",
        "/wiki/ningbo/#port",
        "/wiki/ningbo/#industry",
    }


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="`or` is PostgreSQL's websearch")
def test_or_joins_chinese_and_english_alternatives(client):
    ningbo()
    assert urls(client, "舟山 or floods") == {"/wiki/ningbo/#port", "/wiki/ningbo/#rivers"}
    assert urls(client, '"regulates factories" 宁波') == {"/wiki/ningbo/#miit"}
    assert urls(client, '"factories regulates" 宁波') == set()


def test_matches_are_marked_in_the_original_script(client):
    ningbo()
    found = {url: (title, snippet) for url, title, snippet in results(client, "制造")}
    assert found["/wiki/ningbo/#industry"] == (
        "<mark>製造</mark>業",
        "寧波的<mark>製造</mark>業發達。",
    )
    [(_, title, snippet)] = results(client, "MIIT 宁波")
    assert title == "<mark>MIIT</mark>"
    assert snippet == "The <mark>MIIT</mark> regulates factories in <mark>宁波</mark>."


def test_a_one_character_query_marks_every_occurrence(client):
    article = make_article(slug="a", title="城")
    make_section(article, heading="城", anchor="cheng", body="城市与城墙")
    found = {url: snippet for url, _, snippet in results(client, "城")}
    assert found["/wiki/a/#cheng"] == "<mark>城</mark>市与<mark>城</mark>墙"


def test_a_heading_match_ranks_above_a_body_match(client):
    article = make_article(slug="a", title="Cities")
    make_section(article, heading="概况", anchor="body", body="杭州是一座城市。")
    make_section(article, heading="杭州", anchor="heading", body="一座城市。")
    found = [url for url, _, _ in results(client, "杭州")]
    assert found == ["/wiki/a/#heading", "/wiki/a/#body"]
    ranked = Section.objects.published().search("杭州")
    assert [section.anchor for section in ranked] == ["heading", "body"]
    assert ranked[0].rank > ranked[1].rank > 0


def test_the_api_finds_chinese_too(client):
    ningbo()
    response = client.get("/api/v1/search/", {"q": "製造"})
    assert response.status_code == 200
    [found] = response.json()["results"]
    assert found["page"].endswith("/wiki/ningbo/#industry")
    assert found["title"] == "<mark>製造</mark>業"


def sample_sections() -> list[Section]:
    """Sections of text recombined from a real Chinese article (simplified and
    traditional mixed), one of them a draft."""
    text = plain_text(SAMPLE.read_text())
    clauses = [c for c in re.split(r"[，。、；：（）《》\s]+", text) if re.search("[一-鿿]", c)]
    rng = random.Random(16)  # noqa: S311 - the same sections every run
    sections = []
    for n in range(2):
        article = make_article(
            slug=f"zh-{n}",
            title=rng.choice(clauses),
            status=Article.Status.PUBLISHED if n == 0 else Article.Status.DRAFT,
        )
        for _ in range(12):
            body = "，".join(rng.sample(clauses, 4)) + "。"
            sections.append(make_section(article, heading=rng.choice(clauses), body=body))
    return sections


def test_every_han_substring_sampled_from_the_text_finds_every_section_with_it():
    """Recall: substrings of one to four Han characters taken from the sections,
    each searched; the hits are exactly the published sections holding it
    (checked by a scan of the folded text)."""
    sections = sample_sections()
    published = [s for s in sections if s.article.status == Article.Status.PUBLISHED]
    rng = random.Random(4)  # noqa: S311
    texts = {s.pk: fold(s.heading + "\n" + plain_text(s.body)) for s in published}
    runs = [run for s in sections for run in re.findall("[一-鿿]+", s.body)]
    checked = 0
    for _ in range(120):
        run = rng.choice(runs)
        length = rng.randint(1, min(4, len(run)))
        start = rng.randrange(len(run) - length + 1)
        query = run[start : start + length]
        wanted = {pk for pk, text in texts.items() if fold(query) in text}
        found = set(Section.objects.published().search(query).values_list("pk", flat=True))
        assert found == wanted, query
        checked += bool(wanted)
    assert checked > 100


def search_queries(client, query: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/search/", {"q": query}).status_code == 200
    return len(queries)


def test_search_queries_do_not_grow_with_chinese_results(client):
    article = make_article(slug="a", title="宁波")
    make_section(article, heading="港口", body="宁波港")
    small = search_queries(client, "宁波")
    for n in range(8):
        make_section(make_article(slug=f"b{n}", title=f"宁波{n}"), heading="宁波", body="宁波")
    large = search_queries(client, "宁波")
    assert len(results(client, "宁波")) == 18
    assert large == small


HOSTILE = [
    "宁" * 5000,
    "宁波 " * 100,
    "，。、；：！？（）「」『』【】",
    "！＆｜（）：＊＼＇＂－",
    "－－－－宁波",
    "ＭＩＩＴ　宁波　－ＭＩＩＴ",
    "宁波" + "-" * 60,
    '"宁波 MIIT" or -"製造 業"',
    "宁'波",
    "宁\\波",
    "宁:*波",
    "宁<->波",
    "or 宁 or",
    "𠀀𪚥龘",  # supplementary-plane ideographs
    "\uf900\ufa0e",  # compatibility ideographs
    "、" * 200,
    "宁%波_",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_chinese_queries_never_fail(client, query):
    ningbo()
    assert client.get("/search/", {"q": query}).status_code == 200
    # The API refuses a query longer than 500 characters with its JSON 400.
    assert client.get("/api/v1/search/", {"q": query}).status_code == (
        200 if len(query) <= 500 else 400
    )
    assert search(query).query == " ".join(query.split())[:200]


def test_a_long_run_of_han_text_is_indexed_and_found(client):
    """PostgreSQL indexes a field's Han text up to its last position, 16,383."""
    text = "".join(random.Random(3).choices("宁波舟山港世界大城市制造业发达", k=16_000))  # noqa: S311
    article = make_article(slug="long", title="Long")
    make_section(article, heading="Long", anchor="long", body=text + "澳门")
    assert urls(client, "澳门") == {"/wiki/long/#long"}
    assert urls(client, "宁波") == {"/wiki/long/#long"}


def test_queries_are_folded_but_shown_as_typed():
    query = parse_query("製造 ＭＩＩＴ")
    assert query.text == "製造 ＭＩＩＴ"
    assert [part.words for part in query.parts] == ["制造", "MIIT"]
    assert query.han


def test_folding_keeps_every_length_and_cuts_scripts():
    text = "乾隆年間，臺灣製造ＡＢＣ\uf900"
    assert fold(text) == "干隆年间,台湾制造ABC岂"
    assert len(fold(text)) == len(text)
    assert scripts("MIIT宁波x") == [(False, "MIIT"), (True, "宁波"), (False, "x")]
    assert han_tsquery("宁") == "'宁'"
    assert han_tsquery("宁波市") == "'宁波' <-> '波市'"


def test_random_mixes_of_han_latin_and_operators_are_searched_calmly():
    """Three hundred random queries of Han, full-width and Latin characters among
    every operator token, each searched by a queryset (the database parses it)."""
    from tests.test_search import TOKENS

    ningbo()
    rng = random.Random(16)  # noqa: S311 - the same texts every run
    pieces = [*TOKENS, "宁", "波", "製造", "ＭＩＩＴ", "－", "＂", "　", "MIIT", "、", "𠀀"]
    for _ in range(300):
        query = "".join(rng.choices(pieces, k=rng.randint(1, 30)))
        found = list(Section.objects.published().search(query).values_list("anchor", flat=True))
        assert set(found) <= {"port", "industry", "miit", "rivers"}, query


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's ranked page")
def test_a_query_matching_more_than_the_ranked_bound_still_finds_every_section(monkeypatch):
    """A page ranks at most `RANKED` matches of a kind (ranking reads every match's
    vector); the queryset search still returns every section holding the query."""
    from articles.search import postgres

    monkeypatch.setattr(postgres, "RANKED", 3)
    article = make_article(slug="ports", title="Ports", lead="Harbours.")
    for n in range(5):
        make_section(article, heading=f"Part {n}", anchor=f"part-{n}", body="宁波港。")
    assert Section.objects.published().search("港").count() == 5
    page = search("港")
    assert [result.kind for result in page.results] == ["section"] * 3
    assert not page.has_next
