"""Anchors of Chinese headings: made of the heading's own characters, valid, and
stable when sections are added above (articles/anchors.py)."""

from io import StringIO
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.anchors import anchor_slug
from articles.models import Article, Section
from tests.editing import CHANGE_URL, add_section, article_form, set_section
from tests.factories import make_article, make_section


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Economic policy", "economic-policy"),
        ("Café crème", "cafe-creme"),  # ASCII as before when nothing is lost
        ("沿革", "沿革"),
        ("2008年改革", "2008年改革"),  # not just "2008"
        ("MIIT（工信部）", "miit工信部"),
        ("工信部管理的国家局", "工信部管理的国家局"),
        ("《》、。", ""),  # punctuation only: the caller's fallback
    ],
)
def test_anchor_slugs(heading, anchor):
    assert anchor_slug(heading) == anchor


@pytest.mark.django_db
def test_a_chinese_section_gets_a_valid_anchor_of_its_heading():
    article = make_article()
    section = make_section(article, heading="沿革")
    assert section.anchor == "沿革"
    section.full_clean()
    assert make_section(article, heading="沿革").anchor == "沿革-2"


WIKI = "甲。\n== 沿革 ==\n乙。\n== 职责 ==\n丙。\n"


def import_text(tmp_path, text: str) -> None:
    path = tmp_path / "zh.wiki"
    path.write_text(text, encoding="utf-8")
    call_command("import_article", str(path), "--slug", "zh", "--title", "工信", stdout=StringIO())


@pytest.mark.django_db
def test_reimporting_with_a_section_added_above_keeps_each_sections_identity(tmp_path):
    import_text(tmp_path, WIKI)
    before = dict(Section.objects.values_list("anchor", "pk"))
    assert set(before) == {"沿革", "职责"}
    import_text(tmp_path, "甲。\n== 概况 ==\n丁。\n" + WIKI.split("\n", 1)[1])
    after = dict(Section.objects.values_list("anchor", "pk"))
    assert set(after) == {"概况", "沿革", "职责"}
    assert {anchor: after[anchor] for anchor in before} == before  # same rows, same history


@pytest.mark.django_db
def test_chinese_anchors_on_the_page_in_the_contents_and_in_urls(client, tmp_path):
    import_text(tmp_path, WIKI)
    section = Section.objects.get(anchor="沿革")
    section.body = "乙。\n\n# 机构\n\n戊。"  # a heading the editor typed in the section
    section.save()
    html = client.get("/wiki/zh/").content.decode()
    for anchor in ("沿革", "职责", "沿革-机构"):  # a heading inside a section body too
        assert f'id="{anchor}"' in html
        assert f'href="#{anchor}"' in html  # table of contents
    url = reverse("articles:section-history", kwargs={"slug": "zh", "anchor": "沿革"})
    assert url == f"/wiki/zh/section/{quote('沿革')}/history/"
    assert client.get(url).status_code == 200
    api = reverse("api:section-history", kwargs={"slug": "zh", "anchor": "职责"})
    answer = client.get(api)
    assert answer.status_code == 200
    assert answer.json()["section"] == Section.objects.get(anchor="职责").pk
    assert client.get(f"/wiki/zh/section/{quote('无此节')}/history/").status_code == 404
    assert client.get(f"/wiki/zh/section/{'沿' * 121}/history/").status_code == 404


@pytest.mark.django_db
def test_editors_add_and_keep_chinese_sections_in_the_admin(editor_client, tmp_path):
    import_text(tmp_path, WIKI)
    article = Article.objects.get(slug="zh")
    data = add_section(article_form(article), heading="机构设置", position=3, body="戊。")
    set_section(data, "沿革", heading="历史沿革")  # a renamed section keeps its anchor
    response = editor_client.post(CHANGE_URL.format(article.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(article.sections.values_list("anchor", "heading")) == [
        ("沿革", "历史沿革"), ("职责", "职责"), ("机构设置", "机构设置"),
    ]  # fmt: skip
    data = add_section(article_form(article), heading="概况", anchor="职责", position=4)
    response = editor_client.post(CHANGE_URL.format(article.pk), data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for anchor." in response.content.decode()
