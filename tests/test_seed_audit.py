"""The audit of the seed (issue 17), pinned: each citation supports its sentence.

Each test reads fixtures/miit.json and checks one defect the audit found stays
fixed; docs/reliability.md ("Audit of the seed") says why each change was made.
"""

import json

from articles.citations import find_citation_keys, find_passages
from tests.test_seed import FIXTURE

DATA = json.loads(FIXTURE.read_text(encoding="utf-8"))


def fields(model: str, **match) -> dict:
    found = [
        item["fields"]
        for item in DATA
        if item["model"] == f"articles.{model}"
        and all(item["fields"].get(name) == value for name, value in match.items())
    ]
    assert len(found) == 1, (model, match)
    return found[0]


def lead() -> str:
    return fields("article", slug="miit")["lead"]


def body(anchor: str) -> str:
    return fields("section", anchor=anchor)["body"]


def between(text: str, start: str, stop: str) -> str:
    """The text from `start` up to `stop` (the next words of the seed), citations included."""
    begin = text.index(start)
    return text[begin : text.index(stop, begin + len(start))]


def keys_between(text: str, start: str, stop: str) -> set[str]:
    return set(find_citation_keys(between(text, start, stop)))


REGULATION = "regulation-standards-and-control"
ECONOMY = "economic-and-industrial-policy"


def test_the_telecom_regulation_keeps_no_quote_that_is_not_its_wording():
    source = fields("source", key="telecom-regulations-2000")
    assert "Ministry of Information Industries" not in source["quote"]
    # Article 3 of the Chinese original, word for word; or nothing.
    assert source["quote"] in {
        "",
        "国务院信息产业主管部门依照本条例的规定对全国电信业实施监督管理。",
    }
    assert "fdi.gov.cn" not in source["url"]  # could not be confirmed


def test_supporters_sentence_cites_a_supporter_and_not_only_critics():
    text = body(REGULATION)
    supporters = keys_between(text, "Supporters view it as necessary", "while critics")
    critics = keys_between(text, "while critics describe it", "Proponents of Miit")
    assert supporters & {"cybersecurity-law-2016", "made-in-china-2025-notice-2015"}
    assert not supporters & critics
    assert critics == {"euccc-china-manufacturing-2025-2017", "hrw-cybersecurity-law-2016"}


def test_lead_does_not_cite_the_reform_explanation_for_supervising_data():
    shaping = keys_between(lead(), "shaping the digital economy", "In practice")
    assert "hua-jianmin-reform-explanation-2008" not in shaping
    assert "chinadaily-miit-data-security-campaign-2019" in shaping  # MIIT's data campaign
    assert "modern industry.[citation needed]" in lead()


def test_regulatory_posture_is_not_sourced_to_a_statement_about_another_body():
    posture = keys_between(body(REGULATION), "Miit’s regulatory posture", "In the debate over")
    assert "reuters-cac-not-targeting-foreign-firms-2017" not in posture
    assert "digital interdependence[citation needed]" in body(REGULATION)


def test_miit_and_digital_sovereignty_is_marked_as_needing_a_source():
    assert "approach to digital sovereignty[citation needed], which" in body(REGULATION)


def test_collaboration_with_private_firms_is_not_sourced_to_licences_for_state_firms():
    sentence = keys_between(body(ECONOMY), "In this context, Miit collaborates", "sovereign")
    assert "chinadaily-5g-licences-2019" not in sentence
    assert "private firms alike[citation needed]" in body(ECONOMY)


def test_space_for_private_enterprises_is_not_sourced_to_foreign_versus_domestic():
    sentence = between(body(ECONOMY), "The ministry’s approach", "In this context")
    assert "chinadaily-miao-wei-mic2025-2017" not in find_citation_keys(sentence)
    assert sentence.rstrip().endswith("within a national framework.[citation needed]")


def test_made_in_china_2025_is_not_presented_as_miits_on_the_notice_alone():
    assert "including Made in China 2025[citation needed] and related programs" in lead()


def test_freedom_house_is_not_credited_with_an_argument_it_does_not_make():
    argument = fields("argument", slug="security-as-cover-for-surveillance")
    assert "Freedom House" not in argument["attributed_to"]
    assert "hrw-cybersecurity-law-2016" in find_citation_keys(argument["body"])


def test_debate_summaries_say_who_the_voices_on_each_side_are():
    for slug in ("regulatory-framework", "digital-sovereignty"):
        summary = fields("debate", slug=slug)["summary"]
        assert "official PRC sources" in summary and "Western" in summary


def test_every_supporting_passage_of_the_seed_is_from_its_sources_recorded_quote():
    """No passage is written from memory: each is (part of) the quote the source records."""
    quotes = {
        item["fields"]["key"]: item["fields"]["quote"]
        for item in DATA
        if item["model"] == "articles.source"
    }
    texts = [item["fields"].get("lead") or item["fields"].get("body") or "" for item in DATA]
    passages = [item for text in texts for item in find_passages(text)]
    assert len(passages) >= 3
    for item in passages:
        assert item.passage in quotes[item.key], item
