"""History for readers: page history, permalinks, diffs, section history, feeds, revert."""

import re
import xml.etree.ElementTree as ET

import pytest
import reversion
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from articles.models import Section
from articles.revisions import latest_revision_id
from tests.editing import make_editor
from tests.factories import make_article, make_section, make_source, save_revision

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def edited():
    """An article with three revisions: created, lead rewritten, a section added."""
    make_source("a", title="Source A")
    make_source("b", title="Source B")
    article = make_article(lead="Water is wet [@a].")
    make_section(article, heading="Rivers", body="Rivers flow [@b].")
    first = save_revision(article, "Create")
    second = save_revision(article, "Cite B first", lead="Water is wet [@b] and [@a].")
    make_section(article, heading="Seas", body="Seas are salty.")
    third = save_revision(article, "Add seas")
    return article, [first, second, third]


def test_history_lists_revisions_newest_first_with_size_changes(client, edited):
    article, ids = edited
    html = client.get("/wiki/water/history/").content.decode()
    comments = re.findall(r'<td class="summary">([^<]+)</td>', html)
    assert comments == ["Add seas", "Cite B first", "Create"]
    sizes = re.findall(
        r'<td class="size">(\d+)(?: <span class="size-change[^"]*">\(([+-]?\d+)\))?', html
    )
    lead_growth = len("Water is wet [@b] and [@a].") - len("Water is wet [@a].")
    assert sizes[1][1] == f"+{lead_growth}"
    assert sizes[0][1] == f"+{len('Seas') + len('Seas are salty.')}"
    assert sizes[2][1] == ""  # the first revision has nothing to compare with
    assert re.search(r'<td class="sections-changed">Seas</td>', html)
    assert f'href="/wiki/water/diff/?from={ids[1]}&amp;to={ids[2]}"' in html


def test_each_revision_permalink_shows_the_article_as_it_was(client, edited):
    article, (first, second, third) = edited
    old = client.get(f"/wiki/water/revision/{first}/").content.decode()
    assert "You are reading an old revision" in old
    assert '<a href="#ref-a" id="cite-a-1">[1]</a>' in old  # numbering as it was then
    assert '<a href="#ref-b" id="cite-b-1">[2]</a>' in old
    assert "Seas are salty" not in old
    middle = client.get(f"/wiki/water/revision/{second}/").content.decode()
    assert '<a href="#ref-b" id="cite-b-1">[1]</a>' in middle
    assert f'href="/wiki/water/revision/{first}/" rel="prev"' in middle
    assert f'href="/wiki/water/revision/{third}/" rel="next"' in middle
    latest = client.get(f"/wiki/water/revision/{third}/").content.decode()
    assert "Seas are salty" in latest and "Latest revision" in latest


def test_cite_this_page_gives_permanent_url(client, edited):
    article, (first, *_rest) = edited
    html = client.get(f"/wiki/water/revision/{first}/").content.decode()
    assert f"http://testserver/wiki/water/revision/{first}/" in html
    assert "<i>MiitWiki</i>, revision" in html
    assert "Cite this page" in client.get("/wiki/water/").content.decode()


def test_diff_between_non_adjacent_revisions_names_section_changes(client):
    article = make_article(lead="Lead.")
    for heading in ["Alpha", "Beta", "Gamma", "Delta"]:
        make_section(article, heading=heading, body=f"{heading} text stays here.")
    start = save_revision(article, "Start")
    Section.objects.filter(anchor="beta").update(heading="Bravo")  # renamed
    Section.objects.filter(anchor="alpha").update(position=9)  # moved to the end
    save_revision(article, "Rename and move")
    Section.objects.filter(anchor="gamma").delete()  # removed
    make_section(article, heading="Epsilon", body="New words.", position=20)  # added
    Section.objects.filter(anchor="delta").update(body="Delta text changed here.")
    end = save_revision(article, "Edit", lead="Lead, longer.")
    html = client.get(f"/wiki/water/diff/?from={start}&to={end}").content.decode()
    assert "Bravo" in html and "renamed from “Beta”" in html
    assert re.search(r"Alpha\s*<span class=\"diff-status\">moved", html)
    assert re.search(r'diff-removed">\s*<h3>Gamma', html)
    assert re.search(r'diff-added">\s*<h3>Epsilon', html)
    assert "Delta text <del>stays </del><ins>changed </ins>here." in html
    assert "Lead<ins>, longer</ins>." in html


def test_diff_shows_debate_and_source_changes(client):
    from tests.factories import make_argument, make_debate

    make_source("x")
    article = make_article(lead="Lead.")
    debate = make_debate(article)
    start = save_revision(article, "Start")
    make_argument(debate, side="critic", summary="Floods", body="Valleys drown [@x].")
    end = save_revision(article, "Add critic")
    html = client.get(f"/wiki/water/diff/?from={start}&to={end}").content.decode()
    assert re.search(r"Critic: Floods\s*<span class=\"diff-status\">added", html)
    assert "Now cited: <ins>x</ins>" in html


def test_same_revision_twice_has_no_changes(client, edited):
    _article, (first, *_rest) = edited
    html = client.get(f"/wiki/water/diff/?from={first}&to={first}").content.decode()
    assert "These two revisions are the same." in html


