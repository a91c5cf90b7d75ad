"""Helpers for tests of source checks: pages with text, a PDF, statuses."""

from articles.checks.models import SourceStatus


def html_page(text: str) -> str:
    return (
        "<!doctype html><html><head><title>Notice</title></head><body>"
        "<nav>Home | About | Contact</nav>"
        f"<article><h1>Notice</h1><p>{text}</p>"
        "<p>This notice is published for the information of the public and the industry."
        " Further details follow in the implementing rules.</p></article>"
        "<footer>Copyright</footer></body></html>"
    )


def pdf_document(text: str) -> bytes:
    """A one-page PDF showing `text` (ASCII) in Helvetica, built by hand."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def status_of(source) -> SourceStatus:
    return SourceStatus.objects.get(source=source)
