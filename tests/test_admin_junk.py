"""Junk the fuzz suite found in the admin, each pinned by its own test."""

import pytest
from django.contrib.auth.models import Group, User

from tests.editing import CHANGE_URL, article_form
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db
HUGE = str(2**63)


def test_a_huge_total_forms_is_refused_without_building_a_thousand_rows(editor_client):
    article = make_article()
    make_section(article)
    data = {**article_form(article), "sections-TOTAL_FORMS": HUGE}
    response = editor_client.post(CHANGE_URL.format(article.pk), data)
    assert response.status_code == 200
    assert "Please submit at most 51 forms" in response.content.decode()
    assert len(response.content) < 1_000_000


def test_a_malformed_object_id_on_the_revert_page_is_not_found(editor_client):
    article = make_article()
    for object_id in ("1e3", "%FF%FE", "2020-02-30", HUGE):
        url = f"/admin/articles/article/{object_id}/history/1/"
        assert editor_client.get(url).status_code == 404, url
    assert editor_client.get(f"/admin/articles/article/{article.pk}/history/1/").status_code == 404


def test_a_huge_group_or_permission_id_is_an_invalid_choice(client):
    root = User.objects.create_superuser("root")
    client.force_login(root)
    group = Group.objects.create(name="Readers")
    response = client.post(
        f"/admin/auth/group/{group.pk}/change/", {"name": "Readers", "permissions": [HUGE]}
    )
    assert response.status_code == 200
    assert f"“{HUGE}” is not a valid value." in response.content.decode()


def test_a_very_long_username_is_a_failed_login_not_a_crash(client):
    response = client.post("/admin/login/", {"username": "u" * 4096, "password": "x"})
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()
