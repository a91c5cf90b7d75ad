"""The text of a fetched page: trafilatura for HTML, pypdf for PDF."""

import codecs
import io
import logging

import trafilatura
from pypdf import PdfReader
from pypdf.errors import PyPdfError

log = logging.getLogger(__name__)


def media_type(content_type: str, body: bytes) -> str:
    kind = content_type.split(";", 1)[0].strip().lower()
    if body.startswith(b"%PDF-"):
        return "application/pdf"
    return kind or "application/octet-stream"


def charset(content_type: str) -> str:
    """The declared charset if Python knows it, else UTF-8."""
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            try:
                return codecs.lookup(value.strip().strip('"')).name
            except LookupError:
                break
    return "utf-8"


def pdf_text(body: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        log.info("unreadable PDF: %s", error)
        return ""


def html_text(body: bytes, content_type: str) -> str:
    html = body.decode(charset(content_type), "replace")
    # The main text first (without trafilatura's fallback extractors, which take
    # fifteen times as long); a page it finds no article in (a short statement, a
    # list) still has text worth searching for a quotation.
    text = trafilatura.extract(html, fast=True, favor_recall=True, include_tables=True)
    return text or trafilatura.html2txt(html) or ""


def all_text(content_type: str, body: bytes) -> str:
    """Every visible word of a page, navigation and sidebars included: where a
    quotation is looked for when the main text lacks it."""
    if media_type(content_type, body) in {"text/html", "application/xhtml+xml"}:
        html = body.decode(charset(content_type), "replace")
        return trafilatura.html2txt(html, clean=False) or ""
    return extract_text(content_type, body)


def extract_text(content_type: str, body: bytes) -> str:
    """The readable text of a page, "" when there is none (images, archives)."""
    kind = media_type(content_type, body)
    if kind == "application/pdf":
        return pdf_text(body)
    if kind in {"text/html", "application/xhtml+xml"}:
        return html_text(body, content_type)
    if kind.startswith("text/"):
        return body.decode(charset(content_type), "replace")
    return ""
