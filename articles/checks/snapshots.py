"""Snapshots in Django's default storage (local files, or S3 through
django-storages): each distinct answer once, as a WARC file of the exchange and
as its extracted text, named by the content's hash."""

import hashlib
import io
from datetime import UTC, datetime

from django.core.files.base import ContentFile
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from articles.checks.extraction import extract_text
from articles.checks.fetching import Fetched
from articles.checks.models import Snapshot


def warc_bytes(fetched: Fetched) -> bytes:
    """The response as one gzipped WARC response record."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    headers = StatusAndHeaders(f"{fetched.status} -", fetched.headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(
        fetched.final_url,
        "response",
        payload=io.BytesIO(fetched.body),
        http_headers=headers,
        warc_headers_dict={"WARC-Date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")},
    )
    writer.write_record(record)
    return buffer.getvalue()


def take_snapshot(fetched: Fetched, known: dict[str, Snapshot]) -> tuple[Snapshot, str]:
    """The snapshot of this answer and its text: one of `known` (by content hash)
    or else made, stored and added to `known`."""
    existing = known.get(fetched.content_hash)
    if existing is not None:
        return existing, read_text(existing) if fetched.text is None else fetched.text
    text = fetched.text
    if text is None:
        text = extract_text(fetched.content_type, fetched.body)
    name = fetched.content_hash
    snapshot = Snapshot(
        content_hash=name,
        url=fetched.final_url[:2000],
        content_type=fetched.content_type[:200],
        size=len(fetched.body),
        text_hash=hashlib.sha256(text.encode()).hexdigest(),
    )
    snapshot.warc.save(f"{name}.warc.gz", ContentFile(warc_bytes(fetched)), save=False)
    snapshot.text.save(f"{name}.txt", ContentFile(text.encode()), save=False)
    snapshot.save()
    known[snapshot.content_hash] = snapshot
    return snapshot, text


def read_text(snapshot: Snapshot | None) -> str:
    if snapshot is None or not snapshot.text:
        return ""
    with snapshot.text.open("rb") as file:
        return file.read().decode("utf-8", "replace")
