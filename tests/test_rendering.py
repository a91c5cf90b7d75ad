import re

import pytest

from articles.citations import CitationState
from articles.headings import Heading, Outline
from articles.rendering import language_classes_only, outline_numbers, render_markdown
from tests.factories import make_argument, make_article, make_debate, make_section, save_revision
from tests.html_safety import HOSTILE, unsafe_parts

SOURCES = {"a": "Source A", "b": "Source B", "c": "Source C"}


def render(text: str, state: CitationState | None = None) -> str:
    return str(render_markdown(text, state or CitationState(dict(SOURCES))))


def citation_numbers(html: str) -> list[str]:
    return re.findall(
        r'<sup class="citation"><a href="#ref-(\w+)" id="cite-\w+-\d+">\[(\d+)\]', html
    )


def test_citation_markup_matches_the_contract():
    html = render("Water is wet [@a].")
    assert '<sup class="citation"><a href="#ref-a" id="cite-a-1">[1]</a></sup>' in html


def test_numbers_by_first_use_and_reuse_keeps_number():
    html = render("X [@b]. Y [@a]. Z [@b].")
    assert citation_numbers(html) == [("b", "1"), ("a", "2"), ("b", "1")]
    assert 'id="cite-b-2"' in html


def test_numbering_is_shared_across_fields_of_one_article():
    state = CitationState(dict(SOURCES))
    render("Lead [@c].", state)
    html = render("Body [@a] [@c].", state)
    assert citation_numbers(html) == [("a", "2"), ("c", "1")]
    assert 'id="cite-c-2"' in html


def test_several_keys_in_one_bracket_each_get_a_marker():
    html = render("Both [@a; @b].")
    assert citation_numbers(html) == [("a", "1"), ("b", "2")]


def test_locator_is_shown_after_the_number():
    html = render("Page [@a, p. 12].")
    assert '[1]</a><span class="citation-locator">: p. 12</span></sup>' in html


def test_citation_needed_is_marked_and_counted():
    state = CitationState({})
    html = render("Claim [citation needed]. Another [citation needed].", state)
    assert html.count('<sup class="citation-needed"') == 2
    assert state.needed == 2


def test_unknown_key_is_flagged_not_crashing():
    state = CitationState(dict(SOURCES))
    html = render("Ghost [@nobody] and real [@a].", state)
    assert '<sup class="citation-missing"' in html
    assert "nobody" in html
    assert citation_numbers(html) == [("a", "1")]
    assert state.missing == ["nobody"]


@pytest.mark.parametrize(
    "text",
    [
        "- item [@a]\n- other [@b]",
        "1. first [@a]\n2. second [@b]",
        "### Heading [@a]\n\ntext [@b]",
        "| col | cited |\n|---|---|\n| x [@a] | y [@b] |",
        "> quoted [@a]\n>\n> more [@b]",
    ],
)
def test_citations_render_inside_block_structures(text):
    assert citation_numbers(render(text)) == [("a", "1"), ("b", "2")]


def test_citation_syntax_followed_by_url_stays_a_link():
    html = render("[@a](https://example.org)")
    assert '<a href="https://example.org"' in html
    assert "citation" not in html


def test_citations_in_code_are_left_alone():
    html = render("`[@a]` and\n\n    [@b]\n")
    assert citation_numbers(html) == []
    assert "[@a]" in html and "[@b]" in html


def test_footnotes_render_with_ids_unique_per_field():
    state = CitationState(dict(SOURCES))
    first = str(render_markdown("A[^1]\n\n[^1]: note [@a]", state, doc_id="lead"))
    second = str(render_markdown("B[^1]\n\n[^1]: other", state, doc_id="history"))
    assert 'href="#fn-lead-1"' in first and 'id="fn-lead-1"' in first
    assert 'href="#fn-history-1"' in second
    assert "[note 1]" in first
    assert citation_numbers(first) == [("a", "1")]


