"""The edit base: junk or unknown `base_revision` values on every merged edit form."""

import pytest
from django.core.exceptions import ValidationError
from reversion.models import Version

from articles.ids import MAX_ID
from articles.merging import BaseRevisionField
from tests.editing import CHANGE_URL, article_form, debate_form, form_values, make_editor
from tests.factories import make_argument, make_article, make_debate, make_section, save_revision

pytestmark = pytest.mark.django_db

MALFORMED = ["abc", "1e3", "\x00", "-1", str(MAX_ID + 1), " ", None]  # None: not posted
UNREADABLE = "did not say which revision of the article it was opened at"
UNKNOWN = "The revision this form was opened at is unknown"
SECTION_URL = "/admin/articles/article/{}/section/{}/"
DEBATE_URL = "/admin/articles/debate/{}/change/"


@pytest.fixture
def article():
    article = make_article(lead="Water is wet.")
    make_section(article, heading="Rivers", body="Rivers flow.")
    debate = make_debate(article)
    make_argument(debate, body="Dams store water.")
    save_revision(article, "Start")
    return article


def posts(article, base) -> dict[str, tuple[str, dict, str]]:
    """Each merged edit form: its URL, data changing one text, and that text."""
    section, debate = article.sections.get(), article.debates.get()
    forms = {
        "article": (
            CHANGE_URL.format(article.pk),
            article_form(article, lead="My new lead."),
            "My new lead.",
        ),
        "section": (
            SECTION_URL.format(article.pk, section.pk),
            {"heading": "Rivers", "level": 2, "anchor": "rivers", "body": "My rivers."},
            "My rivers.",
        ),
        "debate": (
            DEBATE_URL.format(debate.pk),
            debate_form(debate, debate.arguments.get(), summary="My summary."),
            "My summary.",
        ),
    }
    for _url, data, _text in forms.values():
        data.pop("base_revision", None)
        if base is not None:
            data["base_revision"] = base
    return forms


def texts(article) -> tuple:
    article.refresh_from_db()
    return article.lead, article.sections.get().body, article.debates.get().summary


@pytest.mark.parametrize("form", ["article", "section", "debate"])
@pytest.mark.parametrize(
    ("base", "message"),
    [(base, UNREADABLE) for base in MALFORMED]
    + [(base, UNKNOWN) for base in ("999999", "0", str(MAX_ID))],
)
def test_a_junk_or_unknown_base_revision_is_refused_keeping_the_text(
    client, article, form, base, message
):
    client.force_login(make_editor())
    before = texts(article)
    url, data, text = posts(article, base)[form]

    response = client.post(url, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and text in html
    assert "{}" not in html  # an unknown base once showed as an empty dict
    assert texts(article) == before
    # The form now stands on the newest revision: saving again applies the text.
    again = form_values(response)
    latest = Version.objects.get_for_object(article).latest("revision_id").revision_id
    assert again["base_revision"] == str(latest)
    assert client.post(url, again).status_code == 302
    assert text in texts(article)


def test_an_unknown_base_shows_the_current_text_of_the_field(client, article):
    client.force_login(make_editor())
    url, data, _text = posts(article, "999999")["article"]
    html = client.post(url, data).content.decode()
    assert "The current lead:" in html
    assert '<span class="conflict-diff">Water is wet.</span>' in html


def test_a_revision_of_another_article_is_no_base(client, article):
    client.force_login(make_editor())
    other = make_article(slug="ice", title="Ice")
    foreign = save_revision(other, "Ice")
    url, data, _text = posts(article, str(foreign))["section"]
    response = client.post(url, {**data, "heading": "Rivers and streams"})
    assert response.status_code == 200 and UNKNOWN in response.content.decode()
    assert article.sections.get().heading == "Rivers"


def test_the_base_revision_is_a_hidden_field_on_every_merged_form(client, article):
    client.force_login(make_editor())
    latest = str(Version.objects.get_for_object(article).latest("revision_id").revision_id)
    for _name, (url, _data, _text) in posts(article, None).items():
        page = client.get(url).content.decode()
        assert f'<input type="hidden" name="base_revision" value="{latest}"' in page, url


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0", 0), ("42", 42), (str(MAX_ID), MAX_ID)],
)
def test_base_revision_field_takes_revision_numbers(value, expected):
    assert BaseRevisionField().clean(value) == expected


@pytest.mark.parametrize("value", ["", "4.5", "٤٢", "1_000", "+1", "0x10", "9" * 400])
def test_base_revision_field_refuses_anything_else(value):
    with pytest.raises(ValidationError):
        BaseRevisionField().clean(value)


def test_deleting_a_row_on_an_unknown_base_is_refused_saying_why(client, article):
    client.force_login(make_editor())
    url, data, _text = posts(article, "999999")["article"]
    data["sections-0-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "You deleted section “Rivers”, but the revision this form" in response.content.decode()
    assert article.sections.exists()
