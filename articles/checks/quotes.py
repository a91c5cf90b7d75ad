"""Is a quotation in a text? Pure: no database, no network.

Both sides are normalised first: Unicode NFKC (full-width letters and digits
become their ASCII forms, ligatures split), then every character that is not a
letter, digit or combining mark is dropped (white space, punctuation, quotation
marks, dashes, symbols), so line breaks, typographic quotes and a PDF's
hyphenation do not matter, and Chinese text with or without spaces compares
alike. Case is kept: a quotation is exact.

An ellipsis (… or ...) in the quotation stands for omitted words: the parts
must appear in order.
"""

import re
import unicodedata
from enum import StrEnum

from rapidfuzz import fuzz

# A near miss at least this similar (rapidfuzz's partial ratio, 0–100) is "close".
CLOSE_SCORE = 85.0
ELLIPSIS = re.compile(r"\s*(?:…|\.\s*\.\s*\.|\[\s*(?:…|\.\.\.)\s*\])\s*")


class QuoteStatus(StrEnum):
    VERIFIED = "verified"
    CLOSE = "close"
    NOT_FOUND = "not-found"
    CHANGED = "changed"


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LNM")


def quote_parts(quote: str) -> list[str]:
    return [part for part in map(normalise, ELLIPSIS.split(quote)) if part]


def found_in_order(parts: list[str], text: str) -> bool:
    start = 0
    for part in parts:
        at = text.find(part, start)
        if at < 0:
            return False
        start = at + len(part)
    return True


def verify(snapshot_text: str, quote: str) -> tuple[QuoteStatus, float]:
    """(status, score) of `quote` in `snapshot_text`: VERIFIED (score 100) when
    every part is there in order after normalising, CLOSE when the least similar
    part scores at least CLOSE_SCORE, else NOT_FOUND."""
    text, parts = normalise(snapshot_text), quote_parts(quote)
    if not parts or not text:
        return QuoteStatus.NOT_FOUND, 0.0
    if found_in_order(parts, text):
        return QuoteStatus.VERIFIED, 100.0
    score = min(fuzz.partial_ratio(part, text) for part in parts)
    if score >= CLOSE_SCORE:
        return QuoteStatus.CLOSE, round(score, 1)
    return QuoteStatus.NOT_FOUND, round(score, 1)