def test_external_links_get_rel_and_internal_do_not():
    html = render("[out](https://example.org) [in](/wiki/x/) [here](#ref-a)")
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">' in html
    assert '<a href="/wiki/x/">' in html
    assert '<a href="#ref-a">' in html


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_is_rendered_harmless(text):
    html = render(text)
    assert unsafe_parts(html) == []
    assert "<script" not in html.lower()


def test_raw_html_is_shown_as_text_not_dropped():
    html = render("Use <b>bold</b> carefully")
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_outline_numbers_nest_by_level():
    assert outline_numbers([2, 3, 3, 2, 4, 2]) == ["1", "1.1", "1.2", "2", "2.0.1", "3"]


def test_table_alignment_is_a_class_not_an_inline_style():
    # The Content Security Policy blocks style attributes.
    html = render("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |")
    assert '<th class="align-left">a</th>' in html
    assert '<td class="align-center">2</td>' in html
    assert '<td class="align-right">3</td>' in html
    assert "style=" not in html


def render_under(text: str, level: int, doc_id: str = "s") -> str:
    return str(render_markdown(text, CitationState({}), doc_id, level=level))


@pytest.mark.parametrize(
    ("text", "level", "heading"),
    [
        ("# Background", 2, '<h3 id="s-background">Background</h3>'),
        ("## Background", 2, '<h4 id="s-background">Background</h4>'),
        ("# Background", 3, '<h4 id="s-background">Background</h4>'),
        ("# Background", 1, '<h2 id="s-background">Background</h2>'),  # the lead
        ("### Deep", 4, '<h6 id="s-deep">Deep</h6>'),  # capped at h6
        ("###### Deepest", 2, '<h6 id="s-deepest">Deepest</h6>'),
        ("Background\n==========", 2, '<h3 id="s-background">Background</h3>'),  # Setext
        ("Background\n----------", 2, '<h4 id="s-background">Background</h4>'),
    ],
)
def test_body_headings_render_below_the_heading_they_sit_under(text, level, heading):
    assert render_under(text, level) == heading + "\n"


def test_headings_in_block_quotes_and_lists_are_headings_too():
    html = render_under("> # Quoted\n\n- ## Listed\n\n1. Setext\n   ===", 2)
    assert '<blockquote>\n<h3 id="s-quoted">Quoted</h3>\n</blockquote>' in html
    assert '<li>\n<h4 id="s-listed">Listed</h4>\n</li>' in html
    assert '<h3 id="s-setext">Setext</h3>' in html


def test_no_heading_is_ever_dropped_to_bare_text():
    for hashes in range(1, 7):
        html = render_under(f"{'#' * hashes} Title", 1)
        assert re.fullmatch(r'<h[2-6] id="s-title">Title</h[2-6]>\n', html)


def test_heading_outline_and_ids_are_unique_on_the_page():
    outline = Outline({"s", "h-s", "s-notes"})
    state = CitationState(dict(SOURCES))
    html = str(
        render_markdown(
            "# Notes\n\n# Notes\n\n> # Notes\n\n# 工业", state, "s", level=2, outline=outline
        )
    )
    ids = re.findall(r'<h3 id="([^"]+)"', html)
    # A Chinese heading keeps its characters (articles/anchors.py).
    assert ids == ["s-notes-2", "s-notes-3", "s-notes-4", "s-工业"]
    # The quoted heading belongs to the quotation, not to the table of contents.
    assert outline.headings == [
        Heading(3, "s-notes-2", "Notes"),
        Heading(3, "s-notes-3", "Notes"),
        Heading(3, "s-工业", "工业"),
    ]


def test_toc_text_of_a_heading_is_plain():
    outline = Outline()
    text = "# The *rule* of `law` [@a][^1]\n\n[^1]: x"
    render_markdown(text, CitationState(dict(SOURCES)), "s", level=2, outline=outline)
    assert outline.headings == [Heading(3, "s-the-rule-of-law", "The rule of law")]


