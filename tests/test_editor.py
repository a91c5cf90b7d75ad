"""The editor's preview and upload endpoints: staff only, sanitized, verified."""

import io
import json
import struct
import zlib

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.editing import make_editor
from tests.factories import make_source
from tests.html_safety import unsafe_parts
from tests.test_rendering import HOSTILE

pytestmark = pytest.mark.django_db
PREVIEW, UPLOAD = "/editor/preview/", "/editor/upload/"


def test_preview_renders_citations_numbered_after_the_preceding_texts(editor_client):
    make_source("a")
    make_source("b")
    response = editor_client.post(
        PREVIEW, {"content": "Now [@a] and [@b].", "preceding": ["Lead [@b].", "Body"]}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="#ref-a" id="cite-a-1">[2]</a>' in html
    assert '<a href="#ref-b" id="cite-b-2">[1]</a>' in html
    assert "Lead" not in html


def test_preview_flags_unknown_keys(editor_client):
    html = editor_client.post(PREVIEW, {"content": "x [@nope]"}).content.decode()
    assert 'class="citation-missing"' in html


@pytest.mark.parametrize("payload", HOSTILE)
def test_preview_sanitizes_hostile_input(editor_client, payload):
    response = editor_client.post(PREVIEW, {"content": payload})
    assert response.status_code == 200
    assert unsafe_parts(response.content.decode()) == []


def test_preview_refuses_anonymous_and_non_staff_and_get(client):
    assert client.post(PREVIEW, {"content": "x"}).status_code == 302
    client.force_login(User.objects.create_user("reader", password="pw"))
    assert client.post(PREVIEW, {"content": "x"}).status_code == 302
    client.force_login(make_editor())
    assert client.get(PREVIEW).status_code == 405


def test_preview_refuses_oversized_input(editor_client):
    response = editor_client.post(PREVIEW, {"content": "x" * 1_000_001})
    assert response.status_code == 400


def image_file(kind: str = "PNG", name: str = "photo.png", content_type: str = "image/png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def upload(client, file):
    return client.post(UPLOAD, {"image": file}, headers={"x-requested-with": "XMLHttpRequest"})


@pytest.mark.parametrize(
    ("kind", "content_type", "extension"),
    [
        ("PNG", "image/png", "png"),
        ("JPEG", "image/jpeg", "jpg"),
        ("GIF", "image/gif", "gif"),
        ("WEBP", "image/webp", "webp"),
    ],  # fmt: skip
)
def test_upload_accepts_raster_images_and_names_them_by_content(
    editor_client, tmp_path, kind, content_type, extension
):
    response = upload(editor_client, image_file(kind, "evil.html", content_type))
    assert response.status_code == 200
    code = json.loads(response.content)["image_code"]
    assert code.startswith("![](/media/uploads/") and code.endswith(f".{extension})")
    assert len(list((tmp_path / "uploads").iterdir())) == 1


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("x.svg", b"<svg onload='alert(1)'/>", "image/svg+xml"), "SVG included"),
        (SimpleUploadedFile("x.png", b"<html><script>1</script>", "image/png"), "not a readable"),
        (image_file("PNG", "x.gif", "image/gif"), "PNG, JPEG, GIF or WebP"),
    ],
)
def test_upload_refuses_svg_and_files_that_are_not_what_they_claim(
    editor_client, tmp_path, file, message
):
    response = upload(editor_client, file)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not (tmp_path / "uploads").exists()


def test_upload_refuses_oversized_files(editor_client, settings):
    big = image_file()
    settings.MARKDOWNX_UPLOAD_MAX_SIZE = big.size - 1
    response = upload(editor_client, big)
    assert response.status_code == 400
    assert "size limit" in response.content.decode()


def test_upload_refuses_anonymous_and_non_staff(client):
    assert upload(client, image_file()).status_code == 302
    client.force_login(User.objects.create_user("reader", password="pw"))
    assert upload(client, image_file()).status_code == 302


def png_declaring(width: int, height: int) -> SimpleUploadedFile:
    """A valid 1-bit black PNG: tens of kilobytes on disk, width × height pixels decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    rows = zlib.compressobj(9)
    row = bytes(1 + (width + 7) // 8)  # filter byte, then the row's bits
    data = b"".join(rows.compress(row) for _ in range(height)) + rows.flush()
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    return SimpleUploadedFile("bomb.png", png, content_type="image/png")


def test_upload_refuses_a_decompression_bomb_with_the_size_limit(editor_client, tmp_path):
    bomb = png_declaring(20_000, 20_000)
    assert bomb.size < 100_000
    response = upload(editor_client, bomb)
    assert response.status_code == 400
    assert "more pixels than the size limit of 50,000,000" in response.content.decode()
    assert not (tmp_path / "uploads").exists()


def test_upload_refuses_images_over_the_pixel_limit(editor_client, settings, tmp_path):
    settings.UPLOAD_MAX_PIXELS = 40 * 30 - 1
    response = upload(editor_client, image_file())
    assert response.status_code == 400
    assert "more pixels than the size limit of 1,199" in response.content.decode()
    settings.UPLOAD_MAX_PIXELS = 40 * 30
    assert upload(editor_client, image_file()).status_code == 200


@pytest.mark.parametrize(("level", "tag"), [("1", "h2"), ("3", "h4"), ("", "h3"), ("9", "h3")])
def test_preview_places_headings_below_the_field_heading(editor_client, level, tag):
    text = "# Background\n\nSee www.miit.gov.cn.\n\n```python\nx = 1\n```"
    html = editor_client.post(PREVIEW, {"content": text, "level": level}).content.decode()
    assert f'<{tag} id="preview-background">Background</{tag}>' in html
    assert '<a href="http://www.miit.gov.cn" rel="nofollow noopener noreferrer">' in html
    assert '<code class="language-python">' in html
