"""The read API's answers: what they hold, who sees drafts, and junk refused as JSON."""

import base64
import json

import pytest
import reversion
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from articles.citations import find_citation_keys
from articles.models import Article, Source
from articles.revisions import latest_revision_id
from tests.editing import make_editor
from tests.factories import make_big_article, make_section

pytestmark = pytest.mark.django_db


def get_json(url: str, client: Client | None = None, status: int = 200) -> dict:
    response = (client or Client()).get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def every_page(url: str, client: Client | None = None) -> list[dict]:
    """The results of every page of a cursor-paginated list, following `next`."""
    results = []
    while url:
        page = get_json(url, client)
        results += page["results"]
        url = page["next"]
    return results


def test_article_list_holds_published_articles_only(miit, draft):
    results = every_page("/api/v1/articles/")
    assert [article["slug"] for article in results] == ["miit"]
    assert results[0]["url"] == "http://testserver/api/v1/articles/miit/"
    assert results[0]["page"] == "http://testserver/wiki/miit/"


def test_editors_with_a_token_see_drafts_and_get_nothing_stored(miit, draft, token_client):
    slugs = [article["slug"] for article in every_page("/api/v1/articles/", token_client)]
    assert slugs == ["draft", "miit"]
    response = token_client.get("/api/v1/articles/draft/")
    assert response.status_code == 200
    assert json.loads(response.content)["status"] == "draft"
    assert "no-store" in response["Cache-Control"]


def test_a_bad_token_is_refused_with_a_json_401(draft):
    client = Client(headers={"Authorization": "Token not-a-token"})
    assert get_json("/api/v1/articles/", client, status=401)["detail"] == "Invalid token."


def test_a_draft_is_a_json_404_for_anonymous_clients(draft):
    error = get_json("/api/v1/articles/draft/", status=404)
    assert error == {"status": 404, "detail": "No published article has this address."}


def test_article_gives_markdown_html_and_each_reference_with_its_source(miit):
    article = get_json("/api/v1/articles/miit/")
    assert article["lead"]["markdown"] == miit.lead
    assert '<sup class="citation">' in article["lead"]["html"]
    sections = list(miit.sections.all())
    assert [s["anchor"] for s in article["sections"]] == [s.anchor for s in sections]
    assert [s["markdown"] for s in article["sections"]] == [s.body for s in sections]
    numbers = [reference["number"] for reference in article["references"]]
    assert numbers == list(range(1, len(numbers) + 1)) and numbers
    arguments = [a for d in article["debates"] for a in d["supporters"] + d["critics"]]
    html = "".join(part["html"] for part in [article["lead"], *article["sections"], *arguments])
    for reference in article["references"]:
        assert reference["source"]["key"] == reference["key"]
        assert reference["citations"][0] == f"cite-{reference['key']}-1"
        assert f'href="#ref-{reference["key"]}" id="cite-{reference["key"]}-1"' in html
    assert article["revision"] is None
    assert len(article["debates"]) == miit.debates.count()


def test_debates_come_with_arguments_by_side_and_their_rebuttals(miit):
    debates = every_page("/api/v1/debates/")
    assert [d["slug"] for d in debates] == list(miit.debates.values_list("slug", flat=True))
    arguments = [a for d in debates for a in d["supporters"] + d["critics"]]
    assert {a["side"] for d in debates for a in d["supporters"]} == {"supporter"}
    assert {a["side"] for d in debates for a in d["critics"]} == {"critic"}
    ids = {argument["id"] for argument in arguments}
    rebuttals = [a for a in arguments if a["responds_to"]]
    assert rebuttals and all(a["responds_to"] in ids for a in rebuttals)


def test_sources_walk_page_by_page_each_with_what_cites_it(miit):
    sources = every_page("/api/v1/sources/?limit=3")
    keys = [source["key"] for source in sources]
    assert keys == sorted(keys) and len(keys) == Source.objects.count()
    lead_key = find_citation_keys(miit.lead)[0]
    cited = next(source for source in sources if source["key"] == lead_key)
    assert {"article": "miit", "kind": "lead", "label": "Lead"}.items() <= cited["cited_by"][
        0
    ].items()
    assert cited["cited_by"][0]["links"][0] == f"http://testserver/wiki/miit/#cite-{lead_key}-1"


