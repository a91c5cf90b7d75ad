"""What Chinese Wikipedia's wikitext needs from the reader, found importing the real
article on MIIT (tests/data/interchange/miit-zh.wiki, see ATTRIBUTION.md there)."""

import re
from pathlib import Path

from articles.citations import CitationState
from articles.interchange.references import make_key
from articles.interchange.wikitext import parse_wikitext
from articles.rendering import render_markdown

MIIT_ZH = Path(__file__).parent / "data" / "interchange" / "miit-zh.wiki"
LEAKS = re.compile(r"\{\{|\}\}|\[\[|\]\]|<ref|-\{|^\\?\|-", re.M)


def test_wikisource_links_keep_their_text():
    parsed = parse_wikitext("发出《{{s|关于调整职责的通知}}》，见《{{s|某规定全文|某规定}}》。\n")
    assert parsed.lead == "发出《关于调整职责的通知》，见《某规定》。"
    assert parsed.warnings == []


def test_a_columns_list_keeps_its_list():
    parsed = parse_wikitext("承担下列职责：\n{{columns-list|2|\n# 提出战略。\n# 制定规划。\n}}\n")
    assert parsed.lead == "承担下列职责：\n\n1. 提出战略。\n1. 制定规划。"
    assert parsed.warnings == []


def test_a_note_reused_by_name_is_one_footnote_wherever_it_is_defined():
    parsed = parse_wikitext(
        "* 甲大学{{noteTag|name=副部}}\n"
        "* 乙大学{{noteTag|副部级高校。|name=副部}}\n"
        "* 丙大学{{noteTag|name=副部}}\n"
    )
    assert parsed.notes == 1
    assert parsed.lead.count("[^note-1]") == 4  # three uses and the one definition
    assert parsed.lead.endswith("[^note-1]: 副部级高校。")
    assert "副部" not in parsed.lead.split("[^note-1]:")[0]  # the name is not the text


def test_a_note_named_but_never_defined_is_dropped_with_a_warning():
    parsed = parse_wikitext("甲。{{efn|name=nowhere}}\n")
    assert parsed.lead == "甲。"
    assert parsed.warnings == ["dropped {{efn|name=nowhere}} that is never defined"]


def test_table_rows_left_by_a_succession_box_are_dropped():
    parsed = parse_wikitext(
        "== 参见 ==\n* 工部\n{{s-start}}\n{{s-title|甲}}\n|-\n{{s-title|乙}}\n{{s-end}}\n"
    )
    assert parsed.sections[0].body == "- 工部"
    assert "dropped table rows (|-) outside a table" in parsed.warnings


def test_a_definition_term_heads_its_own_paragraph_not_the_list_item_above():
    parsed = parse_wikitext("; 党组书记\n# 甲（2008年－）\n; 党组副书记\n……\n")
    assert parsed.lead == "**党组书记**\n\n1. 甲（2008年－）\n\n**党组副书记**\n\n……"
    html = render_markdown(parsed.lead, CitationState({}))
    assert "<li>甲（2008年－）</li>" in html
    assert "<p><strong>党组副书记</strong></p>" in html


def test_the_ideographic_space_that_aligns_names_is_kept():
    parsed = parse_wikitext("# [[苗圩|苗　圩]]（2010年－2020年）\n")
    assert parsed.lead == "1. 苗\u3000圩（2010年－2020年）"


def test_keys_name_the_site_below_a_country_second_level_domain():
    parsed = parse_wikitext(
        "甲<ref>{{cite web|url=http://www.npc.gov.cn/a.htm|title=说明|publisher=中国人大网"
        "|date=2008-03-11}}</ref>乙<ref>{{cite web|url=https://news.bbc.co.uk/1|title=x}}</ref>"
        "丙<ref>{{cite web|url=http://www.gov.cn/b.htm|title=方案|publisher=中国政府网}}</ref>\n"
    )
    npc, bbc, gov = parsed.sources
    assert npc.key.startswith("npc-2008-") and npc.key == make_key(npc)
    assert bbc.key.startswith("bbc-")
    assert gov.key.startswith("gov-")  # gov.cn is the site itself


def test_the_real_article_keeps_every_reference_and_leaks_no_markup():
    text = MIIT_ZH.read_text(encoding="utf-8")
    parsed = parse_wikitext(text)
    refs = re.findall(r"<ref[ >]", text)
    assert len(refs) == 11 and len(parsed.sources) == 11  # no <ref> is reused by name
    assert parsed.notes == 1  # the {{noteTag}} on four universities
    cited = re.findall(r"\[@([\w-]+)\]", "\n".join(parsed.texts()))
    assert len(cited) == 11 and set(cited) == {source.key for source in parsed.sources}
    for text_part in parsed.texts():
        assert not LEAKS.search(text_part), LEAKS.search(text_part)
    assert [(s.heading, s.level) for s in parsed.sections][:5] == [
        ("沿革", 2), ("职责", 2), ("机构设置", 2), ("内设机构", 3), ("工信部管理的国家局", 3),
    ]  # fmt: skip
    duties = parsed.sections[1].body
    assert duties.count("\n1. ") == 15  # the fifteen duties inside {{columns-list}}
    for dropped in ("template {{Infobox PRCG}}", "template {{国务院}}", "category [[Category:"):
        assert any(dropped in warning for warning in parsed.warnings), dropped
    assert not any("columns-list" in w or "{{s}}" in w for w in parsed.warnings)
