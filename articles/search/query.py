"""What the reader typed, read into terms: pure text code, no database.

Readers use web-search syntax: words, "quoted phrases", `-word` to leave a word
out and `or` between alternatives. Everything else a query parser could take as
an operator (`!`, `&`, `|`, parentheses, `:*`, backslashes, runs of `-`) is
punctuation here: PostgreSQL's parser refuses some of it ("tsquery stack too
small" after 32 `-` in a row), so each engine is given terms, never the raw text.
"""

import re
from dataclasses import dataclass

from articles.search.han import fold, has_han, scripts

MAX_QUERY_LENGTH = 200
OR = "or"
# Characters with a meaning to PostgreSQL's query parsers; inside a word they separate words.
SYNTAX = re.compile(r"[!&|()<>:*\\']+")
TOKEN = re.compile(r'(-*)(?:"([^"]*)"?|([^\s"]+))')


@dataclass(frozen=True)
class Term:
    """A word or a phrase of words (separated by single spaces), maybe left out."""

    words: str
    excluded: bool = False
    phrase: bool = False

    @property
    def websearch(self) -> str:
        text = f'"{self.words}"' if self.phrase else self.words
        return f"-{text}" if self.excluded else text


@dataclass(frozen=True)
class Query:
    text: str  # as cleaned, for the page to show
    parts: tuple[Term | str, ...]  # terms, and OR between alternatives

    def __bool__(self) -> bool:
        """Whether there is anything to find: a query that only leaves words out
        would list the whole wiki."""
        return any(isinstance(part, Term) and not part.excluded for part in self.parts)

    @property
    def han(self) -> bool:
        """Whether any term holds Han characters."""
        return any(isinstance(part, Term) and has_han(part.words) for part in self.parts)

    @property
    def websearch(self) -> str:
        """The terms in PostgreSQL's websearch syntax, with nothing its parser could refuse."""
        return " ".join(part if part == OR else part.websearch for part in self.parts)


def clean_query(text: str | None) -> str:
    """The query as searched: no control characters (PostgreSQL refuses NUL), bounded."""
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def words_of(text: str) -> list[str]:
    """The words of a token: syntax characters split it, dashes around a word go."""
    words = (word.strip("-") for word in SYNTAX.sub(" ", text).split())
    return [word for word in words if word]


def parse_query(text: str | None) -> Query:
    """`text` read into terms; leading dashes exclude a term, `or` joins alternatives.

    Terms are folded (`han.fold`): traditional Chinese and full-width letters
    are searched as simplified Chinese and ASCII; the text shown stays as typed.
    A word that syntax characters split (`a&b`) becomes several terms, as does
    one of Han and other characters (`MIIT宁波`: Chinese puts no space there). `or` at
    either end or twice in a row is dropped, as it joins nothing.
    """
    cleaned = clean_query(text)
    parts: list[Term | str] = []
    for dashes, phrase, word in TOKEN.findall(fold(cleaned)):
        excluded = bool(dashes)
        if word and word.lower() == OR and not excluded:
            if parts and parts[-1] != OR:
                parts.append(OR)
        elif not word:
            if words := words_of(phrase):
                parts.append(Term(" ".join(words), excluded, phrase=True))
        else:
            words = (piece for each in words_of(word) for _, piece in scripts(each))
            parts += [Term(piece, excluded) for piece in words]
    if parts and parts[-1] == OR:
        parts.pop()
    return Query(cleaned, tuple(parts))
