from tests.html_safety import unsafe_parts


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
    assert unsafe_parts('<a href="mailto:a@b.org">m</a><td style="text-align:right">1</td>') == []
