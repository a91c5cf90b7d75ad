"""Chinese in search: Han script found in the text itself, folded and cut into
bigrams. Pure text code, no database.

Chinese has no spaces between words, so a run of Han characters is indexed as
its characters and its overlapping pairs (宁波市: 宁 波 市 and 宁波 波市, the
pairs at consecutive positions). A query of one character looks up the
character; a longer one looks up its pairs as a phrase (宁波市: 宁波 <-> 波市),
which finds every text holding it as a substring. docs/search.md has the
measurements behind this choice.

Simplified and traditional forms find each other because text and query are
both *folded* character by character to simplified forms with OpenCC's `t2s`
tables, with compatibility ideographs and full-width ASCII folded too. Folding
one character at a time keeps every length (a folded substring is a substring
of the folded text, and a match in the folded text is a match at the same
place in the original), which OpenCC's phrase conversion would not (乾隆
stays, 乾 alone becomes 干).
"""

import re
import unicodedata
from functools import cache

import opencc

# Code points of CJK Unified Ideographs, extension A, compatibility ideographs
# and the supplementary planes' extensions B–H, as (first, last + 1).
HAN_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x31350))
HAN_RANGES = "".join(f"{chr(low)}-{chr(high - 1)}" for low, high in HAN_BLOCKS)
HAN = f"[{HAN_RANGES}]"
HAN_RUN = re.compile(f"{HAN}+")
# A letter or digit that is not Han: what a non-Han word may not follow.
NON_HAN_WORD = rf"[^\W{HAN_RANGES}]"
FULL_WIDTH = range(0xFF01, 0xFF5F)  # ！ to ～, full-width forms of ASCII ! to ~


@cache
def fold_table() -> dict[str, str]:
    """Each character that folds, and what it folds to (always one character)."""
    table = {"\u3000": " "}  # the ideographic space
    table.update({chr(code): chr(code - 0xFEE0) for code in FULL_WIDTH})
    to_simplified = opencc.OpenCC("t2s")
    for low, high in HAN_BLOCKS:
        for code in range(low, high):
            character = chr(code)
            # A compatibility ideograph stands for a unified one (NFKC), then simplified.
            unified = unicodedata.normalize("NFKC", character)
            simplified = to_simplified.convert(unified) if len(unified) == 1 else character
            if len(simplified) == 1 and simplified != character:
                table[character] = simplified
    return table


@cache
def translation() -> dict[int, str]:
    return str.maketrans(fold_table())


def fold(text: str) -> str:
    """`text` with traditional, compatibility and full-width characters folded;
    always of the same length."""
    return text.translate(translation())


def has_han(text: str) -> bool:
    return bool(HAN_RUN.search(text))


def scripts(word: str) -> list[tuple[bool, str]]:
    """`word` cut into runs of Han and of other characters: (is Han, run)."""
    return [(bool(HAN_RUN.fullmatch(part)), part) for part in re.split(f"({HAN}+)", word) if part]


def han_tsquery(run: str) -> str:
    """PostgreSQL tsquery text finding the Han run `run` (already folded): the
    character, or its pairs as a phrase. Han characters need no quoting."""
    if len(run) == 1:
        return f"'{run}'"
    return " <-> ".join(f"'{run[i : i + 2]}'" for i in range(len(run) - 1))
