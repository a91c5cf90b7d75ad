"""Imported articles pass the hostile-markup tests of edited ones: every attack of
tests/data/xss_payloads.json, put everywhere an imported file can put text (text,
headings, footnotes, reference titles, publishers, quotes, links, listed references,
front matter), in
each format, leaves the article page and its source pages with nothing
script-capable beyond the same import of plain words. A file the hostile text
breaks may also be refused (a CommandError), never a crash."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Source
from tests.html_safety import HOSTILE, added_unsafe_parts
from tests.world import PLAIN

pytestmark = pytest.mark.django_db


def wikitext(text: str) -> str:
    return (
        f"'''{text}''' starts.<ref name=a>{{{{cite news|title={text}|work={text}"
        f"|url=https://example.org/news|quote={text}|author={text}}}}}</ref> Again.<ref name=a/>"
        f"{{{{efn|{text}}}}}\n== {text} ==\n* {text}\n"
        f"[[{text}|{text}]] [https://example.org {text}]\n"
        f"== Further reading ==\n* {{{{cite book|title={text}|publisher={text}|author={text}"
        f"|url=https://example.org/{text}|archive-url=https://example.org/{text}}}}} {text}\n"
    )


def markdown(text: str) -> str:
    return (
        f"# {text}\n\n{text}[^1][^n]\n\n## {text}\n\n{text} [{text}](https://example.org)\n\n"
        f"[^1]: “{text}”, {text}, 2001. https://example.org/ref\n[^n]: {text}\n"
    )


def pandoc(text: str) -> str:
    return f"---\ntitle: {json.dumps(text)}\n---\n\n# {text}\n\n{text} [@k, {text}].\n"


BIB = "@misc{{k, title={{{0}}}, publisher={{{0}}}, url={{https://example.org/k}}}}\n"
FORMATS = {"wiki": wikitext, "md": markdown, "pandoc.md": pandoc}


def import_and_fetch(client, tmp_path, kind: str, text: str) -> dict[str, str] | None:
    """The article page and each source page, or None when the file was refused."""
    path = tmp_path / f"a.{kind}"
    path.write_text(FORMATS[kind](text), encoding="utf-8")
    args = [str(path), "--slug", "imported", "--title", "Imported"]
    if kind == "pandoc.md":
        (tmp_path / "refs.bib").write_text(BIB.format(text), encoding="utf-8")
        args += ["--bibliography", str(tmp_path / "refs.bib")]
    try:
        call_command("import_article", *args, stdout=StringIO())
    except CommandError:
        return None
    pages = {"article": client.get("/wiki/imported/").content.decode()}
    for n, key in enumerate(Source.objects.order_by("key").values_list("key", flat=True)):
        pages[f"source {n}"] = client.get(f"/sources/{key}/").content.decode()
    Article.objects.all().delete()
    Source.objects.all().delete()
    return pages


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_in_an_imported_file_leaves_its_pages_harmless(
    client, tmp_path, kind, payload
):
    plain = import_and_fetch(client, tmp_path, kind, PLAIN)
    assert plain is not None and "article" in plain
    pages = import_and_fetch(client, tmp_path, kind, payload)
    if pages is None:
        return  # refused with a clear error: nothing written, nothing shown
    problems = {
        name: found
        for name, page in pages.items()
        if (found := added_unsafe_parts(page, plain.get(name, plain["article"])))
    }
    assert problems == {}


def preview_page(client, kind: str, text: str) -> str:
    data = {"text": FORMATS[kind](text), "format": "auto", "name": f"a.{kind}", "title": text}
    if kind == "pandoc.md":
        data["bibliography_text"], data["bibliography_name"] = BIB.format(text), "refs.bib"
    response = client.post("/admin/articles/article/import/", data)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_in_the_import_preview_is_harmless(editor_client, kind, payload):
    plain = preview_page(editor_client, kind, PLAIN)
    assert "<h2>Preview</h2>" in plain  # the plain file was read and rendered
    assert added_unsafe_parts(preview_page(editor_client, kind, payload), plain) == []
    assert not Article.objects.exists()
