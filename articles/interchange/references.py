"""References read from free text, readable citation keys, and what makes two
references the same one (pure).

A footnote or `<ref>` without a citation template is only text: it is a reference
when it names something a reader can find (a URL, a DOI, an ISBN or a year), and an
explanatory note otherwise.
"""

import hashlib
import re
import unicodedata
from dataclasses import replace
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from articles.citations import BRACKET_RE, format_item, parse_bracket
from articles.interchange.parsed import ParsedSource
from articles.interchange.plain import escape_markdown

URL = re.compile(r"https?://[^\s<>\"'）)\]|]+", re.IGNORECASE)
DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
ISBN = re.compile(r"\bISBN[:\s]*[\dXx-]{10,17}")
YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
QUOTED_TITLE = re.compile(r"[“\"《「『]([^”\"》」』]{2,300})[”\"》」』]")
ISO_DATE = re.compile(r"(?<!\d)(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?(?!\d)")
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
WORD_DATE = re.compile(
    r"(?:(\d{1,2})\s+)?([A-Za-z]{3,9})\.?\s+(?:(\d{1,2}),?\s+)?(\d{4})", re.IGNORECASE
)
# Query parameters that only say where a click came from.
TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|ref_src|spm|from)$", re.I)
KEY_LIMIT = 60


def looks_like_reference(text: str) -> bool:
    return bool(URL.search(text) or DOI.search(text) or ISBN.search(text) or YEAR.search(text))


def normal_date(text: str) -> str:
    """YYYY, YYYY-MM or YYYY-MM-DD from the usual spellings, or "" when unreadable."""
    text = (text or "").strip()
    if match := ISO_DATE.search(text):
        year, month, day = match[1], int(match[2]), int(match[3] or 0)
        if 1 <= month <= 12 and 0 <= day <= 31:
            return f"{year}-{month:02d}" + (f"-{day:02d}" if day else "")
    if match := WORD_DATE.search(text):
        month = MONTHS.get(match[2].lower())
        day = int(match[1] or match[3] or 0)
        if month and 0 <= day <= 31:
            return f"{match[4]}-{month:02d}" + (f"-{day:02d}" if day else "")
    if match := YEAR.search(text):
        return match[1]
    return ""


def full_date(text: str) -> str:
    """A whole YYYY-MM-DD date (an access date must have a day), or ""."""
    date = normal_date(text)
    return date if len(date) == 10 else ""


def source_from_text(text: str) -> ParsedSource:
    """Title, URL, DOI and date as far as free text says them."""
    text = " ".join(text.split())
    source = ParsedSource(key="")
    if link := MARKDOWN_LINK.search(text):
        source.title, source.url = link[1].strip(), link[2]
    elif url := URL.search(text):
        source.url = url.group().rstrip(".,;。，")
    if doi := DOI.search(text):
        source.doi = doi[1].rstrip(".,;")
    if not source.title:
        quoted = QUOTED_TITLE.search(text)
        rest = URL.sub("", MARKDOWN_LINK.sub(r"\1", text)).strip(" .,;:-—<>")
        source.title = quoted[1].strip() if quoted else rest
    source.title = source.title[:300] or source.url[:300] or "Untitled"
    source.date = normal_date(URL.sub("", text))
    if source.title != text and len(text) <= 1000:
        source.extra = text
    return source


def markdown_url(url: str) -> str:
    """An http(s) URL as a markdown link target, or "" for any other scheme."""
    if not url.lower().startswith(("http://", "https://")):
        return ""
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def formatted_reference(source: ParsedSource) -> str:
    """A source written out as the page's reference list shows one (authors and
    date, linked title, publisher, details, archived copy, access date), as escaped
    markdown: for a reference that is listed rather than cited ("Further reading")."""
    parts = []
    if source.authors:
        parts.append(escape_markdown(source.authors) + (f" ({source.date})" if source.date else ""))
    title = escape_markdown(source.title or source.url)
    url = markdown_url(source.url)
    parts.append(f"[{title}]({url})" if url else title)
    parts += [escape_markdown(text) for text in (source.publisher, source.extra) if text]
    if source.date and not source.authors:
        parts.append(source.date)
    if archive := markdown_url(source.archive_url):
        parts.append(f"[Archived copy]({archive})")
    if source.accessed:
        accessed = date.fromisoformat(source.accessed)
        parts.append(f"Accessed {accessed.day} {accessed:%B %Y}")
    return " ".join(f"{part.rstrip('.')}." for part in parts)


