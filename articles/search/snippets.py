"""Finding and marking a query's terms in a row's text, in Python: the simple
search's check and snippets, and the snippets of Chinese searches on PostgreSQL
(whose headlines cannot split Han text). Pure text code, no database.

Terms are found in the folded text (`han.fold`, which keeps every length), so a
match there marks the same characters of the original. A Han run matches
anywhere, as Chinese has no spaces between words; other text must start a word.
"""

import re
import string

from articles.search.han import NON_HAN_WORD, fold, has_han, scripts
from articles.search.query import OR, Query
from articles.search.searched import PLAIN_TEXT, START, STOP, Hit, Searched

SNAP = 30  # how far an excerpt's edge moves to end on a space
NOTHING = re.compile(r"(?!)")
# Common words ignored, as PostgreSQL's English configuration does.
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "in",
    "is", "it", "its", "of", "on", "or", "that", "the", "their", "this", "to", "was", "were",
    "which", "with",
})  # fmt: skip


def plain_text(text: str) -> str:
    for pattern, replacement in PLAIN_TEXT:
        text = re.sub(pattern, replacement, text or "")
    return " ".join(text.split())


def query_terms(query: Query, excluded: bool = False) -> list[str]:
    """The words and phrases to find (or to leave out), folded: common words,
    single letters and `or` are ignored, so every remaining term must match. A
    single Han character is a word."""
    found = []
    for part in query.parts:
        if part == OR or part.excluded != excluded:
            continue
        words = part.words.strip(string.punctuation)
        if (len(words) > 1 or has_han(words)) and words.lower() not in STOP_WORDS:
            found.append(words)
    return found


def term_pattern(term: str) -> str:
    """A folded term (word or phrase) as a regular expression for folded text."""
    starts_with_han = scripts(term)[0][0]
    return ("" if starts_with_han else f"(?<!{NON_HAN_WORD})") + re.escape(term)


def terms_pattern(terms: list[str]) -> re.Pattern:
    """Any of `terms`, longest first, ignoring case (no terms: nothing)."""
    if not terms:
        return NOTHING
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile("|".join(term_pattern(term) for term in ordered), re.I)


def marked(text: str, terms: list[str]) -> str:
    """`text` with each match between START and STOP."""
    spans = [match.span() for match in terms_pattern(terms).finditer(fold(text))]
    pieces, done = [], 0
    for start, end in spans:
        pieces += [text[done:start], START, text[start:end], STOP]
        done = end
    return "".join(pieces) + text[done:]


def excerpt(text: str, terms: list[str], width: int = 240) -> str:
    """About `width` characters of `text` around the first term found, cut at
    spaces where there are some near the edges (Chinese has none)."""
    found = terms_pattern(terms).search(fold(text))
    start = max(0, found.start() - width // 3) if found else 0
    if start:
        space = text.find(" ", start, min(start + SNAP, found.start()))
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", max(start + 1, end - SNAP), end)
        end = space if space != -1 else end
    return ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")


def holds_all(row, searched: Searched, terms: list[str]) -> bool:
    """Whether the row's text, markup left out, holds every term."""
    text = fold(" ".join(plain_text(getattr(row, name)) for name, _ in searched.fields))
    return all(terms_pattern([term]).search(text) for term in terms)


def hit(row, searched: Searched, terms: list[str]) -> Hit:
    """The row as a hit, its title and an excerpt of its text marked."""
    body = " · ".join(filter(None, (getattr(row, name) for name in searched.snippet)))
    return Hit(
        searched,
        row,
        marked(getattr(row, searched.title), terms),
        marked(excerpt(plain_text(body), terms), terms),
    )
