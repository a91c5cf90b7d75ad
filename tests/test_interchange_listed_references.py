"""Citation templates outside `<ref>`: a "Further reading" (延伸阅读) list, or
references listed under their heading without `<ref>`s. Each item shows the source
written out, as the page's reference list shows one, never a bare citation marker;
the source joins the library (merged with one already there)."""

import re
from html import unescape
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.interchange.wikitext import parse_wikitext
from articles.models import Article, Source
from tests.test_interchange_samples import LEAKS, page_text

pytestmark = pytest.mark.django_db
STEINER = Path(__file__).parent / "data" / "interchange" / "steiner-chain-lists.wiki"

# Written here in the shape Chinese Wikipedia articles end with: a cited web page
# reused by name, an emptied 参考资料 section, a 延伸阅读 list of cite templates in
# several spellings (one with an archived copy and a tracking parameter), and an
# English "Further reading" item with text after its template.
CAPITAL = """'''首都'''是一个国家的政治中心<ref name="dict">{{cite web|url=https://www.zdic.net/hans/首都|title=首都 - 汉典|website=汉典|access-date=2020-05-01|language=zh}}</ref>。

== 历史 ==
古代的都城多位于交通要道<ref name="dict" />，也有的因防御而定{{efn|一说与水源有关。{{cite news|title=古都与水|newspaper=人民日报|date=2001-02-03}}}}。

== 参考资料 ==
{{reflist}}

== 延伸阅读 ==
* {{cite book|last=史|first=念海|title=中国古都和文化|publisher=中华书局|year=1998|isbn=978-7-101-01724-3|location=北京}}
* {{Cite journal|author=侯仁之|title=论北京建城之始|journal=北京社会科学|date=1990年3月|volume=1|pages=7–12}}
*{{cite web |url=https://example.org/capitals?utm_source=feed |title=World capitals (list) |work=Example Atlas |accessdate=5 March 2021 |archive-url=https://web.archive.org/web/2021/https://example.org/capitals |archive-date=2021-03-06}}

== Further reading ==
* {{cite news|last1=Smith|first1=Jane|title=Why *capitals* move|newspaper=The Guardian|date=12 June 2019|url=https://www.theguardian.com/cities/2019/jun/12/capitals}} – an overview.
"""  # noqa: E501 - wikitext keeps a template on one line


def section(parsed, heading: str) -> str:
    return next(s.body for s in parsed.sections if s.heading == heading)


def test_listed_templates_are_written_out_and_still_become_sources():
    parsed = parse_wikitext(STEINER.read_text(encoding="utf-8"))
    assert [s.heading for s in parsed.sections] == ["References", "Further reading"]
    assert len(parsed.sources) == 5 and parsed.warnings == []
    further = section(parsed, "Further reading").split("\n")
    assert further == [
        "- Eves H (1972). A Survey of Geometry. Allyn and Bacon. pages 134–135, isbn "
        "978-0-205-03226-6, edition revised, location Boston.",
        "- Pedoe D (1970). A Course of Geometry for Colleges and Universities. Cambridge "
        "University Press. pages 97–101, isbn 978-0-521-07638-8.",
        "- Coolidge JL (1916). A Treatise on the Circle and the Sphere. Clarendon Press. "
        "pages 31–37, location Oxford.",
    ]
    assert "[@" not in section(parsed, "References")
    assert "Penguin Books" in section(parsed, "References")


def test_cite_templates_in_refs_and_notes_still_cite():
    parsed = parse_wikitext(CAPITAL)
    history = section(parsed, "历史")
    dictionary = next(s for s in parsed.sources if s.title == "首都 - 汉典")
    assert history.count(f"[@{dictionary.key}]") == 1 and parsed.lead.endswith(
        f"[@{dictionary.key}]。"
    )
    # The note's own citation stays a citation, inside the footnote.
    newspaper = next(s for s in parsed.sources if s.publisher == "人民日报")
    assert re.search(rf"\[\^[\w-]+\]: 一说与水源有关。\s*\[@{newspaper.key}\]", history)
    reading = section(parsed, "延伸阅读")
    assert "[@" not in reading and "[^" not in reading
    assert "- 念海 史 (1998). 中国古都和文化. 中华书局." in reading
    assert reading.endswith(
        "Example Atlas. [Archived copy](https://web.archive.org/web/2021/https://example.org/"
        "capitals). Accessed 5 March 2021."
    )
    # Markdown in a title is shown as typed, not as emphasis.
    assert r"[Why \*capitals\* move](https://www.theguardian.com/" in section(
        parsed, "Further reading"
    )
    assert "参考资料" not in [s.heading for s in parsed.sections]


def load(path: Path, slug: str) -> str:
    out = StringIO()
    call_command("import_article", str(path), "--format", "wikitext", "--slug", slug,
                 "--title", slug, stdout=out)  # fmt: skip
    return out.getvalue()


def test_imported_pages_show_listed_references_and_merge_their_sources(client, tmp_path):
    capital = tmp_path / "capital.wiki"
    capital.write_text(CAPITAL, encoding="utf-8")
    load(capital, "capital")
    load(STEINER, "steiner-chain")
    html = page_text(client, "capital")
    assert not LEAKS.search(html)
    text = unescape(re.sub(r"<[^>]+>", "", html))
    assert "念海 史 (1998). 中国古都和文化. 中华书局." in text
    assert "Why *capitals* move" in text and "– an overview." in text
    assert 'href="https://www.theguardian.com/cities/2019/jun/12/capitals"' in html
    steiner = page_text(client, "steiner-chain")
    assert not LEAKS.search(steiner) and "A Treatise on the Circle and the Sphere" in steiner
    # Every listed source is in the library; importing again reuses them all.
    atlas = Source.objects.get(title="World capitals (list)")
    assert atlas.archive_url.startswith("https://web.archive.org/") and str(atlas.accessed) == (
        "2021-03-05"
    )
    count = Source.objects.count()
    assert count == 6 + 5
    report = load(capital, "capital")
    assert "Sources new: 0" in report and Source.objects.count() == count
    assert Article.objects.filter(slug="capital").count() == 1
