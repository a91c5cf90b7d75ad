"""Bare URLs and e-mail addresses as links: linkify-it tuned to GFM's autolink extension.

`rendering.py` gives it to markdown-it (`linkify`), whose links then go through
the same `rel` rule and nh3 scheme check as written links.
"""

import re

from linkify_it import LinkifyIt

# An `@` after a letter, digit or `.+-_`: an e-mail address, not a citation's `[@key`.
ADDRESS_AT = re.compile(r"@(?<=[\w.+-]@)\w")
# Chinese text runs on after a URL: "见 https://www.miit.gov.cn/，其中…".
CJK_PUNCTUATION = re.compile(r"[\u3000-\u303f\uff00-\uff65]")


def without_run_on(link):
    """A linkify-it match cut at the first CJK punctuation mark (its url ends as its raw text)."""
    if cut := CJK_PUNCTUATION.search(link.raw):
        extra = len(link.raw) - cut.start()
        link.raw, link.text, link.url = link.raw[:-extra], link.text[:-extra], link.url[:-extra]
        link.last_index -= extra
    return link


def may_link(text: str) -> bool:
    return (
        "://" in text
        or "www." in text.lower()
        or ("@" in text and ADDRESS_AT.search(text) is not None)
    )


class BareLinks(LinkifyIt):
    """linkify-it as GFM's autolink extension: http(s) URLs, e-mail addresses and
    `www.` hosts, but not bare domain names (`setup.py`, `miit.gov.cn` in prose)."""

    def __init__(self):
        super().__init__()
        self.add("ftp:", None).add("//", None)  # `//host` would escape the `rel` rule

    # linkify-it's own tests run large Unicode patterns over every paragraph; the
    # links kept here all have `://`, `www.` or an address's `@`, found in a blink.
    def pretest(self, text):
        return may_link(text) and super().pretest(text)

    def test(self, text):
        return may_link(text) and super().test(text)

    def match(self, text):
        links = [
            without_run_on(link)
            for link in super().match(text) or ()
            if link.schema or link.raw[:4].lower() == "www."
        ]
        return links or None

    def match_at_start(self, text):
        link = super().match_at_start(text)
        return link and without_run_on(link)
