"""import_article through the writer: one transaction, revisions, merged sources,
dry runs, provenance and bad input."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from articles.interchange.formats import read_article
from articles.interchange.writer import import_parsed
from articles.models import Article, Source
from bench.import_bench import generated_article
from tests.factories import make_source

pytestmark = pytest.mark.django_db

FOOTNOTED = """# Rivers

Rivers flow.[^1] They carry silt.[^n]

## Flow

Fast water.[^2]

[^1]: Smith, “River flow”, 2001. https://example.org/flow
[^2]: “Silt”, 2019. https://doi.org/10.1000/silt
[^n]: Because gravity pulls it.
"""


def run(path, *args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_article", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def rivers(tmp_path):
    path = tmp_path / "rivers.md"
    path.write_text(FOOTNOTED, encoding="utf-8")
    return path


def test_import_writes_article_sections_sources_and_one_revision(rivers):
    output = run(rivers)
    article = Article.objects.get(slug="rivers")
    assert article.status == Article.Status.PUBLISHED
    assert Source.objects.count() == 2
    (version,) = Version.objects.get_for_object(article)
    comment = version.revision.comment
    assert comment.startswith(
        "Imported from rivers.md (markdown): 1 sections, 2 citations, 1 notes"
    )
    assert "2 new sources, 0 reused" in comment
    assert "Sources new: 2" in output


def test_dry_run_prints_the_report_and_writes_nothing(rivers):
    output = run(rivers, "--dry-run")
    assert "Sections: 1\n  Flow (level 2)" in output
    assert "Citations: 2" in output and "Notes: 1" in output
    assert "Dry run: nothing was written." in output
    assert not Article.objects.exists() and not Source.objects.exists()


def test_reimport_is_a_new_revision_with_the_report_as_summary_never_a_second_article(rivers):
    run(rivers)
    rivers.write_text(FOOTNOTED.replace("Fast water.", "Very fast water."), encoding="utf-8")
    output = run(rivers)
    assert Article.objects.count() == 1 and Source.objects.count() == 2
    assert "new revision" in output and "Sources reused: 2" in output
    versions = Version.objects.get_for_object(Article.objects.get()).order_by("-revision_id")
    assert versions.count() == 2
    assert "0 new sources, 2 reused" in versions[0].revision.comment


def test_library_sources_are_reused_by_doi_url_or_title_date_publisher(tmp_path):
    by_doi = make_source("silt", title="Silt", url="https://doi.org/10.1000/SILT")
    by_url = make_source("flow", title="Other", url="http://www.example.org/flow/")
    by_cite = make_source("ann", title="Annals", date="1999", publisher="Press", url="")
    path = tmp_path / "a.md"
    path.write_text(
        "A.[^1] B.[^2]\n\n[^1]: https://example.org/flow?utm_source=x\n"
        "[^2]: doi 10.1000/silt 2019\n",
        encoding="utf-8",
    )
    parsed = read_article(path.read_text(), name="a.md")
    report = import_parsed(parsed, slug="a", title="A", name="a.md")
    assert sorted(report.reused_sources) == ["flow", "silt"]
    assert Source.objects.count() == 3
    lead = Article.objects.get(slug="a").lead
    assert "[@flow]" in lead and "[@silt]" in lead
    wiki = tmp_path / "b.wiki"
    wiki.write_text(
        "X.<ref>{{cite book|title=annals|date=1999|publisher=press}}</ref>\n", encoding="utf-8"
    )
    run(wiki)
    assert "[@ann]" in Article.objects.get(slug="b").lead
    assert Source.objects.filter(pk=by_cite.pk).exists() and Source.objects.count() == 3
    assert by_doi.pk and by_url.pk


def test_a_new_key_that_is_taken_by_another_source_gets_a_suffix(tmp_path):
    make_source("purvis", title="Someone else", url="https://elsewhere.org/")
    path = tmp_path / "p.md"
    path.write_text("X [@purvis].\n", encoding="utf-8")
    bib = tmp_path / "refs.bib"
    bib.write_text("@book{purvis, title={Ionic}, year={2005}}\n", encoding="utf-8")
    run(path, "--bibliography", str(bib), "--slug", "p")
    assert "[@purvis-2]" in Article.objects.get(slug="p").lead
    assert Source.objects.get(key="purvis-2").title == "Ionic"


def test_provenance_is_stored_shown_and_named_in_the_summary(rivers, client):
    run(rivers, "--source-url", "https://example.org/rivers", "--license", "CC BY-SA 4.0",
        "--attribution", "Wikipedia contributors")  # fmt: skip
    article = Article.objects.get()
    assert (article.source_url, article.license) == ("https://example.org/rivers", "CC BY-SA 4.0")
    comment = Version.objects.get_for_object(article).get().revision.comment
    assert "Wikipedia contributors; https://example.org/rivers; CC BY-SA 4.0" in comment
    page = client.get("/wiki/rivers/").content.decode()
    assert 'href="https://example.org/rivers"' in page and "CC BY-SA 4.0" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.md", b"ok\n\xff\xfe caf\xe9", "not UTF-8 text \\(line 2"),
        ("bad.md", b"\x89PNG\r\n\x00\x00", "binary"),
        ("bad.md", b"---\ntitle: [x\n---\nText.\n", "line 2: malformed YAML"),
        ("bad.md", b"Text [@nobody].\n", "the citation key .nobody. is not in the bibliography"),
        ("bad.wiki", b"A.<ref>{{cite web|title=x}}\n", "line 1: a <ref> is never closed"),
        ("bad.md", b"x" * (2 * 1024 * 1024 + 1), "the limit is 2,097,152"),
    ],
    ids=["utf8", "binary", "yaml", "missing-key", "unclosed-ref", "oversize"],
)
def test_bad_input_is_a_command_error_and_writes_nothing(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(path, "--slug", "bad")
    assert not Article.objects.exists() and not Source.objects.exists()


def test_a_broken_bibtex_entry_is_named_and_nothing_written(tmp_path):
    path = tmp_path / "p.md"
    path.write_text("---\ntitle: P\nbibliography: refs.bib\n---\nX [@a].\n", encoding="utf-8")
    (tmp_path / "refs.bib").write_text("@book{a, title={A}}\n\n@book{b, title={B\n", "utf-8")
    with pytest.raises(CommandError, match="refs.bib, line 3: entry @book{b"):
        run(path)
    assert not Source.objects.exists()


def test_a_failure_while_writing_rolls_back_the_sources(tmp_path, monkeypatch):
    from articles.interchange import writer

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(writer, "save_sections", fail)
    path = tmp_path / "r.md"
    path.write_text(FOOTNOTED, encoding="utf-8")
    with pytest.raises(RuntimeError):
        run(path)
    assert not Source.objects.exists() and not Article.objects.exists()


def test_import_queries_are_bounded_per_section_not_per_reference(tmp_path):
    """bench/import_bench.py times 60 sections and 500 references; this counts the
    queries: a few per section, a constant number for all the references."""
    counts = {}
    for references in (60, 480):
        path = tmp_path / f"big{references}.md"
        path.write_text(generated_article(60, references).replace("report/", f"r{references}/"))
        with CaptureQueriesContext(connection) as queries:
            run(path, "--slug", f"big{references}")
        counts[references] = len(queries)
    assert Source.objects.count() == 540
    assert counts[480] - counts[60] <= 5, counts
    assert counts[480] <= 60 * 2 + 20, counts


def test_footnote_markers_never_reach_the_page(rivers, client):
    run(rivers)
    page = client.get("/wiki/rivers/").content.decode()
    assert not re.search(r"\[\^\w+\]", page)
    assert 'class="citation"' in page and 'class="footnote-ref"' in page


def test_a_source_added_meanwhile_is_a_clear_error_not_a_crash(rivers, monkeypatch):
    from articles.interchange import writer

    def taken_meanwhile(parsed):
        planned = real_plan(parsed)
        make_source(planned[0][0].key, title="Added by someone else")
        return planned

    real_plan = writer.plan_sources
    monkeypatch.setattr(writer, "plan_sources", taken_meanwhile)
    with pytest.raises(CommandError, match="another import added one of these sources"):
        run(rivers)
    assert not Article.objects.exists()
