"""import_article --lang, front-matter `lang` and --translation-of."""

import pytest
from django.core.management import CommandError
from django.test import Client
from reversion.models import Version

from articles.models import Article, Source, TranslationMember
from articles.translations import link_translation, translations_of
from tests.factories import make_article
from tests.test_interchange_writer import run

pytestmark = pytest.mark.django_db

PANDOC = """---
title: 宁波港
lang: zh-hans
---

宁波港是一个港口。[@port]

## 历史

很久以前。
"""
BIB = "@misc{port, title = {Port report}, year = {2020}, url = {https://example.org/port}}\n"
PLAIN = "# Rivers\n\nRivers flow.\n\n## Flow\n\nFast water.\n"


@pytest.fixture
def pandoc(tmp_path):
    (tmp_path / "port.bib").write_text(BIB, encoding="utf-8")
    path = tmp_path / "port.md"
    path.write_text(PANDOC, encoding="utf-8")
    return path


@pytest.fixture
def rivers(tmp_path):
    path = tmp_path / "rivers.md"
    path.write_text(PLAIN, encoding="utf-8")
    return path


def test_front_matter_lang_sets_the_language(pandoc):
    output = run(pandoc, "--format", "pandoc", "--bibliography", str(pandoc.parent / "port.bib"),
                 "--slug", "ningbo-port")  # fmt: skip
    assert "Language: zh-Hans" in output
    article = Article.objects.get(slug="ningbo-port")
    assert article.language == "zh-Hans"
    assert Version.objects.get_for_object(article).get().field_dict["language"] == "zh-Hans"


def test_lang_option_overrides_the_front_matter(pandoc):
    run(pandoc, "--format", "pandoc", "--bibliography", str(pandoc.parent / "port.bib"),
        "--slug", "ningbo-port", "--lang", "zh-Hant")  # fmt: skip
    assert Article.objects.get(slug="ningbo-port").language == "zh-Hant"


def test_without_a_language_a_new_article_is_english_and_a_reimport_keeps_its_own(rivers):
    run(rivers)
    assert Article.objects.get(slug="rivers").language == "en"
    run(rivers, "--lang", "fr")
    run(rivers)
    assert Article.objects.get(slug="rivers").language == "fr"


@pytest.mark.parametrize("junk", ["e n", "<script>", "中文", "x", "a" * 40])
def test_a_bad_lang_is_a_command_error_and_nothing_is_written(rivers, junk):
    with pytest.raises(CommandError, match="not a BCP 47 language tag"):
        run(rivers, "--lang", junk)
    assert not Article.objects.exists() and not Source.objects.exists()


def test_translation_of_links_the_import_to_the_article_and_its_translations(rivers):
    english = make_article(title="Rivers (en)", slug="rivers-en")
    hant = make_article(title="河流", slug="heliu", language="zh-Hant")
    link_translation(hant, to=english)
    output = run(rivers, "--slug", "fleuves", "--lang", "fr", "--translation-of", "rivers-en")
    assert "Translation of: /wiki/rivers-en/" in output
    fleuves = Article.objects.get(slug="fleuves")
    assert translations_of(fleuves) == [english, hant]
    assert 'hreflang="fr"' in Client().get("/wiki/heliu/").content.decode()


def test_an_unknown_translation_of_is_a_command_error_and_nothing_is_written(rivers):
    with pytest.raises(CommandError, match="no article has the slug nowhere"):
        run(rivers, "--translation-of", "nowhere")
    assert not Article.objects.exists() and not Source.objects.exists()


def test_a_translation_in_a_language_the_group_has_writes_nothing(rivers):
    make_article(title="Rivers (en)", slug="rivers-en")
    for args in (["--dry-run"], []):
        with pytest.raises(CommandError, match="both in en"):
            run(rivers, "--translation-of", "rivers-en", *args)
    assert list(Article.objects.values_list("slug", flat=True)) == ["rivers-en"]
    assert not TranslationMember.objects.exists()


def test_a_dry_run_reports_the_link_and_writes_nothing(rivers):
    make_article(title="Rivers (en)", slug="rivers-en")
    output = run(rivers, "--lang", "de", "--translation-of", "rivers-en", "--dry-run")
    assert "Language: de" in output and "Translation of: /wiki/rivers-en/" in output
    assert Article.objects.count() == 1 and not TranslationMember.objects.exists()


def test_an_article_is_not_its_own_translation(rivers):
    run(rivers)
    with pytest.raises(CommandError, match="names the article being imported"):
        run(rivers, "--lang", "fr", "--translation-of", "rivers")
    assert Article.objects.get().language == "en"
