"""Content languages as BCP 47 tags (pure): checked, written in their usual case,
with a direction and a name.

An article's language is what its text is written in (`en`, `zh-Hans`,
`zh-Hant`, …), not the language of the interface around it. Tags are checked
for form (RFC 5646's syntax: language, script, region, variants, extensions,
private use), not against the IANA registry, so a rare language is never
refused; they are stored as BCP 47 writes them (`zh-hans-cn` becomes
`zh-Hans-CN`) so that one language is one value.
"""

import re

from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

DEFAULT_LANGUAGE = "en"
# RFC 5646 says tags of up to 35 characters must be supported.
MAX_TAG_LENGTH = 35

# RFC 5646's syntax, written so that JSON Schema (ECMA) reads it too: the API
# publishes it as the pattern of its `language` parameter.
ALNUM = "[A-Za-z0-9]"
TAG_PATTERN = (
    "^([A-Za-z]{2,3}(-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"  # language, extended language
    "(-[A-Za-z]{4})?"  # script
    "(-([A-Za-z]{2}|[0-9]{3}))?"  # region
    f"(-({ALNUM}{{5,8}}|[0-9]{ALNUM}{{3}}))*"  # variants
    f"(-[A-WY-Za-wy-z0-9](-{ALNUM}{{2,8}})+)*"  # extensions
    f"(-[Xx](-{ALNUM}{{1,8}})+)?$"  # private use
)
TAG = re.compile(TAG_PATTERN)

# Written right to left: these scripts, and these languages when no script is given.
RTL_SCRIPTS = {"arab", "hebr", "thaa", "syrc", "nkoo", "adlm", "rohg", "mand", "samr"}
RTL_LANGUAGES = {"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb", "iw", "ji"}

# Names Django's LANG_INFO lacks.
OTHER_NAMES = {"zh": {"name_local": "中文"}, "yue": {"name_local": "粵語"}}

# Offered to editors; any other well-formed tag is accepted too.
COMMON_LANGUAGES = ["en", "zh-Hans", "zh-Hant", "ja", "ko", "fr", "de", "es", "ru", "ar"]


def normalize_tag(value: str) -> str:
    """A tag in its usual case: language lower, Script title, REGION upper; the
    text as given (trimmed) when it is no tag at all, for the validator to refuse."""
    value = (value or "").strip().replace("_", "-")
    if not TAG.fullmatch(value):
        return value
    parts = value.lower().split("-")
    for index, part in enumerate(parts[1:], start=1):
        if len(parts[index - 1]) == 1:  # after a singleton (extension, x): as it is
            break
        if len(part) == 4 and part.isalpha():
            parts[index] = part.title()
        elif len(part) == 2:
            parts[index] = part.upper()
    return "-".join(parts)


def validate_language_tag(value: str) -> None:
    if len(value) > MAX_TAG_LENGTH or not TAG.fullmatch(value):
        raise ValidationError(
            gettext("“%(value)s” is not a BCP 47 language tag (examples: en, zh-Hans, pt-BR)."),
            code="invalid",
            params={"value": value[: MAX_TAG_LENGTH + 5]},
        )


def is_language_tag(value: str) -> bool:
    try:
        validate_language_tag(value)
    except ValidationError:
        return False
    return True


def text_direction(tag: str) -> str:
    """ "rtl" or "ltr", for the `dir` attribute of text in this language."""
    if not TAG.fullmatch(tag or ""):
        return "ltr"
    language, *subtags = tag.lower().split("-")
    for subtag in subtags:
        if len(subtag) == 1:  # an extension or private use: no script after it
            break
        if len(subtag) == 4 and subtag.isalpha():
            return "rtl" if subtag in RTL_SCRIPTS else "ltr"
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def language_name(tag: str) -> str:
    """The language's name in itself (简体中文, English), as a language switcher
    shows it; the tag itself when Django does not know the language."""
    parts = (tag or "").lower().split("-")
    for end in range(len(parts), 0, -1):  # zh-hant-tw, then zh-hant, then zh
        candidate = "-".join(parts[:end])
        info = LANG_INFO.get(candidate) or OTHER_NAMES.get(candidate)
        if info and "name_local" in info:
            return info["name_local"]
    return tag
