from types import SimpleNamespace

from articles.diff import Change, diff_items, diff_text, diff_words, has_changes, stay_in_order


def test_word_diff_marks_inserted_and_deleted_words():
    assert diff_words("Water is wet.", "Water is very wet!") == [
        Change("equal", "Water is "),
        Change("insert", "very "),
        Change("equal", "wet"),
        Change("delete", "."),
        Change("insert", "!"),
    ]


def test_reflowed_paragraph_is_not_a_change():
    old = "Rivers flow to the sea and\nseas are salty."
    new = "Rivers flow to the sea\nand seas are salty."
    changes = diff_text(old, new)
    assert not has_changes(changes)
    assert "".join(c.text for c in changes) == new


def test_reflow_plus_one_word_shows_only_that_word():
    changes = diff_text("Seas are big.\n", "Seas are\nvery big.\n")
    assert [c for c in changes if c.op != "equal"] == [Change("insert", "very ")]


def test_unchanged_paragraphs_are_left_whole():
    old = "First para.\n\nSecond para stays.\n\nThird."
    new = "First para, edited.\n\nSecond para stays.\n\nThird."
    changes = diff_text(old, new)
    assert Change("equal", ".\n\nSecond para stays.\n\nThird.") in changes or any(
        c.op == "equal" and "Second para stays." in c.text for c in changes
    )
    assert [c.text for c in changes if c.op == "insert"] == [", edited"]


def test_long_single_paragraph_diff_is_sentence_bounded():
    sentences = [f"Sentence number {n} says something specific." for n in range(5000)]
    old = " ".join(sentences)
    sentences[2500] = "Sentence number 2500 says something else."
    changes = diff_text(old, " ".join(sentences))
    assert [c.text for c in changes if c.op != "equal"] == ["specific", "else"]


def item(pk, **fields):
    return SimpleNamespace(pk=pk, **fields)


def test_items_are_matched_by_identity_and_named_by_what_happened():
    old = [
        item(1, heading="A", body="a"),
        item(2, heading="B", body="b"),
        item(3, heading="C", body="c"),
    ]
    new = [
        item(2, heading="B2", body="b"),
        item(3, heading="C", body="c!"),
        item(1, heading="A", body="a"),
        item(4, heading="D", body="d"),
    ]
    diffs = {d.current.pk: d for d in diff_items(old, new, ("heading", "body"))}
    assert diffs[2].renamed and diffs[2].status == "changed"
    assert diffs[3].fields.keys() == {"body"}
    assert diffs[1].moved and not diffs[1].fields
    assert diffs[4].status == "added"
    removed = diff_items(old, new[:1], ("heading",))
    assert [d.status for d in removed] == ["changed", "removed", "removed"]


def test_stay_in_order_finds_the_longest_unmoved_run():
    assert stay_in_order([1, 2, 3, 4], [2, 3, 4, 1]) == {2, 3, 4}