def test_section_history_survives_a_rename_and_shows_diffs(client, edited):
    article, ids = edited
    rivers = article.sections.get(anchor="rivers")
    rivers.heading, rivers.body = "Rivers and streams", "Rivers flow downhill [@b]."
    with reversion.create_revision():
        rivers.save()
        reversion.set_comment("Rename rivers")
    html = client.get("/wiki/water/section/rivers/history/").content.decode()
    assert "Rivers and streams" in html
    assert "Rename rivers" in html and "Rivers flow <ins>downhill </ins>[@b]." in html
    assert "section added" in html
    assert "Cite B first" not in html  # that revision did not touch this section
    assert html.count('class="section-change"') == 2


def test_section_history_of_changed_anchor_redirects_and_of_deleted_section_works(client, edited):
    article, _ids = edited
    seas = article.sections.get(anchor="seas")
    seas.anchor = "oceans"
    with reversion.create_revision():
        seas.save()
    response = client.get("/wiki/water/section/seas/history/")
    assert response.status_code == 302 and response["Location"].endswith("/section/oceans/history/")
    with reversion.create_revision():
        seas.delete()
        article.save()
    html = client.get("/wiki/water/section/oceans/history/").content.decode()
    assert "section deleted" in html
    assert client.get("/wiki/water/section/never-was/history/").status_code == 404


def parse_atom(content: bytes) -> ET.Element:
    feed = ET.fromstring(content)  # noqa: S314 - our own feed, from the test client
    assert feed.tag == f"{ATOM}feed"
    return feed


def test_recent_changes_and_feeds_link_to_diffs(client, edited):
    article, (first, second, third) = edited
    html = client.get("/recent/").content.decode()
    assert f'href="/wiki/water/diff/?from={second}&amp;to={third}"' in html
    for url in ["/recent/feed/", "/wiki/water/history/feed/"]:
        response = client.get(url)
        assert response["Content-Type"].startswith("application/atom+xml")
        entries = parse_atom(response.content).findall(f"{ATOM}entry")
        assert len(entries) == 3
        links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
        assert links[0] == f"http://testserver/wiki/water/diff/?from={second}&to={third}"
        assert links[-1] == f"http://testserver/wiki/water/revision/{first}/"
        titles = [entry.find(f"{ATOM}title").text for entry in entries]
        assert titles[0] == "Water: Add seas"


def test_drafts_stay_out_of_recent_changes(client, edited):
    article, _ids = edited
    article.status = "draft"
    article.save()
    assert "Water" not in client.get("/recent/").content.decode()
    assert client.get("/wiki/water/history/").status_code == 404


@pytest.mark.parametrize(
    ("query", "status"),
    [("", 400), ("?from=1", 400), ("?from=x&to=2", 400), ("?from=99999&to=99999", 404)],
)
def test_bad_diff_requests_are_clear_errors(client, edited, query, status):
    response = client.get(f"/wiki/water/diff/{query}")
    assert response.status_code == status


def test_diff_from_newer_to_older_is_a_400_and_other_articles_revisions_404(client, edited):
    article, (first, second, third) = edited
    response = client.get(f"/wiki/water/diff/?from={third}&to={first}")
    assert response.status_code == 400 and "swap" in response.content.decode()
    other = make_article(slug="fire", title="Fire")
    foreign = save_revision(other, "Fire")
    assert client.get(f"/wiki/water/revision/{foreign}/").status_code == 404
    assert client.get(f"/wiki/water/diff/?from={first}&to={foreign}").status_code == 404
    assert client.get("/wiki/nothing/history/").status_code == 404


def test_revert_from_history_is_for_editors_only(edited):
    article, (first, second, third) = edited
    url = f"/wiki/water/revision/{first}/revert/"
    anonymous = Client()
    assert anonymous.get(url).status_code == 403
    assert anonymous.post(url, {"summary": "x"}).status_code == 403
    assert "revert to this" not in anonymous.get("/wiki/water/history/").content.decode()
    reader = Client()
    reader.force_login(User.objects.create_user("reader", password="pw"))
    assert reader.post(url, {"summary": "x"}).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_editor())
    assert strict.post(url, {"summary": "x"}).status_code == 403  # no CSRF token
    assert latest_revision_id(article) == third


def test_editor_reverts_and_it_becomes_a_new_revision(client, edited):
    article, (first, second, third) = edited
    client.force_login(make_editor())
    assert "revert to this" in client.get("/wiki/water/history/").content.decode()
    page = client.get(f"/wiki/water/revision/{first}/revert/")
    assert page.status_code == 200 and "Why are you reverting?" in page.content.decode()
    response = client.post(f"/wiki/water/revision/{first}/revert/", {"summary": "Too soon"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.lead == "Water is wet [@a]."
    assert list(article.sections.values_list("heading", flat=True)) == ["Rivers"]
    newest = Version.objects.get_for_object(article).order_by("-revision_id").first().revision
    assert newest.pk > third and newest.comment.endswith(": Too soon")
    assert newest.user.username == "editor"


def make_history(slug: str, revisions: int):
    article = make_article(slug=slug, title=slug.title(), lead="v0")
    make_section(article, heading="Only", body="text")
    for n in range(revisions):
        save_revision(article, f"edit {n}", lead=f"v{n}")
    return article


def history_queries(client, slug: str, page: int = 1) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/wiki/{slug}/history/?page={page}")
    assert response.status_code == 200
    return len(queries)


def test_history_query_count_does_not_grow_with_revisions(client):
    make_history("short", 10)
    make_history("long", 500)
    assert history_queries(client, "short") == history_queries(client, "long")
    assert history_queries(client, "long", page=5) == history_queries(client, "short")
    assert "Page 5 of 10" in client.get("/wiki/long/history/?page=5").content.decode()
