"""Citation syntax and numbering; pure text code with no Django imports.

Syntax (Pandoc style): `[@key]`, `[@key, p. 12]`, `[@a; @b, ch. 3]` and
`[citation needed]`; an item may end with the passage of the source that
supports the sentence, in straight or curly double quotes:
`[@key, p. 12: "the passage"]`, `[@key: “the passage”]`. Numbers are handed
out by first use across everything rendered with one `CitationState`; a reused
key keeps its number and every occurrence gets its own index so the reference
list can link back to it.
"""

import re
from dataclasses import dataclass, field

KEY = r"[A-Za-z0-9_][A-Za-z0-9_-]*"
CITATION_NEEDED = "[citation needed]"
# The closing quote of each opening quote a supporting passage may use.
QUOTES = {'"': '"', "“": "”"}
PASSAGE = r'"(?P<straight>[^"]*)"|“(?P<curly>[^”]*)”'
# One cited item: `@key`, an optional locator after a comma, an optional passage after a colon.
ITEM_RE = re.compile(
    rf"^\s*@(?P<key>{KEY})\s*(?:,\s*(?P<locator>[^;\]]*?))?\s*(?::\s*(?:{PASSAGE}))?\s*$"
)
# The longest supporting passage: a sentence or a paragraph, not a page.
MAX_PASSAGE = 1500
# A whole bracket: `[` `@…` (`;` `@…`)* `]`, no nested brackets.
BRACKET_RE = re.compile(rf"\[\s*@{KEY}[^\[\]]*\]")


@dataclass(frozen=True)
class CitedItem:
    key: str
    locator: str = ""
    passage: str = ""  # the words of the source that support the sentence


def split_items(inner: str) -> list[str]:
    """The `;`-separated items of a bracket; a `;` inside a quoted passage is text."""
    parts, current, closing = [], [], None
    for char in inner:
        if closing:
            closing = None if char == closing else closing
        elif char in QUOTES:
            closing = QUOTES[char]
        elif char == ";":
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    return [*parts, "".join(current)]


def parse_bracket(text: str) -> list[CitedItem] | None:
    """The items of one `[@…]` bracket, or None if it is not citation syntax."""
    if not (text.startswith("[") and text.endswith("]")):
        return None
    items = []
    for part in split_items(text[1:-1]):
        match = ITEM_RE.match(part)
        if not match:
            return None
        passage = match["straight"] if match["straight"] is not None else match["curly"]
        items.append(
            CitedItem(
                match["key"], (match["locator"] or "").strip(), " ".join((passage or "").split())
            )
        )
    return items


def format_item(item: CitedItem) -> str:
    """One item written back as citation syntax (`@key, locator: "passage"`)."""
    text = f"@{item.key}" + (f", {item.locator}" if item.locator else "")
    if item.passage:
        text += f': "{item.passage}"' if '"' not in item.passage else f": “{item.passage}”"
    return text


def find_passages(text: str) -> list[CitedItem]:
    """Every cited item of `text` that carries a supporting passage, in order."""
    return [
        item
        for match in BRACKET_RE.finditer(text or "")
        for item in parse_bracket(match.group()) or []
        if item.passage
    ]


# A bracket that tries to give a passage (it holds a quote mark) but is not citation syntax.
ATTEMPT_RE = re.compile(rf"\[\s*@{KEY}[^\[\]]*[\"“”][^\[\]]*\]")


def citation_problems(text: str) -> list[str]:
    """What is wrong with the supporting passages of `text`, for an editor to fix."""
    problems = []
    for match in ATTEMPT_RE.finditer(text or ""):
        items = parse_bracket(match.group())
        if items is None:
            problems.append(
                f"{match.group()[:80]} is not citation syntax: write a passage as "
                '[@key: "words of the source"] or [@key, p. 12: "words of the source"], '
                "with matching quotes and no quote marks inside."
            )
            continue
        for item in items:
            if len(item.passage) > MAX_PASSAGE:
                problems.append(
                    f"The passage quoted for @{item.key} is {len(item.passage):,} characters "
                    f"long; quote at most {MAX_PASSAGE:,}: the words that support the sentence."
                )
    return problems


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
    locator: str = ""
    passage: str = ""

    @property
    def anchor(self) -> str:
        return cite_anchor(self.key, self.index, self.prefix)

    @property
    def support_anchor(self) -> str:
        """The id of the supporting passage shown beside the citation."""
        return f"support-{self.anchor}"


@dataclass
class Reference:
    """One entry of the reference list: a key, its number and where it is cited."""

    key: str
    number: int
    source: object
    occurrences: list[Occurrence] = field(default_factory=list)
    prefix: str = ""
    rating: object = None  # the source's reliability rating, if it has one

    @property
    def anchor(self) -> str:
        return ref_anchor(self.key, self.prefix)

    @property
    def supported(self) -> list[Occurrence]:
        """The citations of this source that quote the passage supporting them."""
        return [occurrence for occurrence in self.occurrences if occurrence.passage]


@dataclass
class CitationState:
    """Numbering shared by every markdown field of one article rendering.

    `sources` maps known keys to source objects; a key not in it is missing.
    `ratings` maps keys to the reliability rating each reference shows.
    `prefix` starts every id, so that a page showing several numberings (a
    debate page gives each argument its own) keeps its ids unique.
    """

    sources: dict = field(default_factory=dict)
    ratings: dict = field(default_factory=dict)
    references: dict[str, Reference] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    needed: int = 0
    prefix: str = ""

    def cite(self, key: str, locator: str = "", passage: str = "") -> Occurrence | None:
        """Record one citation of `key`; None when the key is unknown."""
        if key not in self.sources:
            if key not in self.missing:
                self.missing.append(key)
            return None
        reference = self.references.get(key)
        if reference is None:
            reference = Reference(
                key,
                len(self.references) + 1,
                self.sources[key],
                prefix=self.prefix,
                rating=self.ratings.get(key),
            )
            self.references[key] = reference
        occurrence = Occurrence(
            key, reference.number, len(reference.occurrences) + 1, self.prefix, locator, passage
        )
        reference.occurrences.append(occurrence)
        return occurrence

    def mark_needed(self) -> None:
        self.needed += 1

    def reference_list(self) -> list[Reference]:
        return sorted(self.references.values(), key=lambda ref: ref.number)
