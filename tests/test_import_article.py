from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from reversion.models import Version

from articles.citations import CitationState
from articles.interchange.plain import escape_markdown, parse_article
from articles.models import Article
from articles.rendering import render_markdown

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "miit-seed.txt"  # the seed, verbatim
SEED_HEADINGS = [
    "History and mandate",
    "Economic and industrial policy",
    "Regulation, standards, and control",
    "Global role and impact",
]


def seed_lines() -> list[str]:
    return [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_seed_text_is_split_into_title_lead_and_sections():
    parsed = parse_article(SEED.read_text(encoding="utf-8"))
    assert parsed.title == "Miit"
    assert [s.heading for s in parsed.sections] == SEED_HEADINGS
    assert {s.level for s in parsed.sections} == {2}
    assert parsed.lead.split("\n\n") == seed_lines()[1:3]
    assert len(parsed.sections[2].paragraphs) == 2


def test_markdown_headings_become_sections_of_their_level():
    text = (
        "# Rivers\n\nIntro.\n\n## Flow\n\nWater *moves*.\n\n"
        "### Speed\n\nFast.\n\n```\n## not a heading\n```\n"
    )
    parsed = parse_article(text)
    assert parsed.title == "Rivers"
    assert parsed.lead == "Intro."
    assert [(s.heading, s.level) for s in parsed.sections] == [("Flow", 2), ("Speed", 3)]
    assert "## not a heading" in parsed.sections[1].body


@pytest.mark.parametrize(
    "text",
    [
        "Price: 5 * 3 = 15 [sic] <b>x</b> a_b_c",
        "1. not a list",
        "# not a heading",
        "- dash",
        "| pipe |",
    ],
)
def test_plain_text_is_escaped_so_it_renders_as_written(text):
    html = str(render_markdown(escape_markdown(text), CitationState({})))
    import re
    from html import unescape

    assert unescape(re.sub(r"<[^>]+>", "", html)).strip() == text


@pytest.mark.django_db
def test_import_article_command_on_seed_file(tmp_path):
    call_command("import_article", str(SEED), verbosity=0)
    article = Article.objects.get(slug="miit")
    assert article.title == "Miit"
    assert article.status == Article.Status.PUBLISHED
    assert list(article.sections.values_list("heading", flat=True)) == SEED_HEADINGS
    assert (
        article.sections.get(heading="Regulation, standards, and control").body.count("\n\n") == 1
    )


@pytest.mark.django_db
def test_reimport_makes_a_new_revision_not_a_duplicate(tmp_path):
    path = tmp_path / "rivers.md"
    path.write_text("# Rivers\n\nIntro.\n\n## Flow\n\nOld.\n\n## Gone\n\nBye.\n", encoding="utf-8")
    call_command("import_article", str(path), verbosity=0)
    first_id = Article.objects.get(slug="rivers").sections.get(anchor="flow").pk
    path.write_text("# Rivers\n\nIntro.\n\n## Flow\n\nNew.\n", encoding="utf-8")
    call_command("import_article", str(path), verbosity=0)
    article = Article.objects.get(slug="rivers")
    assert Article.objects.count() == 1
    flow = article.sections.get()
    assert (flow.pk, flow.body) == (first_id, "New.")
    assert Version.objects.get_for_object(article).count() == 2


@pytest.mark.django_db
def test_non_ascii_text_survives(tmp_path):
    path = tmp_path / "people.txt"
    text = "工业和信息化部 (MIIT) is led by a minister; 李 is a name.\nÜber alles — “quoted”.\n"
    path.write_text(text, encoding="utf-8")
    call_command("import_article", str(path), "--slug", "miit-zh", "--title", "工信部", verbosity=0)
    article = Article.objects.get(slug="miit-zh")
    assert article.title == "工信部"
    assert "工业和信息化部" in article.lead and "“quoted”" in article.lead


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"  \n\n ", "is empty"),
        (b"\x89PNG\r\n\x00\x00", "binary"),
        (b"\xff\xfe caf\xe9", "not UTF-8"),
    ],
)
def test_bad_files_fail_with_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_article", str(path), "--slug", "bad")
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_missing_file_fails_cleanly(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_article", str(tmp_path / "nope.txt"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"x" * (2 * 1024 * 1024 + 1), "the limit is 2,097,152"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not UTF-8"),
        (b"PK\x03\x04\x14\x00\x06\x00", "binary"),
        (("word " * 50_000).encode(), "big.md: The lead is 249,999 characters long; the limit"),
        (
            ("# T\n\n## " + "h" * 201 + "\n\nText.\n").encode(),
            "The heading “h+…” .* the limit is 200",
        ),
        (("# " + "t" * 201 + "\n\nText.\n").encode(), "The title .* the limit is 200"),
    ],
    ids=["huge", "pdf", "zip", "long-lead", "long-heading", "long-title"],
)
def test_files_too_big_for_the_wiki_fail_cleanly_and_import_nothing(tmp_path, content, message):
    path = tmp_path / "big.md"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_article", str(path), "--slug", "big")
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_a_directory_is_not_a_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_article", str(tmp_path))


@pytest.mark.django_db
def test_a_long_title_gets_a_slug_that_fits(tmp_path):
    path = tmp_path / "long.md"
    path.write_text("# " + "word " * 39 + "\n\nText.\n", encoding="utf-8")
    call_command("import_article", str(path), verbosity=0)
    assert len(Article.objects.get().slug) <= 120


@pytest.mark.django_db
def test_headings_left_inside_imported_sections_render_as_sub_headings(client, tmp_path):
    path = tmp_path / "rivers.md"
    path.write_text(
        "# Rivers\n\nIntro.\n\n## Flow\n\nOrigins\n=======\n\nOld.\n\n###### Detail\n\nMore.\n",
        encoding="utf-8",
    )
    call_command("import_article", str(path), verbosity=0)
    assert "Origins\n=======" in Article.objects.get(slug="rivers").sections.get().body
    html = client.get("/wiki/rivers/").content.decode()
    assert '<h3 id="flow-origins">Origins</h3>' in html
    assert '<h6 id="flow-detail">Detail</h6>' in html
    assert '<a href="#flow-origins"><span class="toc-number">1.1</span> Origins</a>' in html