def normal_url(url: str) -> str:
    """The URL as compared: lower-case host, no scheme, `www.`, default port, trailing
    slash, fragment or tracking parameters."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip().lower()
    host = (parts.hostname or "").lower().removeprefix("www.")
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    query = urlencode(sorted(p for p in parse_qsl(parts.query, True) if not TRACKING.match(p[0])))
    return urlunsplit(("", host, parts.path.rstrip("/"), query, ""))


def identities(source) -> list[tuple]:
    """What makes `source` the same as another (a ParsedSource or a Source row)."""
    found = []
    doi = getattr(source, "doi", "") or ""
    url = source.url or ""
    if url.lower().startswith(("https://doi.org/", "http://dx.doi.org/", "https://dx.doi.org/")):
        doi = doi or url.split("doi.org/", 1)[1]
    if doi:
        found.append(("doi", doi.lower()))
    if url:
        found.append(("url", normal_url(url)))
    if source.title and source.date and source.publisher:
        found.append(("cite", source.title.casefold(), source.date, source.publisher.casefold()))
    return found


def ascii_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+", text.lower())


STOPWORDS = {"the", "a", "an", "of", "and", "in", "on", "for", "to", "www", "com", "org"}
# Second levels under a country's domain (npc.gov.cn, bbc.co.uk): the site is the label
# before them, or every Chinese government source would be keyed `gov`.
SECOND_LEVELS = {"gov", "com", "edu", "org", "net", "ac", "co", "or", "ne", "go", "mil"}


def site_label(url: str) -> str:
    """The label that names a URL's site: `npc` for www.npc.gov.cn, `163` for news.163.com."""
    labels = (urlsplit(url).hostname or "").removeprefix("www.").split(".")
    if len(labels) >= 3 and labels[-2] in SECOND_LEVELS and len(labels[-1]) == 2:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else labels[0]


def make_key(source: ParsedSource) -> str:
    """A readable, stable citation key: who or where (author, site or title word), the
    year, and a short hash of what identifies the source, so that a Chinese title
    still gives a key like `nownews-2002-3f9a1c`."""
    label = site_label(source.url) if source.url else ""
    author = ascii_words(source.authors.split(",")[0])[-1:]
    words = [w for w in ascii_words(source.publisher) if w not in STOPWORDS][:2]
    words = author or words or [w for w in ascii_words(label) if w not in STOPWORDS][:1]
    words = words or [w for w in ascii_words(source.title) if w not in STOPWORDS][:2]
    seed = "|".join(str(part) for part in identities(source)) or source.title
    digest = hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()[:6]
    parts = [*(words or ["source"]), source.date[:4], digest]
    return "-".join(part for part in parts if part)[:KEY_LIMIT]


def clean_key(key: str) -> str:
    """A bibliography key as a wiki key: letters, digits, `-` and `_` only."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-")[:KEY_LIMIT]
    return cleaned if re.match(r"^[A-Za-z0-9_]", cleaned) else ""


def rename_citations(text: str, renamed: dict[str, str]) -> str:
    """`text` with cited keys renamed all at once (`a`→`b` and `b`→`c` do not chain)."""
    if not renamed:
        return text

    def rename(match: re.Match) -> str:
        items = parse_bracket(match.group())
        if items is None:
            return match.group()
        parts = [format_item(replace(item, key=renamed.get(item.key, item.key))) for item in items]
        return "[" + "; ".join(parts) + "]"

    return BRACKET_RE.sub(rename, text)