def test_revisions_list_newest_first_and_each_revision_holds_its_state(miit):
    with reversion.create_revision():
        make_section(miit, heading="Later", anchor="later", body="Added later.")
        miit.save()
    revisions = every_page("/api/v1/articles/miit/revisions/")
    assert [r["id"] for r in revisions] == sorted((r["id"] for r in revisions), reverse=True)
    newest, first = revisions[0], revisions[-1]
    assert newest["sections_changed"] == ["Later"] and newest["previous"] == first["id"]
    old = get_json(first["url"])
    new = get_json(newest["url"])
    assert "later" not in [s["anchor"] for s in old["sections"]]
    assert new["sections"][-1]["markdown"] == "Added later."
    assert old["revision"]["id"] == first["id"]
    assert old["page"] == f"http://testserver/wiki/miit/revision/{first['id']}/"


@pytest.mark.parametrize("revision_id", ["999999", str(2**63), "9" * 30])
def test_unknown_and_huge_revision_ids_are_json_404s(miit, revision_id):
    error = get_json(f"/api/v1/articles/miit/revisions/{revision_id}/", status=404)
    assert error["status"] == 404


def test_a_revision_of_another_article_is_not_found_here(miit, draft):
    with reversion.create_revision():
        other = Article.objects.create(slug="other", title="Other", status="published")
    get_json(f"/api/v1/articles/miit/revisions/{latest_revision_id(other)}/", status=404)


def test_a_diff_compares_two_revisions_section_by_section(miit):
    first = latest_revision_id(miit)
    section = miit.sections.first()
    with reversion.create_revision():
        section.body = section.body.replace("Miit", "MIIT", 1)
        section.save()
        miit.save()
    second = latest_revision_id(miit)
    diff = get_json(f"/api/v1/articles/miit/diff/?from={first}&to={second}")
    assert (diff["old"]["id"], diff["new"]["id"]) == (first, second)
    changed = [s for s in diff["sections"] if s["status"] != "unchanged"]
    assert [s["anchor"] for s in changed] == [section.anchor]
    runs = changed[0]["changed"]["body"]
    assert {"op": "delete", "text": "Miit "} in runs and {"op": "insert", "text": "MIIT "} in runs
    backwards = get_json(f"/api/v1/articles/miit/diff/?from={second}&to={first}", status=400)
    assert "older" in backwards["detail"]
    get_json(f"/api/v1/articles/miit/diff/?from={first}&to=999999", status=404)


def test_a_section_history_lists_its_edits_and_its_deletion(miit):
    section = miit.sections.last()
    section_id = section.pk
    with reversion.create_revision():
        section.delete()
        miit.save()
    history = get_json(f"/api/v1/articles/miit/sections/{section.anchor}/history/")
    assert history["section"] == section_id and history["next"] is None
    deleted, added = history["results"]
    assert deleted["after"] is None and deleted["before"]["body"] == section.body
    assert added["before"] is None and added["after"]["heading"] == section.heading
    get_json("/api/v1/articles/miit/sections/never-there/history/", status=404)


def test_a_long_section_history_pages_newest_first_with_the_deletion_on_top(miit):
    section = miit.sections.first()
    original = section.body
    for n in range(5):
        section.body = f"Edit {n}."
        with reversion.create_revision():
            section.save()
            miit.save()
    with reversion.create_revision():  # a move alone is no change of the section
        section.position += 10
        section.save()
        miit.save()
    with reversion.create_revision():
        section.delete()
        miit.save()
    url = f"/api/v1/articles/miit/sections/{section.anchor}/history/?limit=2"
    first = get_json(url)
    # The deletion, then of a page of two versions the edit, not the move.
    deleted, edited = first["results"]
    assert deleted["after"] is None and edited["after"]["body"] == "Edit 4."
    entries = every_page(url)
    bodies = [(e["before"] or {}).get("body") for e in entries]
    assert bodies == ["Edit 4.", "Edit 3.", "Edit 2.", "Edit 1.", "Edit 0.", original, None]
    assert [e["revision"]["id"] for e in entries] == sorted(
        (e["revision"]["id"] for e in entries), reverse=True
    )
    # Going back from the second page gives the first page again, deletion included.
    second = get_json(first["next"])
    assert get_json(second["previous"])["results"] == first["results"]


def test_lists_filter_by_date(miit, draft):
    miit_changed = miit.updated_at.date().isoformat()
    assert every_page(f"/api/v1/articles/?since={miit_changed}")
    assert every_page(f"/api/v1/articles/?until={miit_changed}") == []
    assert every_page("/api/v1/recent/?since=2999-01-01") == []
    assert every_page("/api/v1/articles/miit/revisions/?until=2000-01-01") == []
    assert len(every_page("/api/v1/recent/?since=2000-01-01T00:00:00Z")) == 1
    assert get_json("/api/v1/recent/?since=yesterday", status=400)["detail"].startswith("since:")


