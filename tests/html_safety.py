"""Parsers that list everything script-capable left in HTML or an Atom feed.

`unsafe_parts(html)` lists every element that can run script or load active
content, every event-handler attribute, every inline style and
every URL attribute whose scheme is not http, https or mailto. Whole pages have
forms, stylesheets and static scripts of their own: `added_unsafe_parts(page,
baseline)` lists only what a page holds beyond the same page built with
harmless text. `HOSTILE` is the corpus of attacks in tests/data/xss_payloads.json.
"""

import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

HOSTILE: list[str] = json.loads(
    (Path(__file__).parent / "data" / "xss_payloads.json").read_text(encoding="utf-8")
)

SCRIPT_CAPABLE = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "svg", "math",
    "form", "input", "button", "textarea", "select", "link", "meta", "base", "applet",
    "template", "portal",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "srcset", "imagesrcset", "poster",
    "data", "background", "cite", "ping", "codebase", "longdesc", "lowsrc", "dynsrc",
    "manifest", "icon", "usemap", "archive",
}  # fmt: skip
ALWAYS_UNSAFE_ATTRIBUTES = {"srcdoc", "http-equiv"}
SAFE_SCHEMES = {"http", "https", "mailto"}
# Browsers drop tabs and newlines anywhere in a URL and controls and spaces at its
# ends; dropping all of them everywhere can only find more schemes, never fewer.
IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f]")
# As the URL standard reads a scheme: anything else before a colon makes a relative URL.
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see in `url` (already entity-decoded), or None."""
    match = SCHEME.match(IGNORED_IN_URLS.sub("", url).lower())
    return match[1] if match else None


def attribute_urls(name: str, value: str) -> list[str]:
    if name in {"srcset", "imagesrcset"}:
        return [part.split()[0] for part in value.split(",") if part.split()]
    return [value]


class UnsafeFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SCRIPT_CAPABLE:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or name in ALWAYS_UNSAFE_ATTRIBUTES:
                self.found.append(f"{tag}[{name}]")
            if name == "style":  # the site uses none, and its CSP would block them
                self.found.append(f"{tag}[style={value}]")
            if name in URL_ATTRIBUTES:
                for url in attribute_urls(name, value):
                    scheme = url_scheme(url)
                    if scheme is not None and scheme not in SAFE_SCHEMES:
                        self.found.append(f"{tag}[{name}={value}]")


def unsafe_parts(html: str) -> list[str]:
    finder = UnsafeFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def added_unsafe_parts(page: str, baseline: str) -> list[str]:
    """What `page` holds that is script-capable beyond what `baseline` holds."""
    return list((Counter(unsafe_parts(page)) - Counter(unsafe_parts(baseline))).elements())


ATOM = "{http://www.w3.org/2005/Atom}"


def unsafe_feed_parts(xml: bytes) -> list[str]:
    """Elements foreign to Atom, and unsafe parts of the HTML a feed reader would render."""
    found = []
    for element in ElementTree.fromstring(xml).iter():  # noqa: S314 - our own feed
        if not element.tag.startswith(ATOM):
            found.append(f"foreign element {element.tag}")
        if element.get("type") == "html":
            found += unsafe_parts(element.text or "")
    return found
