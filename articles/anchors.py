"""Section anchors and heading ids from heading text (pure).

An anchor is ASCII when the heading's letters have ASCII forms (`Café` → `cafe`, as
before), and keeps the heading's own letters when they have none: `沿革` → `沿革`,
`2008年改革` → `2008年改革`. An ASCII-only slug of a Chinese heading is empty (every
section then fell back to `section`, `section-2`… by position, so anchors moved when
a section was added above) or keeps only its digits (`2008`). Unicode ids are valid
HTML and readers can copy them (`/wiki/miit-zh/#沿革`, as on Chinese Wikipedia).
"""

import unicodedata

from django.utils.text import slugify

ANCHOR_LENGTH = 120  # Section.anchor's max_length


def has_ascii_form(char: str) -> bool:
    """Whether a letter or digit survives ASCII folding (é → e; 沿 and ß do not)."""
    folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    return any(c.isalnum() for c in folded)


def anchor_slug(text: str) -> str:
    """The slug of a heading for its anchor: ASCII when nothing is lost, else Unicode."""
    if all(has_ascii_form(char) for char in text if char.isalnum()):
        return slugify(text)
    return slugify(text, allow_unicode=True)[:ANCHOR_LENGTH].strip("-")


class AnchorConverter:
    """`<anchor:name>` in a URL pattern: what `anchor_slug` makes (and any ASCII slug)."""

    regex = rf"[-\w]{{1,{ANCHOR_LENGTH}}}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