@pytest.mark.parametrize(
    ("fence", "code"),
    [
        ("```python", '<code class="language-python">'),
        ("```c++ {.numbered}", '<code class="language-c++">'),
        ("~~~objective-c", '<code class="language-objective-c">'),
        ('```js" onclick="alert(1)', "<code>"),
        ("```a;b", "<code>"),
        ("```language-x class", '<code class="language-language-x">'),
        ("```", "<code>"),
    ],
)
def test_code_keeps_its_language_class_and_nothing_else(fence, code):
    html = render(f"{fence}\nx = 1\n{fence[:3]}")
    assert html.startswith(f"<pre>{code}x = 1\n</code></pre>")


@pytest.mark.parametrize(
    ("code", "kept"),
    [
        ('<code class="language-rust">', '<code class="language-rust">'),
        ('<code class="language-rust evil">', "<code>"),
        ('<code class="highlight">', "<code>"),
        ('<code class="language-x&quot; onclick=&quot;y">', "<code>"),
    ],
)
def test_sanitizer_lets_only_one_language_class_through(code, kept):
    assert language_classes_only(f"<pre>{code}x</code></pre>") == f"<pre>{kept}x</code></pre>"


@pytest.mark.parametrize(
    ("text", "link"),
    [
        (
            "See https://www.miit.gov.cn/ now.",
            '<a href="https://www.miit.gov.cn/" rel="nofollow noopener noreferrer">'
            "https://www.miit.gov.cn/</a>",
        ),
        (
            "See www.gov.cn/zhengce/.",
            '<a href="http://www.gov.cn/zhengce/" rel="nofollow noopener noreferrer">'
            "www.gov.cn/zhengce/</a>.",
        ),
        (
            "Write to press@miit.gov.cn.",
            '<a href="mailto:press@miit.gov.cn" rel="nofollow noopener noreferrer">'
            "press@miit.gov.cn</a>.",
        ),
        (
            "(http://example.org/a_(b))",
            '(<a href="http://example.org/a_(b)" rel="nofollow noopener noreferrer">'
            "http://example.org/a_(b)</a>)",
        ),
    ],
)
def test_bare_urls_and_email_addresses_become_links(text, link):
    assert link in render(text)


@pytest.mark.parametrize(
    "text",
    [
        "`https://example.org/`",
        "```\nhttps://example.org/\n```",
        "    www.example.org",
        "javascript:alert(1)",
        "javascript://example.org/%0Aalert(1)",
        "setup.py and miit.gov.cn and //example.org",
        "ftp://example.org/file",
    ],
)
def test_code_unsafe_schemes_and_bare_domains_are_not_linked(text):
    assert "<a " not in render(text)


def test_written_link_and_bare_link_get_the_same_rules():
    html = render("[x](https://a.org) https://a.org [y](//a.org)")
    assert html.count('rel="nofollow noopener noreferrer"') == 3
    assert "[javascript:alert(1)](javascript:alert(1))" not in render("<javascript:alert(1)>")


def toc_entries(html: str) -> list[tuple[str, str, str, str]]:
    toc = html.split('<nav class="toc"', 1)[1].split("</nav>", 1)[0]
    return re.findall(
        r'<li class="toc-level-(\d)"><a href="#([^"]+)"><span class="toc-number">([\d.]*)</span> '
        r"([^<]+)</a>",
        toc,
    )


@pytest.mark.django_db
def test_body_headings_are_sub_headings_on_the_page_and_in_the_toc(client):
    article = make_article(lead="# Overview\n\nLead.")
    make_section(article, heading="History", anchor="history", body="# Background\n\nText.")
    make_section(article, heading="Policy", anchor="policy", level=3, body="Plain.")
    html = client.get("/wiki/water/").content.decode()
    assert '<h2 id="lead-overview">Overview</h2>' in html
    assert '<h3 id="history-background">Background</h3>' in html
    assert toc_entries(html) == [
        ("2", "history", "1", "History"),
        ("3", "history-background", "1.1", "Background"),
        ("3", "policy", "1.2", "Policy"),
        ("2", "references", "", "References"),
    ]


