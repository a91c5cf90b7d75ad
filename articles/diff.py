"""Word-level differences between two texts (pure, no Django).

Texts are compared paragraph by paragraph first and word by word only inside
paragraphs that changed, which keeps large documents fast and keeps a
re-flowed paragraph readable.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


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


def diff_sequences(old: list[str], new: list[str], inner=None) -> list[Change]:
    """Changes between two token lists; `inner` refines replaced blocks."""
    changes: list[Change] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old[i1:i2]), "".join(new[j1:j2])
        if op == "equal":
            changes.append(Change("equal", before))
        elif op == "replace" and inner is not None:
            changes.extend(inner(before, after))
        else:
            changes += [Change("delete", before), Change("insert", after)]
    return changes


def diff_words(old: str, new: str) -> list[Change]:
    """Word-level changes from `old` to `new`; white space counts as a token."""
    return merge_runs(diff_sequences(tokens(old or ""), tokens(new or "")))


def diff_text(old: str, new: str) -> list[Change]:
    """Paragraph-aware word diff: unchanged paragraphs are never split into words."""
    old_lines = (old or "").splitlines(keepends=True)
    new_lines = (new or "").splitlines(keepends=True)
    return merge_runs(diff_sequences(old_lines, new_lines, inner=diff_words))


def has_changes(changes: list[Change]) -> bool:
    return any(change.op != "equal" for change in changes)
