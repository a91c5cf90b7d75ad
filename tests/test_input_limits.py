"""Bounded input: markdown sizes in the admin, request bodies, source URL schemes."""

import pytest
from django.contrib.auth.models import User

from articles.models import MAX_MARKDOWN, Source
from tests.editing import CHANGE_URL, article_form, form_values, set_section
from tests.factories import make_argument, make_article, make_debate, make_section

pytestmark = pytest.mark.django_db
TOO_LONG = "x" * (MAX_MARKDOWN + 1)
LIMIT_MESSAGE = f"is {MAX_MARKDOWN + 1:,} characters long; the limit is {MAX_MARKDOWN:,}."


@pytest.fixture
def article():
    article = make_article(lead="Short lead.")
    make_section(article, heading="Flow", body="Water flows.")
    return article


def test_an_overlong_lead_or_section_is_refused_and_nothing_is_saved(editor_client, article):
    for data in [
        article_form(article, lead=TOO_LONG),
        set_section(article_form(article), "Flow", body=TOO_LONG),
    ]:
        response = editor_client.post(CHANGE_URL.format(article.pk), data)
        assert response.status_code == 200
        assert LIMIT_MESSAGE in response.content.decode()
    article.refresh_from_db()
    assert (article.lead, article.sections.get().body) == ("Short lead.", "Water flows.")


def test_an_overlong_section_is_refused_by_the_single_section_form(editor_client, article):
    section = article.sections.get()
    url = f"/admin/articles/article/{article.pk}/section/{section.pk}/"
    data = {**form_values(editor_client.get(url)), "body": TOO_LONG}
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert LIMIT_MESSAGE in response.content.decode()
    section.refresh_from_db()
    assert section.body == "Water flows."


def test_an_overlong_argument_is_refused(editor_client, article):
    debate = make_debate(article)
    make_argument(debate, body="Short.")
    url = f"/admin/articles/debate/{debate.pk}/change/"
    data = {**form_values(editor_client.get(url)), "arguments-0-body": TOO_LONG}
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert LIMIT_MESSAGE in response.content.decode()
    assert debate.arguments.get().body == "Short."


def test_the_longest_texts_in_the_widest_script_fit_the_request_limit(editor_client, article):
    """Three fields at the limit, in 3-byte UTF-8 (URL-encoded: 9 bytes a character)."""
    wide = "水" * MAX_MARKDOWN
    data = article_form(article, lead=wide)
    set_section(data, "Flow", body=wide)
    response = editor_client.post(CHANGE_URL.format(article.pk), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert len(article.lead) == MAX_MARKDOWN


def test_a_request_body_over_the_limit_gets_a_400_that_says_so(editor_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
    response = editor_client.post("/editor/preview/", {"content": "x" * (10 * 1024 * 1024)})
    assert response.status_code == 400
    assert "The request is too large" in response.content.decode()
    assert "at most 10 MB" in response.content.decode()


def test_a_request_with_too_many_fields_gets_a_400_that_says_so(editor_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    response = editor_client.post("/editor/preview/", {f"f{n}": "x" for n in range(60)})
    assert response.status_code == 400
    assert "too many fields; the limit is 50" in response.content.decode()


def test_other_bad_requests_keep_their_reason_to_themselves(client):
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "The address is incomplete or malformed." in response.content.decode()


SOURCE_ADD = "/admin/articles/source/add/"
BAD_URLS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "ftp://files.example.org/a.pdf",
    "mailto:someone@example.org",
    "https://",
    "http://exa mple.org/",
]


@pytest.mark.parametrize("field", ["url", "archive_url"])
@pytest.mark.parametrize("url", BAD_URLS)
def test_source_urls_must_be_http_or_https_in_the_admin(editor_client, field, url):
    data = {"key": "k", "title": "T", field: url, "edit_summary": ""}
    response = editor_client.post(SOURCE_ADD, data)
    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()
    assert not Source.objects.exists()


@pytest.mark.parametrize(
    "url", ["https://example.org/a?b=c#d", "http://example.org", "example.org"]
)
def test_http_and_https_source_urls_are_accepted(editor_client, url):
    response = editor_client.post(SOURCE_ADD, {"key": "k", "title": "T", "url": url})
    assert response.status_code == 302
    assert Source.objects.get().url.startswith(("http://", "https://"))


@pytest.mark.parametrize("url", BAD_URLS)
def test_source_model_validation_refuses_other_schemes(url):
    source = Source(key="k", title="T", url=url)
    with pytest.raises(Exception, match="Enter a valid URL"):
        source.full_clean()


def test_a_superuser_is_held_to_the_same_url_rule(client):
    client.force_login(User.objects.create_superuser("root"))
    response = client.post(SOURCE_ADD, {"key": "k", "title": "T", "url": "javascript:alert(1)"})
    assert "Enter a valid URL." in response.content.decode()


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2020-13-45", "There is no such date: 2020-13-45"),
        ("2020-02-30", "There is no such date: 2020-02-30"),
        ("2019-02-29", "There is no such date: 2019-02-29"),
        ("2020-00", "There is no such date: 2020-00"),
        ("0000", "There is no such date: 0000"),
        ("2020-2-3", "Use YYYY, YYYY-MM or YYYY-MM-DD."),
        ("２０２０", "Use YYYY, YYYY-MM or YYYY-MM-DD."),
        ("March 2020", "Use YYYY, YYYY-MM or YYYY-MM-DD."),
    ],
)
def test_source_dates_must_be_on_the_calendar(editor_client, date, message):
    response = editor_client.post(SOURCE_ADD, {"key": "k", "title": "T", "date": date})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Source.objects.exists()


@pytest.mark.parametrize("date", ["2020", "2020-02", "2020-02-29", "1999-12-31", ""])
def test_years_months_and_days_are_accepted_as_source_dates(editor_client, date):
    response = editor_client.post(SOURCE_ADD, {"key": "k", "title": "T", "date": date})
    assert response.status_code == 302
    assert Source.objects.get().date == date


def test_every_source_date_of_the_seed_fixture_is_valid(seed):
    for source in Source.objects.all():
        source.full_clean()