def test_search_marks_matches_and_refuses_junk_pages(miit):
    found = get_json("/api/v1/search/?q=ministry")
    assert found["results"] and "<mark>" in found["results"][0]["snippet"]
    assert get_json("/api/v1/search/", status=400)["detail"].startswith("q:")
    assert get_json("/api/v1/search/?q=x&page=0", status=400)["status"] == 400
    assert get_json("/api/v1/search/?q=x&page=51", status=400)["status"] == 400


def test_recent_changes_name_article_and_revision(miit):
    changes = every_page("/api/v1/recent/")
    assert [(c["article"], c["id"]) for c in changes] == [("miit", latest_revision_id(miit))]


def cursor(position: str) -> str:
    return base64.b64encode(f"o=0&p={position}".encode()).decode()


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/articles/?cursor=junk", 400),
        (f"/api/v1/articles/?cursor={cursor('%00')}", 400),
        (f"/api/v1/debates/?cursor={cursor('abc')}", 400),
        (f"/api/v1/recent/?cursor={cursor(str(2**64))}", 400),
        ("/api/v1/articles/miit/sections/history-and-mandate/history/?cursor=junk", 400),
        (f"/api/v1/articles/miit/sections/history-and-mandate/history/?cursor={cursor('x1')}", 400),
        ("/api/v1/articles/miit/sections/history-and-mandate/history/?limit=1000", 400),
        ("/api/v1/articles/?limit=0", 400),
        ("/api/v1/articles/?limit=101", 400),
        ("/api/v1/sources/?limit=" + "9" * 40, 400),
        ("/api/v1/debates/?limit=ten", 400),
        ("/api/v1/no/such/thing/", 404),
        ("/api/v1/articles/miit/revisions/99999999999999999999/", 404),
        ("/api/v1/search/?q=%00", 400),  # refused by miitwiki.control_characters, as JSON
    ],
)
def test_junk_gets_a_json_error(miit, url, status):
    error = get_json(url, status=status)
    assert error["status"] == status and error["detail"]


def test_a_valid_cursor_position_still_pages(miit):
    page = get_json(f"/api/v1/debates/?cursor={cursor('1')}")
    assert all(debate["id"] > 1 for debate in page["results"])


