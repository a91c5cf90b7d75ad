"""Citation syntax and numbering; pure text code with no Django imports.

Syntax (Pandoc style): `[@key]`, `[@key, p. 12]`, `[@a; @b, ch. 3]` and
`[citation needed]`. Numbers are handed out by first use across everything
rendered with one `CitationState`; a reused key keeps its number and every
occurrence gets its own index so the reference list can link back to it.
"""

import re
from dataclasses import dataclass, field

KEY = r"[A-Za-z0-9_][A-Za-z0-9_-]*"
CITATION_NEEDED = "[citation needed]"
# One cited item: `@key` with an optional locator after a comma.
ITEM_RE = re.compile(rf"^\s*@(?P<key>{KEY})\s*(?:,\s*(?P<locator>[^;\]]*?))?\s*$")
# A whole bracket: `[` `@…` (`;` `@…`)* `]`, no nested brackets.
BRACKET_RE = re.compile(rf"\[\s*@{KEY}[^\[\]]*\]")


@dataclass(frozen=True)
class CitedItem:
    key: str
    locator: str = ""


def parse_bracket(text: str) -> list[CitedItem] | None:
    """The items of one `[@…]` bracket, or None if it is not citation syntax."""
    if not (text.startswith("[") and text.endswith("]")):
        return None
    items = []
    for part in text[1:-1].split(";"):
        match = ITEM_RE.match(part)
        if not match:
            return None
        items.append(CitedItem(match["key"], (match["locator"] or "").strip()))
    return items


def find_citation_keys(text: str) -> list[str]:
    """Every key cited in `text`, in order of appearance, repeats included."""
    keys = []
    for match in BRACKET_RE.finditer(text or ""):
        keys.extend(item.key for item in parse_bracket(match.group()) or [])
    return keys


def cited_keys(texts) -> set[str]:
    """The distinct keys cited anywhere in these texts."""
    return {key for text in texts for key in find_citation_keys(text)}


def count_citations_needed(text: str) -> int:
    return (text or "").count(CITATION_NEEDED)


def cite_anchor(key: str, index: int, prefix: str = "") -> str:
    """The id of the `index`th citation (1, 2…) of `key` on a page."""
    return f"{prefix}cite-{key}-{index}"


def ref_anchor(key: str, prefix: str = "") -> str:
    """The id of the reference-list entry of `key` on a page."""
    return f"{prefix}ref-{key}"


@dataclass(frozen=True)
class Occurrence:
    """One place a key is cited: its number and its 1-based index for that key."""

    key: str
    number: int
    index: int
    prefix: str = ""

    @property
    def anchor(self) -> str:
        return cite_anchor(self.key, self.index, self.prefix)


@dataclass
class Reference:
    """One entry of the reference list: a key, its number and where it is cited."""

    key: str
    number: int
    source: object
    occurrences: list[Occurrence] = field(default_factory=list)
    prefix: str = ""

    @property
    def anchor(self) -> str:
        return ref_anchor(self.key, self.prefix)


@dataclass
class CitationState:
    """Numbering shared by every markdown field of one article rendering.

    `sources` maps known keys to source objects; a key not in it is missing.
    `prefix` starts every id, so that a page showing several numberings (a
    debate page gives each argument its own) keeps its ids unique.
    """

    sources: dict = field(default_factory=dict)
    references: dict[str, Reference] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    needed: int = 0
    prefix: str = ""

    def cite(self, key: str) -> Occurrence | None:
        """Record one citation of `key`; None when the key is unknown."""
        if key not in self.sources:
            if key not in self.missing:
                self.missing.append(key)
            return None
        reference = self.references.get(key)
        if reference is None:
            reference = Reference(
                key, len(self.references) + 1, self.sources[key], prefix=self.prefix
            )
            self.references[key] = reference
        occurrence = Occurrence(key, reference.number, len(reference.occurrences) + 1, self.prefix)
        reference.occurrences.append(occurrence)
        return occurrence

    def mark_needed(self) -> None:
        self.needed += 1

    def reference_list(self) -> list[Reference]:
        return sorted(self.references.values(), key=lambda ref: ref.number)
