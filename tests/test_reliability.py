"""The source reliability register: ratings by registrable domain or per source,
badges beside references and on source pages, warnings for editors, no stale
cached page, constant query counts."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from articles.maintenance import maintenance_report
from articles.models import Rating, Source
from articles.reliability.domains import registrable_domain
from articles.reliability.warnings import rated_citations
from articles.stamps import article_stamp, wiki_stamp
from tests.editing import article_form, make_editor
from tests.factories import make_argument, make_article, make_debate, make_source
from tests.test_views import article_page_queries, make_two_sizes

pytestmark = pytest.mark.django_db
LINK = "https://example.org/register"


def rate(
    level: str, domain: str | None = None, source: Source | None = None, reason="Why."
) -> Rating:
    rating = Rating(domain=domain, source=source, level=level, reason=reason, link=LINK)
    rating.full_clean()
    rating.save()
    return rating


def reference(html: str, key: str) -> str:
    return html.split(f'<li id="ref-{key}"', 1)[1].split("</li>", 1)[0]


@pytest.mark.parametrize(
    ("given", "domain"),
    [
        ("https://www.hrw.org/news/2016/x", "hrw.org"),
        ("http://big5.cctv.com/gate/big5/x.shtml", "cctv.com"),
        ("https://a.b.example.co.uk:8443/x?y#z", "example.co.uk"),
        ("WWW.Example.ORG", "example.org"),
        ("https://127.0.0.1/x", ""),
        ("co.uk", ""),
        ("", ""),
    ],
)
def test_registrable_domain_offline(given, domain):
    assert registrable_domain(given) == domain


def test_a_source_keeps_its_registrable_domain():
    source = make_source("hrw", url="https://www.hrw.org/news/x")
    assert source.domain == "hrw.org"
    source.url = ""
    source.save()
    assert Source.objects.get(pk=source.pk).domain is None


def test_loaddata_gives_fixture_sources_their_domains():
    call_command("loaddata", "miit", verbosity=0)
    assert Source.objects.get(key="hrw-cybersecurity-law-2016").domain == "hrw.org"
    assert Source.objects.get(key="telecom-regulations-2000").domain is None  # no url


def test_a_rating_names_a_registrable_domain_or_one_source():
    assert rate("marginal", domain="https://news.Example.org/page").domain == "example.org"
    source = make_source("a")
    for fields in [{}, {"domain": "example.com", "source": source}, {"domain": "127.0.0.1"}]:
        with pytest.raises(ValidationError):
            Rating(level="marginal", reason="r", link=LINK, **fields).full_clean()


def test_a_source_rating_overrides_its_domain_and_subdomains_share_the_domains(client):
    make_source("news", url="https://news.example.org/a")
    special = make_source("blog", url="https://blog.example.org/b")
    make_source("other", url="https://example.net/c")
    rate("unreliable", domain="example.org", reason="Publishes rumours as news.")
    rate("reliable", source=special, reason="Edited by named experts.")
    make_article(lead="One [@news]. Two [@blog]. Three [@other].")
    html = client.get("/wiki/water/").content.decode()
    assert 'data-reliability="unreliable"' in reference(html, "news")
    assert 'title="Publishes rumours as news."' in reference(html, "news")
    assert ">Generally unreliable</a>" in reference(html, "news")
    assert 'data-reliability="reliable"' in reference(html, "blog")
    assert "data-reliability" not in reference(html, "other")


def test_the_source_page_shows_the_rating_with_its_reason_and_link(client):
    source = make_source("news", url="https://news.example.org/a")
    rate("deprecated", domain="example.org", reason="Fabricated quotes.")
    html = client.get(source.get_absolute_url()).content.decode()
    assert 'data-reliability="deprecated"' in html
    assert "Fabricated quotes." in html and f'href="{LINK}"' in html
    assert "rated for every source on example.org" in html
    assert (
        'data-reliability="unrated"'
        in client.get(make_source("x").get_absolute_url()).content.decode()
    )


def test_debate_pages_show_the_badge_too(client):
    source = make_source("news", url="https://example.org/a")
    rate("deprecated", source=source)
    debate = make_debate(make_article())
    make_argument(debate, body="Because [@news].")
    make_argument(debate, side="critic", summary="No", body="No.")
    html = client.get(debate.get_absolute_url()).content.decode()
    assert 'data-reliability="deprecated"' in html


def test_a_rating_change_changes_the_stamps_so_no_page_shows_a_stale_badge(client, settings):
    settings.PAGE_FRESH_SECONDS = 0  # no grace period: every view reads the stamp
    source = make_source("news", url="https://example.org/a")
    make_article(lead="Claim [@news].")
    stamps = [article_stamp("water").digest, wiki_stamp().digest]
    assert "data-reliability" not in client.get("/wiki/water/").content.decode()  # cached now
    rating = rate("marginal", domain="example.org")
    assert 'data-reliability="marginal"' in client.get("/wiki/water/").content.decode()
    rating.level = Rating.Level.DEPRECATED
    rating.save()
    assert 'data-reliability="deprecated"' in client.get("/wiki/water/").content.decode()
    assert 'data-reliability="deprecated"' in client.get(source.get_absolute_url()).content.decode()
    rated = [article_stamp("water").digest, wiki_stamp().digest]
    assert rated[0] != stamps[0] and rated[1] != stamps[1]
    rating.delete()
    assert "data-reliability" not in client.get("/wiki/water/").content.decode()
    # The same register as at first: the same pages, under the same stamps.
    assert [article_stamp("water").digest, wiki_stamp().digest] == stamps


def test_article_page_queries_stay_constant_with_rated_sources(client, settings):
    settings.PAGE_FRESH_SECONDS = 0  # every warm view reads the stamp, however slow the machine
    make_two_sizes()
    for n in range(0, 40, 3):
        rate("unreliable", source=Source.objects.get(key=f"large-s{n}"))
    rate("deprecated", source=Source.objects.get(key="small-s1"))
    cold = [article_page_queries(client, slug) for slug in ("small", "large")]
    warm = [article_page_queries(client, slug) for slug in ("small", "large")]
    assert cold[0] == cold[1] <= 10
    assert warm[0] == warm[1] <= 3
    assert 'data-reliability="deprecated"' in client.get("/wiki/small/").content.decode()


def test_rated_citations_reads_sources_and_ratings_in_one_query():
    for n in range(5):
        make_source(f"s{n}", url=f"https://site{n}-example.com/x")
    rate("deprecated", domain="site1-example.com")
    rate("unreliable", domain="site2-example.com")
    rate("marginal", domain="site3-example.com")
    rate("reliable", domain="site4-example.com")
    with CaptureQueriesContext(connection) as queries:
        found = rated_citations([" ".join(f"[@s{n}]" for n in range(5))])
    assert len(queries) == 1
    assert [(item.source.key, item.rating.level) for item in found] == [
        ("s1", "deprecated"),
        ("s2", "unreliable"),
    ]


def test_the_preview_warns_about_unreliable_and_deprecated_sources_only(client):
    make_source("bad", url="https://bad-example.com/x")
    make_source("meh", url="https://meh-example.com/x")
    rate("deprecated", domain="bad-example.com", reason="Invents <b>quotes</b>.")
    rate("marginal", domain="meh-example.com")
    client.force_login(make_editor())
    html = client.post("/editor/preview/", {"content": "A [@bad]. B [@meh]."}).content.decode()
    assert 'data-reliability-warnings="1"' in html
    assert "<code>[@bad]</code>" in html and "Invents &lt;b&gt;quotes&lt;/b&gt;." in html
    assert "[@meh]</code>" not in html
    assert '<sup class="citation">' in html  # the preview itself follows
    quiet = client.post("/editor/preview/", {"content": "B [@meh]."}).content.decode()
    assert "preview-warnings" not in quiet


def test_saving_in_the_admin_warns_but_saves(client):
    make_source("bad", url="https://bad-example.com/x")
    rate("unreliable", domain="bad-example.com", reason="Anonymous posts.")
    article = make_article()
    client.force_login(make_editor())
    response = client.post(
        f"/admin/articles/article/{article.pk}/change/", article_form(article, lead="Claim [@bad].")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.lead == "Claim [@bad]."
    [message] = [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert "[@bad] is rated generally unreliable (bad-example.com: Anonymous posts.)" in str(
        message
    )


def test_editors_keep_the_register_and_each_save_is_a_revision(client):
    client.force_login(make_editor())
    response = client.post(
        "/admin/articles/rating/add/",
        {
            "domain": "www.tabloid-example.com",
            "level": "deprecated",
            "reason": "Fabrications.",
            "link": LINK,
        },
    )
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert rating.domain == "tabloid-example.com"
    assert Version.objects.get_for_object(rating).count() == 1
    refused = client.post(
        "/admin/articles/rating/add/",
        {"domain": "", "level": "deprecated", "reason": "No subject.", "link": LINK},
    )
    assert (
        refused.status_code == 200
        and "Rate either a domain or one source" in refused.content.decode()
    )


def test_maintenance_lists_citations_of_unreliable_or_deprecated_sources(client):
    make_source("bad", url="https://bad-example.com/x")
    make_source("good", url="https://good-example.com/x")
    rate("deprecated", domain="bad-example.com", reason="Fabrications.")
    rate("reliable", domain="good-example.com")
    article = make_article(lead="A [@bad] and [@bad] and [@good].")
    debate = make_debate(article)
    make_argument(debate, body="[@bad]")
    report = maintenance_report()
    assert [(f.place.kind, f.source.key, f.rating.level) for f in report.unreliable_citations] == [
        ("lead", "bad", "deprecated"),
        ("argument", "bad", "deprecated"),
    ]
    client.force_login(make_editor())
    html = client.get("/maintenance/").content.decode()
    assert 'data-count="unreliable-citations">2<' in html
    block = html.split('<section id="unreliable-citations"', 1)[1].split("</section>", 1)[0]
    assert 'data-key="bad"' in block and "Fabrications." in block and 'data-key="good"' not in block