def test_anonymous_answers_revalidate_with_the_pages_etag(miit):
    client = Client()
    first = client.get("/api/v1/articles/miit/")
    assert {"public", "max-age=60"} <= {p.strip() for p in first["Cache-Control"].split(",")}
    assert first["Last-Modified"]
    again = client.get("/api/v1/articles/miit/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    with reversion.create_revision():
        miit.save()  # any edit changes the stamp, and so the ETag
    changed = client.get("/api/v1/articles/miit/", headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def count_queries(url: str, client: Client | None = None, **headers) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = (client or Client()).get(url, headers=headers)
    assert response.status_code in (200, 304), response.content
    return len(captured), response


def test_warm_article_answer_takes_at_most_three_queries(miit, settings):
    """Warm: stored bytes and the stamp's one query, REST framework not run; within
    PAGE_FRESH_SECONDS of the last answer, no query at all."""
    first_queries, first = count_queries("/api/v1/articles/miit/")
    settings.PAGE_FRESH_SECONDS = 0  # past the recent window: the stamp is checked
    queries, warm = count_queries("/api/v1/articles/miit/")
    assert queries <= 3 < first_queries
    assert warm.content == first.content and warm["ETag"] == first["ETag"]
    assert json.loads(warm.content)["slug"] == "miit"
    queries, not_modified = count_queries("/api/v1/articles/miit/", If_None_Match=first["ETag"])
    assert queries <= 3 and not_modified.status_code == 304
    settings.PAGE_FRESH_SECONDS = 60
    count_queries("/api/v1/articles/miit/")
    queries, recent = count_queries("/api/v1/articles/miit/")
    assert queries == 0 and recent.content == first.content
    assert recent["Access-Control-Allow-Origin"] == "*" and recent["X-Frame-Options"] == "DENY"
    assert {"Authorization", "Accept-Encoding", "Cookie"} <= {
        v.strip() for v in recent["Vary"].split(",")
    }


def test_an_editors_token_is_never_given_a_stored_answer(miit, draft, token_client, settings):
    settings.PAGE_FRESH_SECONDS = 60
    for _ in range(2):
        Client().get("/api/v1/articles/")  # stored for anonymous clients
    mine = get_json("/api/v1/articles/", token_client)
    assert "draft" in [article["slug"] for article in mine["results"]]


def test_a_stored_answer_still_counts_nothing_against_the_limit_and_errors_are_not_stored(
    miit, settings
):
    settings.PAGE_FRESH_SECONDS = 60
    settings.API_ANONYMOUS_RATE = "2/minute"
    client = Client()
    for _ in range(5):  # one answer made, four stored ones
        assert client.get("/api/v1/articles/miit/").status_code == 200
    assert client.get("/api/v1/articles/?limit=1").status_code == 200  # made: the second
    refused = client.get("/api/v1/articles/?limit=2")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused["Access-Control-Allow-Origin"] == "*"
    assert client.get("/api/v1/articles/?limit=2").status_code == 429  # never stored
    assert client.get("/api/v1/articles/miit/").status_code == 200


def test_stored_answer_is_compressed_for_clients_that_accept_it(miit):
    Client().get("/api/v1/articles/miit/")
    response = Client().get("/api/v1/articles/miit/", headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Authorization" in response["Vary"] and "Accept-Encoding" in response["Vary"]


def test_list_answers_take_the_same_queries_for_one_item_or_many(miit):
    """Counted for editors, who are never served stored answers."""

    client = Client()
    client.force_login(make_editor())

    def queries(url: str) -> int:
        client.get(url)  # session and permissions warm
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    urls = ["/api/v1/articles/", "/api/v1/debates/", "/api/v1/sources/", "/api/v1/recent/"]
    before = {url: queries(url) for url in urls}
    for n in range(3):
        article = make_big_article(f"more{n}", sections=3, sources=2, debates=2)
        with reversion.create_revision():
            article.save()
    assert {url: queries(url) for url in urls} == before


def test_list_pages_take_the_same_queries_for_anonymous_clients_as_content_grows(miit):
    """Every list, rendered for an anonymous client (a query string keeps the stored
    pages out): a full page of 2 costs what a page of 1 did, and so does the next page."""
    section = miit.sections.first()
    lists = [
        "/api/v1/articles/", "/api/v1/debates/", "/api/v1/sources/", "/api/v1/recent/",
        "/api/v1/articles/miit/revisions/",
        f"/api/v1/articles/miit/sections/{section.anchor}/history/",
    ]  # fmt: skip

    def first_pages() -> dict[str, int]:
        return {url: count_queries(f"{url}?limit=2")[0] for url in lists}

    few = first_pages()
    for n in range(4):
        article = make_big_article(f"grown{n}", sections=3, sources=2, debates=2)
        section.body = f"Edit {n}."
        with reversion.create_revision():
            article.save()
            section.save()
            miit.save()
    assert first_pages() == few
    for url in lists:
        page = json.loads(count_queries(f"{url}?limit=2")[1].content)
        assert len(page["results"]) == 2 and page["next"], url
        assert count_queries(page["next"])[0] <= few[url], url


def test_every_revision_of_the_seed_reads_as_its_permalink_page_shows_it(miit):
    """The API's text of each revision, rendered or not, is the permalink page's."""
    sections = list(miit.sections.all())
    with reversion.create_revision():
        sections[0].body += (
            "\n\nA sentence added later [@" + find_citation_keys(miit.lead)[0] + "]."
        )
        sections[0].save()
        sections[-1].delete()
        miit.title = "Miit (ministry)"
        miit.save()
    revisions = every_page("/api/v1/articles/miit/revisions/")
    assert len(revisions) == 2
    for revision in revisions:
        api = get_json(revision["url"])
        page = Client().get(f"/wiki/miit/revision/{revision['id']}/").content.decode()
        marked = f'lang="{api["language"]}" dir="ltr"'
        assert f"<h1 {marked}>{escape(api['title'])}</h1>" in page
        assert f'<div class="lead" {marked}>{api["lead"]["html"]}</div>' in page
        for section in api["sections"]:
            assert f'<section id="{section["anchor"]}"' in page
            assert section["html"] in page
        arguments = [a for d in api["debates"] for a in d["supporters"] + d["critics"]]
        assert all(argument["html"] in page for argument in arguments)
        for reference in api["references"]:
            assert f'<li id="ref-{reference["key"]}"' in page
    old, new = (get_json(r["url"]) for r in reversed(revisions))
    assert len(old["sections"]) == len(new["sections"]) + 1
    assert new["title"] == "Miit (ministry)" and old["title"] == "Miit"
