"""Editors set an article's language and link its translations in the real admin."""

import re

import pytest

from articles.models import Article
from articles.translations import link_translation, translations_of
from tests.editing import CHANGE_URL, article_form
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def ids(*articles) -> list[str]:
    return [str(article.pk) for article in articles]


def post(client, article, opened_with=(), **fields):
    """The article's change form as a browser posts it, opened when its translations
    were `opened_with` (the hidden initial value the form carries)."""
    data = {**article_form(article), "initial-translations": ids(*opened_with), **fields}
    return client.post(CHANGE_URL.format(article.pk), data)


@pytest.fixture
def water():
    return make_article(title="Water", slug="water")


@pytest.fixture
def shui():
    return make_article(title="水", slug="shui", language="zh-Hans")


def test_the_change_form_offers_language_and_translations(editor_client, water, shui):
    link_translation(shui, to=water)
    html = editor_client.get(CHANGE_URL.format(water.pk)).content.decode()
    assert re.search(
        r'<input type="text" name="language" value="en"[^>]*list="common-languages"', html
    )
    assert '<datalist id="common-languages"><option value="en"><option value="zh-Hans">' in html
    assert re.search(rf'<option value="{shui.pk}" selected>水 \(zh-Hans\)</option>', html)
    assert f'<option value="{water.pk}"' not in html  # not its own translation
    assert f'name="initial-translations" value="{shui.pk}"' in html


def test_editor_links_a_translation_and_both_pages_show_it(editor_client, client, water, shui):
    response = post(editor_client, water, translations=ids(shui))
    assert response.status_code == 302
    assert translations_of(shui) == [water]
    assert 'hreflang="en"' in client.get("/wiki/shui/").content.decode()
    assert 'hreflang="zh-Hans"' in client.get("/wiki/water/").content.decode()


def test_editor_sets_the_language_written_as_bcp_47_writes_it(editor_client, water):
    assert post(editor_client, water, language="zh-hant").status_code == 302
    water.refresh_from_db()
    assert water.language == "zh-Hant"


@pytest.mark.parametrize("junk", ["", "e n", "<b>", "en_US!", "a" * 36])
def test_a_bad_language_is_refused_with_the_text_kept(editor_client, water, junk):
    response = post(editor_client, water, language=junk, title="Water 2")
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    water.refresh_from_db()
    assert water.language == "en" and water.title == "Water"


def test_two_translations_in_one_language_are_refused(editor_client, water, shui):
    other = make_article(title="水二", slug="shui-2", language="zh-Hans")
    response = post(editor_client, water, translations=ids(shui, other))
    assert response.status_code == 200
    assert "both in zh-Hans" in response.content.decode()
    assert translations_of(water) == []


def test_a_language_its_translation_has_is_refused(editor_client, water, shui):
    link_translation(shui, to=water)
    response = post(editor_client, water, [shui], translations=ids(shui), language="zh-Hans")
    assert response.status_code == 200 and "both in zh-Hans" in response.content.decode()
    water.refresh_from_db()
    assert water.language == "en"


def test_a_save_keeps_links_another_editor_made_meanwhile(editor_client, water, shui):
    hant = make_article(title="水（繁）", slug="shui-hant", language="zh-Hant")
    link_translation(shui, to=water)
    opened = [shui]
    link_translation(hant, to=water)  # another editor, after this form was opened
    # This editor changes the title only: both links stay.
    assert post(editor_client, water, opened, translations=ids(shui), title="W").status_code == 302
    assert translations_of(water) == [shui, hant]
    # This editor unlinks shui: hant, linked meanwhile, stays.
    assert post(editor_client, water, opened, translations=[]).status_code == 302
    assert translations_of(water) == [hant]
    assert translations_of(shui) == []


def test_an_id_beyond_the_id_column_is_an_invalid_choice(editor_client, water):
    response = post(
        editor_client, water, translations=[str(2**63)], **{"initial-translations": ["x"]}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_the_admin_list_shows_and_filters_by_language(editor_client, water, shui):
    html = editor_client.get("/admin/articles/article/").content.decode()
    assert "?language=zh-Hans" in html
    assert re.search(r'<td class="field-language">zh-Hans</td>', html)
    filtered = editor_client.get("/admin/articles/article/?language=zh-Hans").content.decode()
    assert ">Water<" not in filtered and ">水<" in filtered


def test_a_new_article_can_be_linked_when_it_is_added(editor_client, water):
    data = article_form(None, title="Eau", slug="eau", language="fr", translations=ids(water))
    assert editor_client.post("/admin/articles/article/add/", data).status_code == 302
    assert translations_of(water) == [Article.objects.get(slug="eau")]


def test_a_user_who_may_only_view_sees_the_translations(client, water, shui):
    from django.contrib.auth.models import Permission, User

    link_translation(shui, to=water)
    viewer = User.objects.create_user("viewer", password="pw-for-tests", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    response = client.get(CHANGE_URL.format(water.pk))
    assert response.status_code == 200
    assert re.search(r'<div class="readonly">水 \(zh-Hans\)</div>', response.content.decode())
