"""The debate page: columns, rebuttals across sides, per-argument references, balance."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.debates import board_rows, debate_balance
from articles.models import Argument, Article, Debate
from tests.factories import make_argument, make_article, make_debate, make_section, make_source

pytestmark = pytest.mark.django_db

URL = "/wiki/water/debate/dams/"


def column(html: str, side: str) -> str:
    """The HTML of one side's column on the debate page."""
    return html.split(f'data-side="{side}"', 1)[1].split("</section>", 1)[0]


def card(html: str, slug: str, debate: str = "dams") -> str:
    """The HTML of one argument's card."""
    block = html.split(f'id="argument-{debate}-{slug}"', 1)[1]
    return re.split(r'<div class="argument-card[" ]|</section>', block, maxsplit=1)[0]


def exchange() -> Debate:
    """A supporter argument, a critic's rebuttal of it, and a second supporter argument."""
    make_source("wb", title="World Bank dams report")
    make_source("ir", title="International Rivers review")
    article = make_article()
    debate = make_debate(article, section=make_section(article, heading="Dams"), summary="Why.")
    storage = make_argument(
        debate, slug="storage", position=1, body="Dams store water [@wb].", attributed_to="WB"
    )
    make_argument(
        debate,
        slug="silt",
        side="critic",
        position=2,
        summary="Reservoirs silt up",
        attributed_to="International Rivers",
        body="They fill with silt [@ir; @wb, p. 4].",
        responds_to=storage,
    )
    make_argument(debate, slug="power", position=3, summary="Dams make power", body="[@wb]")
    return debate


def test_debate_page_shows_question_summary_and_each_side_in_its_column(client):
    exchange()
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 lang="en" dir="ltr">Should dams be built?</h1>' in html
    assert "Why." in html
    supporters, critics = column(html, "supporter"), column(html, "critic")
    assert "Dams store water" in supporters and "Dams make power" in supporters
    assert 'id="argument-dams-silt"' in critics and 'id="argument-dams-silt"' not in supporters
    assert "Reservoirs silt up</h3>" in critics
    assert "Held by International Rivers" in critics
    assert 'href="/wiki/water/#dams"' in html  # back to the section the debate belongs to


def test_rebuttal_sits_in_its_own_column_below_the_argument_it_answers(client):
    debate = exchange()
    rows = board_rows(list(debate.arguments.all()))
    by_slug = {argument.slug: rows[argument.pk] for argument in debate.arguments.all()}
    assert by_slug == {"storage": 0, "silt": 1, "power": 1}

    html = client.get(URL).content.decode()
    critics = column(html, "critic")
    # Row 0 of the critics' column is left empty so the rebuttal lines up below its target.
    assert critics.index('class="debate-gap"') < critics.index('id="argument-dams-silt"')
    rebuttal = card(html, "silt")
    assert "Rebuts" in rebuttal and 'href="#argument-dams-storage"' in rebuttal
    assert "supporter argument" in rebuttal
    answered = card(html, "storage")
    assert "Answered by" in answered and 'href="#argument-dams-silt"' in answered


@pytest.mark.parametrize("slug", ["regulatory-framework", "digital-sovereignty"])
def test_seed_rebuttals_are_shown_across_sides(client, seed, slug):
    html = client.get(f"/wiki/miit/debate/{slug}/").content.decode()
    arguments = list(Argument.objects.filter(debate__slug=slug))
    rows = board_rows(arguments)
    rebuttals = [argument for argument in arguments if argument.responds_to_id]
    assert rebuttals
    for argument in rebuttals:
        target = argument.responds_to
        assert argument.side != target.side  # the seed's rebuttals all cross sides
        assert rows[argument.pk] > rows[target.pk]  # in a row below the one it answers
        own = column(html, argument.side)
        assert f'id="argument-{slug}-{argument.slug}"' in own
        assert unescape(argument.summary) in unescape(own)
        assert f'href="#argument-{slug}-{target.slug}"' in card(html, argument.slug, slug)


def test_a_rebuttal_placed_before_its_target_waits_for_it_and_cycles_do_not_hang():
    article = make_article()
    debate = make_debate(article)
    later = make_argument(debate, slug="later", position=5)
    early = make_argument(debate, slug="early", side="critic", position=1, responds_to=later)
    assert board_rows([early, later]) == {later.pk: 0, early.pk: 1}
    later.responds_to = early
    rows = board_rows([early, later])
    assert sorted(rows.values()) == [0, 1]


