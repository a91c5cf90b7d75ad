"""The source library and source pages: filters, sorting, and what cites each source."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Section
from articles.revisions import revert_article, state_at
from tests.factories import (
    make_argument,
    make_article,
    make_debate,
    make_section,
    make_source,
    save_revision,
)

pytestmark = pytest.mark.django_db


def cited_by_links(client, key: str) -> list[str]:
    html = client.get(f"/sources/{key}/").content.decode()
    return re.findall(r'<li data-kind="\w+">\s*<a href="([^"]+)"', html)


def library() -> None:
    make_source("a", title="Alpha report", publisher="UN", date="2019-05-01")
    make_source("b", title="Beta study", publisher="OECD", date="2021")
    make_source("c", title="Gamma note", publisher="UN", date="2021-02")
    article = make_article(lead="Lead [@b] and [@b].")
    make_section(article, heading="One", body="[@b; @c]")


def titles(html: str) -> list[str]:
    return re.findall(r'<td><a href="/sources/[\w-]+/">([^<]+)</a></td>', html)


def test_library_lists_sources_with_times_cited_and_sorts(client):
    library()
    html = client.get("/sources/").content.decode()
    assert titles(html) == ["Alpha report", "Beta study", "Gamma note"]
    counts = re.findall(r'<td class="num">(\d+)</td>', html)
    assert counts == ["0", "3", "1"]
    cited = client.get("/sources/?sort=cited").content.decode()
    assert titles(cited) == ["Beta study", "Gamma note", "Alpha report"]
    dated = client.get("/sources/?sort=date").content.decode()
    assert titles(dated) == ["Gamma note", "Beta study", "Alpha report"]  # 2021-02, 2021, 2019


def test_library_filters_by_publisher_and_year_and_ignores_unknown_values(client):
    library()
    assert titles(client.get("/sources/?publisher=UN").content.decode()) == [
        "Alpha report",
        "Gamma note",
    ]
    assert titles(client.get("/sources/?year=2021").content.decode()) == [
        "Beta study",
        "Gamma note",
    ]
    assert titles(client.get("/sources/?publisher=UN&year=2021").content.decode()) == ["Gamma note"]
    html = client.get("/sources/?publisher=<b>&year=x&sort=drop").content.decode()
    assert titles(html) == ["Alpha report", "Beta study", "Gamma note"]
    assert '<option value="OECD">OECD</option>' in html and "<option>2019</option>" in html


def test_drafts_do_not_count_as_citations(client):
    make_source("a")
    make_article(slug="draft", lead="[@a]", status=Article.Status.DRAFT)
    assert re.findall(r'<td class="num">(\d+)</td>', client.get("/sources/").content.decode()) == [
        "0"
    ]
    assert cited_by_links(client, "a") == []


def test_source_page_shows_the_formatted_reference_and_its_details(client):
    make_source(
        "un",
        title="World Water Report",
        authors="UN-Water",
        date="2023",
        url="https://www.unwater.org/report",
        archive_url="https://web.archive.org/web/2023/https://www.unwater.org/report",
        accessed=date(2024, 3, 5),
        quote="Water is life.",
    )
    response = client.get("/sources/un/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<cite class="source">UN-Water (2023).' in html
    assert 'href="https://www.unwater.org/report"' in html
    assert 'href="https://web.archive.org/web/2023/https://www.unwater.org/report"' in html
    assert "5 March 2024" in html and "Water is life." in html
    assert "<code>[@un]</code>" in html
    assert client.get("/sources/nothing/").status_code == 404


def test_cited_by_links_to_each_exact_citation_on_the_article_page(client):
    make_source("k")
    make_source("other")
    article = make_article(lead="Lead [@k].")
    make_section(article, heading="First", body="[@other] One [@k]. Two [@k, p. 3].")
    make_section(article, heading="Clean", body="No citation of that key.")
    make_section(article, heading="Last", body="Again [@k].")
    html = client.get("/sources/k/").content.decode()
    assert "Cited 4 times in 3 places" in html
    assert cited_by_links(client, "k") == ["/wiki/water/#cite-k-1", "/wiki/water/#cite-k-2",
                                           "/wiki/water/#cite-k-4"]  # fmt: skip
    assert 'href="/wiki/water/#cite-k-3"' in html  # the second citation in "First"
    page = client.get("/wiki/water/").content.decode()
    for anchor, number in [("first", 2), ("first", 3), ("last", 4)]:
        section = page.split(f'<section id="{anchor}"', 1)[1].split("</section>", 1)[0]
        assert f'id="cite-k-{number}"' in section


def test_cited_by_links_arguments_to_their_citation_on_the_debate_page(client):
    make_source("k")
    debate = make_debate(make_article())
    make_argument(debate, slug="pro", body="Yes [@k].")
    links = cited_by_links(client, "k")
    assert links == ["/wiki/water/debate/dams/#arg-pro-cite-k-1"]
    assert 'id="arg-pro-cite-k-1"' in client.get("/wiki/water/debate/dams/").content.decode()


def test_a_key_that_starts_another_key_is_not_confused_with_it(client):
    make_source("un")
    make_source("un-2023")
    make_section(make_article(), heading="S", body="[@un-2023] and [@un-2023]")
    assert cited_by_links(client, "un") == []
    assert cited_by_links(client, "un-2023") == ["/wiki/water/#cite-un-2023-1"]


def test_cited_by_follows_adding_removing_and_reverting_a_citation(client):
    make_source("k")
    article = make_article(lead="Plain lead.")
    make_section(article, heading="Body", anchor="body", body="No sources yet.")
    first = save_revision(article, "first")
    assert cited_by_links(client, "k") == []

    cited = save_revision(article, "cite", sections={"body": "Now sourced [@k]."})
    assert cited_by_links(client, "k") == ["/wiki/water/#cite-k-1"]

    save_revision(article, "uncite", sections={"body": "Sources removed."})
    assert cited_by_links(client, "k") == []

    editor = User.objects.create_user("editor", is_staff=True)
    revert_article(article, state_at(article, cited).revision, user=editor)
    assert Section.objects.get(anchor="body").body == "Now sourced [@k]."
    assert cited_by_links(client, "k") == ["/wiki/water/#cite-k-1"]

    revert_article(article, state_at(article, first).revision, user=editor)
    assert cited_by_links(client, "k") == []


def page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def grow(slug: str, sections: int, arguments: int) -> None:
    article = make_article(slug=slug, title=slug)
    for n in range(sections):
        make_section(article, heading=f"S{n}", body=f"[@shared] [@{slug}-{n}] [@shared]")
        make_source(f"{slug}-{n}")
    debate = make_debate(article, slug=f"d-{slug}")
    for n in range(arguments):
        make_argument(debate, slug=f"a{n}", side=("supporter", "critic")[n % 2], body="[@shared]")


def test_source_pages_cost_the_same_queries_whatever_the_citations(client):
    make_source("shared")
    grow("small", sections=1, arguments=1)
    small = page_queries(client, "/sources/shared/"), page_queries(client, "/sources/")
    grow("large", sections=40, arguments=30)
    large = page_queries(client, "/sources/shared/"), page_queries(client, "/sources/")
    assert small == large
    html = client.get("/sources/shared/").content.decode()
    assert "Cited 113 times in 72 places" in html
