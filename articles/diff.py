"""Word-level differences between two texts (pure, no Django).

Texts are compared paragraph by paragraph first and word by word only inside
paragraphs that changed, which keeps large documents fast and keeps a
re-flowed paragraph readable.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from articles.citations import cited_keys

# Words and punctuation carry their trailing white space, and lines their trailing
# blank lines: tokens stay nearly unique, which keeps SequenceMatcher fast.
TOKEN = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")
LINE = re.compile(r"[^\n]*\n*")
WHITESPACE = re.compile(r"\s+")
SENTENCE = re.compile(r"[^.!?]*[.!?]+\s*|[^.!?]+")


@dataclass(frozen=True)
class Change:
    op: str  # "equal", "insert" or "delete"
    text: str


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def merge_runs(changes: list[Change]) -> list[Change]:
    """Join neighbouring changes of the same kind."""
    merged: list[Change] = []
    for change in changes:
        if not change.text:
            continue
        if merged and merged[-1].op == change.op:
            merged[-1] = Change(change.op, merged[-1].text + change.text)
        else:
            merged.append(change)
    return merged


def fold_space(token: str) -> str:
    return WHITESPACE.sub(" ", token)


def diff_sequences(old: list[str], new: list[str], inner=None) -> list[Change]:
    """Changes between two token lists; `inner` refines replaced blocks.

    Tokens are compared with white space folded, so re-flowed text (a line
    break where a space was) is not a change; equal runs show the new text.
    """
    changes: list[Change] = []
    folded_old, folded_new = list(map(fold_space, old)), list(map(fold_space, new))
    matcher = SequenceMatcher(None, folded_old, folded_new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old[i1:i2]), "".join(new[j1:j2])
        if op == "equal":
            changes.append(Change("equal", after))
        elif op == "replace" and inner is not None:
            changes.extend(inner(before, after))
        else:
            changes += [Change("delete", before), Change("insert", after)]
    return changes


def diff_words(old: str, new: str) -> list[Change]:
    """Word-level changes from `old` to `new`; white space counts as a token."""
    return merge_runs(diff_sequences(tokens(old or ""), tokens(new or "")))


def diff_sentences(old: str, new: str) -> list[Change]:
    """Word-level changes, matching whole sentences first so long paragraphs stay fast."""
    return diff_sequences(SENTENCE.findall(old), SENTENCE.findall(new), inner=diff_words)


def lines(text: str) -> list[str]:
    return [line for line in LINE.findall(text or "") if line]


def diff_text(old: str, new: str) -> list[Change]:
    """Paragraph-aware word diff: unchanged paragraphs are never split into words."""
    return merge_runs(diff_sequences(lines(old), lines(new), inner=diff_sentences))


def has_changes(changes: list[Change]) -> bool:
    return any(change.op != "equal" for change in changes)


def changed_fields(old, new, fields) -> dict[str, list[Change]]:
    """Word diffs of the attributes in `fields` that differ between two objects."""
    return {
        name: diff_text(str(getattr(old, name)), str(getattr(new, name)))
        for name in fields
        if getattr(old, name) != getattr(new, name)
    }


@dataclass
class ItemDiff:
    """One section, debate or argument compared across two states, matched by id."""

    status: str  # "added", "removed", "changed" or "unchanged"
    old: object
    new: object
    fields: dict[str, list[Change]]
    moved: bool = False
    children: list["ItemDiff"] | None = None

    @property
    def current(self):
        return self.new if self.new is not None else self.old

    @property
    def renamed(self) -> bool:
        return "heading" in self.fields


def stay_in_order(old_ids: list, new_ids: list) -> set:
    """Ids common to both orders that keep their relative order (the rest moved)."""
    common = set(old_ids) & set(new_ids)
    old_order = [i for i in old_ids if i in common]
    new_order = [i for i in new_ids if i in common]
    matcher = SequenceMatcher(None, old_order, new_order, autojunk=False)
    blocks = matcher.get_matching_blocks()
    return {i for block in blocks for i in old_order[block.a : block.a + block.size]}


def diff_items(old_items: list, new_items: list, fields, children=None) -> list[ItemDiff]:
    """Match items by `pk` and compare them; new order first, then removed items.

    `children(old_item, new_item)` compares nested items (a debate's arguments).
    """
    old_by_id = {item.pk: item for item in old_items}
    new_ids = [item.pk for item in new_items]
    in_order = stay_in_order([item.pk for item in old_items], new_ids)
    diffs = []
    for item in new_items:
        before = old_by_id.get(item.pk)
        nested = children(before, item) if children else None
        if before is None:
            diffs.append(ItemDiff("added", None, item, {}, children=nested))
            continue
        fields_changed = changed_fields(before, item, fields)
        changed = fields_changed or any(child.status != "unchanged" for child in nested or [])
        moved = item.pk not in in_order
        status = "changed" if changed or moved else "unchanged"
        diffs.append(ItemDiff(status, before, item, fields_changed, moved, nested))
    for item in old_items:
        if item.pk not in set(new_ids):
            nested = children(item, None) if children else None
            diffs.append(ItemDiff("removed", item, None, {}, children=nested))
    return diffs


SECTION_DIFF_FIELDS = ("heading", "level", "anchor", "body")
DEBATE_DIFF_FIELDS = ("question", "summary")
ARGUMENT_DIFF_FIELDS = ("side", "summary", "attributed_to", "body")


@dataclass
class ArticleDiff:
    fields: dict[str, list[Change]]
    sections: list[ItemDiff]
    debates: list[ItemDiff]
    sources_added: list[str]
    sources_removed: list[str]

    @property
    def debates_changed(self) -> bool:
        return any(item.status != "unchanged" for item in self.debates)

    @property
    def has_changes(self) -> bool:
        items = self.sections + self.debates
        return bool(
            self.fields
            or self.sources_added
            or self.sources_removed
            or any(item.status != "unchanged" for item in items)
        )


def diff_arguments(old_debate, new_debate) -> list[ItemDiff]:
    return diff_items(
        old_debate.arguments if old_debate else [],
        new_debate.arguments if new_debate else [],
        ARGUMENT_DIFF_FIELDS,
    )


def diff_states(old, new) -> ArticleDiff:
    """Compare two article states (article, sections, debates with arguments).

    Sections, debates and arguments are matched by identity, so renamed,
    moved, added and removed ones are named as such.
    """
    old_keys, new_keys = cited_keys(old.texts()), cited_keys(new.texts())
    return ArticleDiff(
        fields=changed_fields(old.article, new.article, ("title", "lead")),
        sections=diff_items(old.sections, new.sections, SECTION_DIFF_FIELDS),
        debates=diff_items(old.debates, new.debates, DEBATE_DIFF_FIELDS, children=diff_arguments),
        sources_added=sorted(new_keys - old_keys),
        sources_removed=sorted(old_keys - new_keys),
    )
