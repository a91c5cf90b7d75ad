from articles.citations import (
    CitationState,
    CitedItem,
    count_citations_needed,
    find_citation_keys,
    parse_bracket,
)


def test_parse_bracket_reads_keys_and_locators():
    assert parse_bracket("[@a]") == [CitedItem("a")]
    assert parse_bracket("[@a, p. 12]") == [CitedItem("a", "p. 12")]
    assert parse_bracket("[@a; @b, ch. 3]") == [CitedItem("a"), CitedItem("b", "ch. 3")]


def test_parse_bracket_rejects_what_is_not_citation_syntax():
    for text in ["[a]", "[@]", "[@a; b]", "[@ a]", "@a", "[@a", "[email me]"]:
        assert parse_bracket(text) is None, text


def test_find_citation_keys_keeps_order_and_repeats():
    text = "One [@b]. Two [@a; @b, p. 2]. Not [a link](http://x) nor [@bad key]."
    assert find_citation_keys(text) == ["b", "a", "b"]


def test_count_citations_needed():
    assert count_citations_needed("x [citation needed] y [citation needed]") == 2
    assert count_citations_needed(None) == 0


def test_numbers_follow_first_use_and_reused_keys_keep_theirs():
    state = CitationState({"a": "A", "b": "B"})
    first_b, first_a, second_b = state.cite("b"), state.cite("a"), state.cite("b")
    assert (first_b.number, first_a.number, second_b.number) == (1, 2, 1)
    assert (first_b.anchor, second_b.anchor) == ("cite-b-1", "cite-b-2")
    refs = state.reference_list()
    assert [(ref.key, ref.number, len(ref.occurrences)) for ref in refs] == [
        ("b", 1, 2),
        ("a", 2, 1),
    ]


def test_unknown_key_is_recorded_as_missing_and_gets_no_number():
    state = CitationState({"a": "A"})
    assert state.cite("nope") is None
    assert state.cite("nope") is None
    assert state.cite("a").number == 1
    assert state.missing == ["nope"]