def test_each_argument_numbers_its_own_sources_and_ids_stay_unique(client):
    exchange()
    html = client.get(URL).content.decode()
    silt = card(html, "silt")
    assert 'href="#arg-silt-ref-ir" id="arg-silt-cite-ir-1">[1]</a>' in silt
    assert 'href="#arg-silt-ref-wb" id="arg-silt-cite-wb-1">[2]</a>' in silt
    assert '<li id="arg-silt-ref-ir" ' in silt and '<li id="arg-silt-ref-wb" ' in silt
    assert 'href="/sources/wb/"' in silt  # each reference leads to its source page
    # The same source cited by two arguments is numbered [1] in each, with its own ids.
    assert 'id="arg-storage-cite-wb-1">[1]</a>' in card(html, "storage")
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    for target in re.findall(r'href="#([^"]+)"', html):
        assert target in ids, target


def test_balance_counts_arguments_and_distinct_sources_per_side(client):
    exchange()
    html = client.get(URL).content.decode()
    balance = html.split('class="balance"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td class="balance__number balance__number--supporter">'
        r"(\d+)</td>.*?balance__number--critic\">(\d+)</td>",
        balance,
        flags=re.S,
    )
    assert rows == [("Arguments", "2", "1"), ("Distinct sources", "1", "2")]
    assert 'width="66.7"' in balance  # two of three arguments are supporters'
    assert "balance__warnings" not in balance


def test_balance_warns_when_a_side_has_no_sources_or_an_argument_cites_nothing(client):
    article = make_article()
    debate = make_debate(article)
    make_source("wb")
    make_argument(debate, slug="cited", body="Yes [@wb].")
    make_argument(debate, slug="bare", summary="Bare claim", side="critic", body="No source.")
    make_argument(debate, slug="ghost", side="critic", summary="Ghost", body="[@nobody]")
    html = client.get(URL).content.decode()
    warnings = html.split('class="balance__warnings"', 1)[1].split("</ul>", 1)[0]
    assert "The critics cite no sources" in warnings
    assert 'href="#argument-dams-bare"' in warnings and 'href="#argument-dams-ghost"' in warnings
    assert "argument-dams-cited" not in warnings
    assert "This argument cites no source." in card(html, "bare")
    assert "citation-missing" in card(html, "ghost")


def test_balance_counts_only_sources_that_exist():
    make_source("real")
    article = make_article()
    debate = make_debate(article)
    arguments = [
        make_argument(debate, slug="a", body="[@real] [@real] [@fake]"),
        make_argument(debate, slug="b", side="critic", body="[@fake]"),
    ]
    balance = debate_balance(arguments, {"real"})
    assert (balance.supporter.arguments, balance.supporter.sources) == (1, 1)
    assert (balance.critic.arguments, balance.critic.sources) == (1, 0)
    assert [argument.slug for argument in balance.unsourced] == ["b"]
    assert balance.arguments_bar == (50.0, 50.0) and balance.sources_bar == (100.0, 0.0)


def test_article_page_shows_each_debate_compact_in_its_section_with_a_link(client):
    debate = exchange()
    html = client.get("/wiki/water/").content.decode()
    section = html.split('<section id="dams"', 1)[1].split('<section id="references"', 1)[0]
    assert f'id="debate-{debate.slug}"' in section
    assert 'href="/wiki/water/debate/dams/"' in section
    # The argument text and its citations are folded away, numbered with the article.
    details = section.split('<details class="argument__evidence">', 1)[1].split("</details>", 1)[0]
    assert 'href="#ref-wb"' in details


def test_debates_of_drafts_and_unknown_debates_are_not_found(client):
    exchange()
    Article.objects.update(status=Article.Status.DRAFT)
    assert client.get(URL).status_code == 404
    assert client.get("/wiki/water/debate/nothing/").status_code == 404


def debate_page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_debate_page_queries_do_not_grow_with_arguments_or_citations(client):
    small = make_debate(make_article(slug="small"), slug="d")
    make_source("s0")
    make_argument(small, body="[@s0]")
    large = make_debate(make_article(slug="large"), slug="d")
    keys = [make_source(f"k{n}").key for n in range(30)]
    previous = None
    for n in range(20):
        body = " ".join(f"[@{key}]" for key in keys[n : n + 8])
        side = "supporter" if n % 2 else "critic"
        previous = make_argument(large, slug=f"a{n}", side=side, body=body, responds_to=previous)
    assert debate_page_queries(client, "/wiki/small/debate/d/") == debate_page_queries(
        client, "/wiki/large/debate/d/"
    )
