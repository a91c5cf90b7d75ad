import pytest

from tests.html_safety import HOSTILE, added_unsafe_parts, unsafe_feed_parts, unsafe_parts


def test_checker_finds_what_it_must_find():
    assert unsafe_parts("<script>x</script>") == ["<script>"]
    assert unsafe_parts('<img src="x" onerror="y">') == ["img[onerror]"]
    assert unsafe_parts('<a href=" JaVa script:alert(1)">x</a>') != []
    assert unsafe_parts('<a href="data:text/html,x">x</a>') != []
    assert unsafe_parts('<p style="position:fixed">x</p>') != []


def test_checker_accepts_safe_links():
    assert (
        unsafe_parts('<a href="https://x.org">a</a><a href="/rel">b</a><a href="#ref-a">c</a>')
        == []
    )
    assert unsafe_parts('<a href="mailto:a@b.org">m</a><td class="align-right">1</td>') == []


@pytest.mark.parametrize(
    "html",
    [
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href="\x01javascript:alert(1)">x</a>',
        '<a href="javascript&colon;alert(1)">x</a>',
        '<a href="VBScript:msgbox(1)">x</a>',
        '<img srcset="a.png 1x, javascript:alert(1) 2x">',
        '<object data="data:text/html,x"></object>',
        '<iframe srcdoc="&lt;script&gt;"></iframe>',
        '<meta http-equiv="refresh" content="0;url=https://x.org">',
        '<p style="text-align:left;background:url(javascript:x)">x</p>',
        '<td style="text-align:right">1</td>',
        "<svg/onload=alert(1)>",
        "<math><mi>x</mi></math>",
        '<form action="https://x.org"><button>go</button></form>',
    ],
)
def test_checker_finds_obfuscated_and_less_common_vectors(html):
    assert unsafe_parts(html) != []


def test_checker_reads_relative_urls_without_a_scheme_as_safe():
    html = (
        '<a href="/wiki/a:b/">a</a><a href="?q=x:y">b</a><a href="#fn-lead-1">c</a>'
        '<a href="java%09script:alert(1)">d</a>'  # a path: "%" cannot be part of a scheme
    )
    assert unsafe_parts(html) == []


def test_added_parts_ignore_what_the_baseline_page_already_has():
    page = '<link rel="stylesheet" href="/s.css"><form></form><img src=x onerror=y>'
    baseline = '<link rel="stylesheet" href="/s.css"><form></form>'
    assert added_unsafe_parts(page, baseline) == ["img[onerror]"]
    assert added_unsafe_parts(baseline + baseline, baseline) == ["<link>", "<form>"]


def test_feed_checker_reads_html_content_and_refuses_foreign_elements():
    atom = '<feed xmlns="http://www.w3.org/2005/Atom"><entry><summary type="html">{}</summary>{}'
    safe = atom.format("&lt;p&gt;Edited&lt;/p&gt;", "</entry></feed>")
    assert unsafe_feed_parts(safe.encode()) == []
    hostile = atom.format("&lt;script&gt;x&lt;/script&gt;", "</entry></feed>")
    assert unsafe_feed_parts(hostile.encode()) == ["<script>"]
    text = atom.format("x", '<title>&lt;script&gt;</title><script xmlns=""/></entry></feed>')
    assert unsafe_feed_parts(text.encode()) == ["foreign element script"]


def test_corpus_is_large_and_has_no_duplicates():
    assert len(HOSTILE) >= 60
    assert len(set(HOSTILE)) == len(HOSTILE)
