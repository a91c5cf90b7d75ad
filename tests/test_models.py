"""Model links: each object's URL, and each anchor in it, is an element of the page."""

import re

import pytest

from articles.models import Argument, Article, Section, argument_anchor
from tests.factories import make_argument, make_article, make_debate, make_section, make_source

pytestmark = pytest.mark.django_db


def element_ids(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    return set(re.findall(r'\sid="([^"]+)"', response.content.decode()))


def test_every_object_links_to_its_page_and_its_element_there(client):
    article = make_article(slug="rivers", title="Rivers", lead="About rivers [@atlas].")
    section = make_section(article, heading="Floods", anchor="floods")
    debate = make_debate(article, slug="dams", section=section)
    argument = make_argument(debate, slug="storage", body="Dams store water [@atlas].")
    source = make_source("atlas")
    links = {
        article: "/wiki/rivers/",
        section: "/wiki/rivers/#floods",
        debate: "/wiki/rivers/debate/dams/",
        argument: "/wiki/rivers/debate/dams/#argument-dams-storage",
        source: "/sources/atlas/",
    }
    for obj, url in links.items():
        assert obj.get_absolute_url() == url
        page, _, anchor = url.partition("#")
        assert not anchor or anchor in element_ids(client, page)


def test_an_argument_and_a_debate_have_the_same_ids_on_the_article_page(client):
    article = make_article(slug="rivers")
    debate = make_debate(article, slug="dams")
    argument = make_argument(debate, slug="storage")
    ids = element_ids(client, article.get_absolute_url())
    assert {debate.anchor, argument_anchor(debate.slug, argument.slug)} <= ids
    assert argument.get_absolute_url().endswith("#" + argument_anchor("dams", "storage"))


def test_only_published_articles_parts_are_published():
    shown = make_article(slug="shown")
    hidden = make_article(slug="hidden", status=Article.Status.DRAFT)
    for article in (shown, hidden):
        make_argument(make_debate(article), slug=article.slug)
        make_section(article, anchor=article.slug)
    assert list(Section.objects.published().values_list("anchor", flat=True)) == ["shown"]
    assert list(Argument.objects.published().values_list("slug", flat=True)) == ["shown"]
