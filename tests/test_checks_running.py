"""Checking sources against local servers: what is recorded, snapshots, quotes
verified, dead links, the check_sources command and the article page."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from warcio.archiveiterator import ArchiveIterator

from articles.checks.models import Snapshot, SourceCheck
from articles.checks.running import check_sources
from articles.stamps import article_stamp
from tests.checking import html_page, pdf_document, status_of
from tests.factories import make_article, make_big_article, make_source

pytestmark = pytest.mark.django_db

QUOTE = "The ministry shall supervise the telecommunications industry nationwide."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PAGE_FRESH_SECONDS = 0  # each page view checks its stamp
    return tmp_path


def reference(html: str, key: str) -> str:
    start = html.index(f'<li id="ref-{key}"')
    return html[start : html.index("</li>", start)]


def test_a_live_page_is_recorded_with_a_snapshot_and_its_quote_verified(local_site, media):
    url = local_site.serve("/notice", html_page(QUOTE))
    source = make_source(
        "notice",
        url=url,
        quote="The ministry shall supervise the telecommunications industry\n nationwide",
    )
    [check] = check_sources([source])
    assert (check.outcome, check.status_code, check.error) == ("live", 200, "")
    assert check.final_url == url and check.content_type.startswith("text/html")
    assert len(check.content_hash) == 64 and check.elapsed > 0
    assert (check.quote_status, check.quote_score) == ("verified", 100.0)
    snapshot = check.snapshot
    assert snapshot.content_hash == check.content_hash
    assert QUOTE in snapshot.text.read().decode()
    assert (media / snapshot.warc.name).exists()
    warc = io.BytesIO((media / snapshot.warc.name).read_bytes())
    [(target, payload)] = [
        (record.rec_headers.get_header("WARC-Target-URI"), record.content_stream().read())
        for record in ArchiveIterator(warc)
    ]
    assert target == url and QUOTE.encode() in payload
    status = status_of(source)
    assert (status.link, status.quote, status.failures) == ("live", "verified", 0)


def test_quotes_close_not_found_and_changed(local_site):
    url = local_site.serve("/notice", html_page(QUOTE))
    close = make_source("close", url=url, quote=QUOTE.replace("supervise", "supervize"))
    missing = make_source("missing", url=url, quote="Nothing of the kind is said here at all.")
    exact = make_source("exact", url=url, quote=QUOTE)
    check_sources([close, missing, exact])
    assert status_of(close).quote == "close" and 85 <= status_of(close).quote_score < 100
    assert status_of(missing).quote == "not-found"
    assert status_of(exact).quote == "verified"
    local_site.serve("/notice", html_page("The notice was withdrawn."))
    [check] = check_sources([exact])
    assert check.quote_status == "changed" and status_of(exact).quote == "changed"
    # The snapshot the quote was verified on is kept beside the new one.
    assert Snapshot.objects.count() == 2
    assert SourceCheck.objects.filter(source=exact).count() == 2  # the history


def test_a_pdf_is_read_for_its_quote(local_site):
    url = local_site.serve("/rules.pdf", pdf_document(QUOTE), content_type="application/pdf")
    source = make_source("rules", url=url, quote=QUOTE)
    [check] = check_sources([source])
    assert check.quote_status == "verified"
    assert "telecommunications" in check.snapshot.text.read().decode()


def test_a_404_is_dead_and_the_reference_turns_to_its_archived_copy(local_site, client):
    url = local_site.serve("/gone", "gone", status=404)
    archive = "https://web.archive.org/web/2020/https://example.org/gone"
    make_source("gone", url=url, archive_url=archive)
    make_article(lead="Rivers flow [@gone].")
    before = reference(client.get("/wiki/water/").content.decode(), "gone")
    assert 'data-link-status="unchecked"' in before and "dead since" not in before
    [check] = check_sources(make_source_list("gone"))
    assert (check.outcome, check.status_code) == ("dead", 404)
    after = reference(client.get("/wiki/water/").content.decode(), "gone")
    assert 'data-link-status="dead"' in after
    since = status_of(check.source).dead_since
    assert f"original</a> dead since {since:%-d %B %Y}" in after
    assert after.index(archive) < after.index(url)  # the title links the archived copy


def make_source_list(*keys):
    from articles.models import Source

    return list(Source.objects.filter(key__in=keys))


def test_server_errors_and_unknown_hosts_are_dead(local_site):
    url = local_site.serve("/broken", "oops", status=503)
    broken = make_source("broken", url=url)
    nowhere = make_source("nowhere", url="http://no-such-host.invalid/page")
    check_sources([broken, nowhere])
    assert status_of(broken).link == "dead" and status_of(nowhere).link == "dead"
    assert SourceCheck.objects.get(source=nowhere).error == "dns"


def test_time_outs_turn_a_link_dead_only_when_repeated(local_site, settings):
    settings.SOURCE_FETCH_TIMEOUT = 0.3
    settings.SOURCE_DEAD_AFTER_FAILURES = 3
    url = local_site.serve("/slow", "late", delay=1)
    source = make_source("slow", url=url)
    local_site.serve("/ok", "fine")
    check_sources([source])
    check_sources([source])
    assert status_of(source).link == "unchecked" and status_of(source).failures == 2
    check_sources([source])
    status = status_of(source)
    assert (status.link, status.failures) == ("dead", 3)
    first = SourceCheck.objects.filter(source=source).last()
    assert status.dead_since == first.checked_at  # dead since the first time-out
    local_site.serve("/slow", "back")
    check_sources([source])
    assert (status_of(source).link, status_of(source).failing_since) == ("live", None)


def test_a_private_address_is_refused_and_not_fetched(local_site, settings):
    settings.SOURCE_FETCH_ALLOW_PRIVATE = False
    source = make_source("inside", url=local_site.serve("/admin", "secret"))
    [check] = check_sources([source])
    assert (check.outcome, check.error) == ("skipped", "refused")
    assert local_site.requests == [] and status_of(source).link == "unchecked"


def test_a_check_that_changes_a_reference_changes_the_page_stamp(local_site):
    url = local_site.serve("/notice", html_page(QUOTE))
    source = make_source("notice", url=url, quote=QUOTE)
    make_article(lead="Rivers flow [@notice].")
    unchecked = article_stamp("water").digest
    check_sources([source])
    verified = article_stamp("water").digest
    assert verified != unchecked
    check_sources([source])  # nothing new to show: the cached page stays
    assert article_stamp("water").digest == verified
    local_site.serve("/notice", "gone", status=410)
    check_sources([source])
    assert article_stamp("water").digest != verified
    assert 'data-link-status="dead"' in Client().get("/wiki/water/").content.decode()


def test_the_page_shows_link_and_quote_states(local_site, client):
    url = local_site.serve("/notice", html_page(QUOTE))
    make_source("a", url=url, quote=QUOTE)
    make_source("b", url=url)
    make_source("c", url=url, quote="Words that the page does not contain anywhere.")
    make_source("d", quote="Unchecked words.")
    make_article(lead="Rivers [@a] flow [@b] north [@c] today [@d].")
    call_command("check_sources", verbosity=0, stdout=io.StringIO())
    html = client.get("/wiki/water/").content.decode()
    assert '<li id="ref-a" data-link-status="live" data-quote="verified">' in html
    assert '<li id="ref-b" data-link-status="live">' in html
    assert '<li id="ref-c" data-link-status="live" data-quote="not-found">' in html
    assert '<li id="ref-d" data-link-status="unchecked" data-quote="unchecked">' in html


def test_an_edited_quote_is_not_shown_as_checked(local_site, client):
    source = make_source("a", url=local_site.serve("/n", html_page(QUOTE)), quote=QUOTE)
    make_article(lead="Rivers [@a].")
    check_sources([source])
    source.quote = "Something else entirely, never checked."
    source.save()
    assert 'data-quote="unchecked"' in reference(client.get("/wiki/water/").content.decode(), "a")


def page_queries(client, slug, django_assert_num_queries) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/wiki/{slug}/").status_code == 200
    return len(queries)


def test_checked_sources_keep_the_page_query_count_constant(local_site, client, settings):
    make_big_article("small", sections=4, sources=3, debates=1)
    make_big_article("large", sections=30, sources=25, debates=4)
    from articles.models import Source

    sources = list(Source.objects.all())
    for n, source in enumerate(sources):
        source.url = local_site.serve(f"/s{n}", html_page(QUOTE), status=200 if n % 3 else 404)
        source.quote = QUOTE if n % 2 else ""
        source.save()
    check_sources(sources)
    cold = [page_queries(client, slug, None) for slug in ("small", "large")]
    warm = [page_queries(client, slug, None) for slug in ("small", "large")]
    assert cold[0] == cold[1] <= 10
    assert warm[0] == warm[1] <= 3


def test_the_command_checks_every_source_one_key_or_the_stale(local_site):
    url = local_site.serve("/n", html_page(QUOTE))
    for key in ("a", "b", "c"):
        make_source(key, url=url)
    out = io.StringIO()
    call_command("check_sources", "--key", "b", stdout=out)
    assert out.getvalue().splitlines() == ["b: live 200", "Checked 1 source."]
    out = io.StringIO()
    call_command("check_sources", "--stale", "7", stdout=out)
    assert "Checked 2 sources." in out.getvalue() and "b:" not in out.getvalue()
    call_command("check_sources", "--stale", "7", stdout=(out := io.StringIO()))
    assert out.getvalue().strip() == "Checked 0 sources."
    call_command("check_sources", stdout=(out := io.StringIO()))
    assert "Checked 3 sources." in out.getvalue()
    assert SourceCheck.objects.filter(source__key="b").count() == 2
    # A URL that several sources share is fetched once a run.
    assert local_site.paths() == ["/robots.txt", "/n"] * 3
    with pytest.raises(CommandError, match="No source has the key"):
        call_command("check_sources", "--key", "nope")
    with pytest.raises(CommandError, match="--stale takes a number of days"):
        call_command("check_sources", "--stale", "soon")


def test_a_source_without_url_is_recorded_as_not_fetched():
    source = make_source("book")
    [check] = check_sources([source])
    assert (check.outcome, check.error) == ("skipped", "no-url")


def test_a_quote_outside_the_main_text_is_still_found(local_site):
    page = html_page("An article about something else entirely, at some length.")
    page = page.replace(
        "<footer>Copyright</footer>", f"<aside><blockquote>{QUOTE}</blockquote></aside>"
    )
    source = make_source("aside", url=local_site.serve("/aside", page), quote=QUOTE)
    [check] = check_sources([source])
    assert QUOTE not in check.snapshot.text.read().decode()  # the main text is the article
    assert check.quote_status == "verified"


def test_recording_a_batch_of_checks_costs_the_same_queries_at_any_size():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.checks.fetching import Fetched
    from articles.checks.running import record

    def answer(url):
        body = html_page(QUOTE).encode()
        return Fetched(url=url, final_url=url, status=200, content_type="text/html", body=body)

    def queries(n: int, prefix: str) -> int:
        pairs = [
            (make_source(f"{prefix}{i}", url=f"https://example.org/{prefix}{i}", quote=QUOTE),
             answer(f"https://example.org/{prefix}{i}"))
            for i in range(n)
        ]  # fmt: skip
        with CaptureQueriesContext(connection) as captured:
            checks = record(pairs)
        assert [check.quote_status for check in checks] == ["verified"] * n
        return len(captured)

    queries(1, "warm")  # the shared snapshot is stored once, here
    assert queries(2, "small") == queries(12, "large")


def test_the_source_page_says_when_it_was_checked(local_site, client):
    source = make_source("n", url=local_site.serve("/n", html_page(QUOTE)), quote=QUOTE)
    never = '<dd data-link-status="unchecked" data-quote="unchecked"><span class="muted">never'
    assert never in client.get("/sources/n/").content.decode()
    local_site.serve("/n", html_page("Rewritten."))
    check_sources([source])
    html = client.get("/sources/n/").content.decode()
    assert 'data-link-status="live" data-quote="not-found">' in html
    assert "link live; quotation not found" in html
