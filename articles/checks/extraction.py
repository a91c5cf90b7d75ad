"""The text of a fetched page: trafilatura for HTML, pypdf for PDF."""

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
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return "utf-8"


def pdf_text(body: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(body))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        log.info("unreadable PDF: %s", error)
        return ""


def html_text(body: bytes, content_type: str) -> str:
    try:
        html = body.decode(charset(content_type), "replace")
    except LookupError:  # an unknown charset name
        html = body.decode("utf-8", "replace")
    # The main text first; a page trafilatura finds no article in (a short
    # statement, a list) still has text worth searching for a quotation.
    text = trafilatura.extract(html, favor_recall=True, include_tables=True)
    return text or trafilatura.html2txt(html) or ""


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