@pytest.mark.django_db
def test_old_revisions_and_debate_pages_render_body_headings(client):
    article = make_article()
    make_section(article, heading="History", anchor="history", body="Then\n====\n\nText.")
    first = save_revision(article, "Create")
    save_revision(article, "Flatten", sections={"history": "Text."})
    debate = make_debate(article)
    make_argument(debate, slug="store", body="# Storage\n\nDams store water.")
    old = client.get(f"/wiki/water/revision/{first}/").content.decode()
    assert '<h3 id="history-then">Then</h3>' in old
    assert ("3", "history-then", "1.1", "Then") in toc_entries(old)
    assert "history-then" not in client.get("/wiki/water/").content.decode()
    page = client.get("/wiki/water/debate/dams/").content.decode()
    assert '<h4 id="arg-store-storage">Storage</h4>' in page


def link(url: str, text: str) -> str:
    return f'<a href="{url}" rel="nofollow noopener noreferrer">{text}</a>'


GOOGLE = "www.google.com/search?q=Markup+(business)"


@pytest.mark.parametrize(
    ("text", "html"),
    [  # GFM's autolink extension examples (GFM spec 0.29, 621–631), with our `rel`
        ("www.commonmark.org", f"<p>{link('http://www.commonmark.org', 'www.commonmark.org')}</p>"),
        (
            "Visit www.commonmark.org/help for more information.",
            f"<p>Visit {link('http://www.commonmark.org/help', 'www.commonmark.org/help')} "
            "for more information.</p>",
        ),
        (
            "Visit www.commonmark.org.\n\nVisit www.commonmark.org/a.b.",
            f"<p>Visit {link('http://www.commonmark.org', 'www.commonmark.org')}.</p>\n"
            f"<p>Visit {link('http://www.commonmark.org/a.b', 'www.commonmark.org/a.b')}.</p>",
        ),
        (
            f"{GOOGLE}\n\n{GOOGLE}))\n\n({GOOGLE})\n\n({GOOGLE}",
            f"<p>{link('http://' + GOOGLE, GOOGLE)}</p>\n<p>{link('http://' + GOOGLE, GOOGLE)}))"
            f"</p>\n<p>({link('http://' + GOOGLE, GOOGLE)})</p>\n"
            f"<p>({link('http://' + GOOGLE, GOOGLE)}</p>",
        ),
        (
            "www.commonmark.org/he<lp",
            f"<p>{link('http://www.commonmark.org/he', 'www.commonmark.org/he')}&lt;lp</p>",
        ),
        (
            "http://commonmark.org\n\n(Visit https://encrypted.google.com/search?q=Markup+(business))",
            f"<p>{link('http://commonmark.org', 'http://commonmark.org')}</p>\n<p>(Visit "
            + link(
                "https://encrypted.google.com/search?q=Markup+(business)",
                "https://encrypted.google.com/search?q=Markup+(business)",
            )
            + ")</p>",
        ),
        (  # 631 with a real top-level domain (see the next test)
            "a.b-c_d@a.cn\n\na.b-c_d@a.cn.\n\na.b-c_d@a.cn-\n\na.b-c_d@a.cn_",
            f"<p>{link('mailto:a.b-c_d@a.cn', 'a.b-c_d@a.cn')}</p>\n"
            f"<p>{link('mailto:a.b-c_d@a.cn', 'a.b-c_d@a.cn')}.</p>\n"
            "<p>a.b-c_d@a.cn-</p>\n<p>a.b-c_d@a.cn_</p>",
        ),
    ],
)
def test_gfm_autolink_examples(text, html):
    assert render(text) == html + "\n"


def test_bare_links_need_a_real_top_level_domain():
    # Unlike GFM (example 629), as linkify-it: `name@host.local`, `v1.2@build.x` stay text.
    assert "<a " not in render("foo@bar.baz and www.example.invalid")


def test_chinese_punctuation_ends_a_bare_link():
    html = render(
        "见https://www.miit.gov.cn/，其中 https://x.org/a.html（注）和 https://x.org/中文"
    )
    assert f"见{link('https://www.miit.gov.cn/', 'https://www.miit.gov.cn/')}，其中" in html
    assert f"{link('https://x.org/a.html', 'https://x.org/a.html')}（注）" in html
    assert link("https://x.org/%E4%B8%AD%E6%96%87", "https://x.org/中文") in html
