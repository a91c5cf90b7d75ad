"""The admin's import page: upload or paste, see the report and a preview, confirm."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from reversion.models import Version

from articles.models import Article, Source
from tests.editing import make_editor

pytestmark = pytest.mark.django_db
URL = "/admin/articles/article/import/"
WIKI = (
    "'''Water''' is wet.<ref name=un>{{cite news|title=Water report|url=https://un.org/w"
    "|newspaper=UN News|date=2023-03-03}}</ref>\n== History ==\nPeople drank it.<ref name=un/>\n"
    "{{Infobox river}}\n"
)


def test_an_upload_is_previewed_with_its_report_and_nothing_is_written(editor_client):
    upload = SimpleUploadedFile("water.wiki", WIKI.encode(), content_type="text/plain")
    response = editor_client.post(URL, {"upload": upload, "format": "auto", "title": "Water"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sections: 1" in page and "Sources new: 1" in page
    assert "dropped template {{Infobox river}}" in page
    assert 'class="citation"' in page and "Water report" in page  # the rendered preview
    assert 'name="confirm"' in page and "People drank it." in page  # the text, carried on
    assert not Article.objects.exists() and not Source.objects.exists()


def test_confirming_imports_as_the_editor_in_one_revision(editor_client):
    data = {"text": WIKI, "name": "water.wiki", "format": "wikitext", "title": "Water",
            "license": "CC BY-SA 4.0", "confirm": "Import"}  # fmt: skip
    response = editor_client.post(URL, data)
    assert response.status_code == 302 and response["Location"] == "/wiki/water/"
    article = Article.objects.get(slug="water")
    assert article.license == "CC BY-SA 4.0" and Source.objects.count() == 1
    revision = Version.objects.get_for_object(article).get().revision
    assert revision.user.username == "editor"
    assert revision.comment.startswith("Imported from water.wiki (wikitext)")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"text": "A.<ref>unclosed\n", "format": "wikitext"},
            "line 1: a &lt;ref&gt; is never closed",
        ),
        ({"text": "See [@nobody].", "format": "auto"}, "is not in the bibliography"),
        ({"text": "   ", "format": "auto"}, "Upload a file or paste its text."),
    ],
)
def test_bad_input_is_a_form_error_and_writes_nothing(editor_client, data, message):
    page = editor_client.post(URL, {**data, "confirm": "Import"}).content.decode()
    assert message in page
    assert not Article.objects.exists()


def test_a_binary_upload_is_refused(editor_client):
    upload = SimpleUploadedFile("x.md", b"\x89PNG\x00\x00", content_type="image/png")
    page = editor_client.post(URL, {"upload": upload, "format": "auto"}).content.decode()
    assert "looks like a binary file" in page


def test_the_changelist_links_to_the_import_page(editor_client):
    assert URL in editor_client.get("/admin/articles/article/").content.decode()


def test_staff_without_article_permissions_may_not_import(client):
    user = make_editor("plainstaff")
    user.groups.clear()
    client.force_login(user)
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("junk", ["", "\x00", "docx", "x" * 4000])
def test_an_unknown_format_is_a_form_error_that_keeps_the_text(client, junk):
    client.force_login(User.objects.create_superuser("root"))
    response = client.post(URL, {"text": "Kept text of mine.", "format": junk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kept text of mine." in html and "errorlist" in html
    assert not Article.objects.exists()
