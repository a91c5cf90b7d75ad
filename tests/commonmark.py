"""Helpers of tests/test_commonmark_spec.py: the spec's HTML normalisation and the
table of deliberate differences read from docs/editing.md."""

import re
from html.parser import HTMLParser
from pathlib import Path

EDITING_GUIDE = Path(__file__).resolve().parent.parent / "docs" / "editing.md"
TABLE_TITLE = "## Where the site differs from CommonMark"
TABLE_ROW = re.compile(r"^\| `([a-z-]+)` \| [^|]+ \| ([\d ,–]+) \|$")
# The block-level tags of commonmark-spec's test/normalize.py: whitespace around them is dropped.
BLOCK_TAGS = {
    "article", "header", "aside", "hgroup", "blockquote", "hr", "iframe", "body", "li", "map",
    "button", "object", "canvas", "ol", "caption", "output", "col", "p", "colgroup", "pre",
    "dd", "progress", "dir", "section", "dl", "table", "td", "dt", "tbody", "embed", "textarea",
    "fieldset", "tfoot", "figcaption", "th", "figure", "thead", "footer", "tr", "form", "ul",
    "h1", "h2", "h3", "h4", "h5", "h6", "video", "script", "style",
}  # fmt: skip
ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


class Normalizer(HTMLParser):
    """commonmark-spec's test/normalize.py: whitespace collapsed outside `<pre>` and
    dropped around block tags, attributes sorted, `<br/>` as `<br>`. One addition:
    character references are read as the characters they stand for and every
    character is escaped alike, because nh3 writes `"` where the spec writes
    `&quot;` and `&nbsp;` where it writes U+00A0 (the same HTML)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.output, self.last, self.last_tag, self.in_pre = "", "starttag", "", False

    def handle_data(self, data):
        after_tag = self.last in ("starttag", "endtag")
        if after_tag and self.last_tag == "br":
            data = data.lstrip("\n")
        if not self.in_pre:
            data = re.sub(r"\s+", " ", data)
            if after_tag and self.last_tag in BLOCK_TAGS:
                data = data.lstrip() if self.last == "starttag" else data.strip()
        self.output += data.translate(ESCAPES)
        self.last = "data"

    def handle_starttag(self, tag, attrs):
        self.in_pre |= tag == "pre"
        if tag in BLOCK_TAGS:
            self.output = self.output.rstrip()
        attributes = "".join(
            f" {name}" if value is None else f' {name}="{value.translate(ESCAPES)}"'
            for name, value in sorted(attrs)
        )
        self.output += f"<{tag}{attributes}>"
        self.last_tag, self.last = tag, "starttag"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.last = "endtag"

    def handle_endtag(self, tag):
        if tag == "pre":
            self.in_pre = False
        elif tag in BLOCK_TAGS:
            self.output = self.output.rstrip()
        self.output += f"</{tag}>"
        self.last_tag, self.last = tag, "endtag"

    def handle_comment(self, data):
        self.output += f"<!--{data}-->"
        self.last = "comment"

    def handle_decl(self, data):
        self.output += f"<!{data}>"
        self.last = "decl"

    unknown_decl = handle_decl

    def handle_pi(self, data):
        self.output += f"<?{data}>"
        self.last = "pi"


def normalize_html(html: str) -> str:
    parser = Normalizer()
    # As the spec's script: CDATA passes verbatim, the rest is fed tag by tag.
    for chunk in re.finditer(r"<!\[CDATA\[.*?\]\]>|<[^>]*>|[^<]+", html, re.DOTALL):
        if chunk[0].startswith("<![CDATA["):
            parser.output += chunk[0]
        else:
            parser.feed(chunk[0])
    parser.close()
    return parser.output


def example_numbers(cell: str) -> list[int]:
    """`1, 4–6` as [1, 4, 5, 6]."""
    numbers = []
    for part in cell.split(","):
        first, _, last = part.strip().partition("–")
        numbers.extend(range(int(first), int(last or first) + 1))
    return numbers


def deliberate_differences() -> dict[int, set[str]]:
    """The kinds of difference the guide's table allows, by spec example number."""
    text = EDITING_GUIDE.read_text(encoding="utf-8")
    section = text.split(TABLE_TITLE, 1)[1].split("\n## ", 1)[0]
    kinds: dict[int, set[str]] = {}
    for line in section.splitlines():
        if row := TABLE_ROW.match(line):
            for number in example_numbers(row[2]):
                kinds.setdefault(number, set()).add(row[1])
    return kinds
