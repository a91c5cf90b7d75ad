"""The benchmark's articles, built in its own database (never the developers').

Articles of 6, 60 and 600 sections; with 10, 50, 1,000 and 10,000 revisions;
a 20-section article for admin saves; two 300 KB revisions to diff; a superuser.
Text is seeded made-up prose (`Prose`), so every run measures
the same pages. Large histories are bulk-inserted copies of a real revision.
"""

import json
import random
from dataclasses import dataclass
from datetime import timedelta

import reversion
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from reversion.models import Revision, Version

from articles.models import Argument, Article, Debate, Section, Source

CONSONANTS, VOWELS = "bcdfghjklmnprstvwxz", "aeiou"
SYLLABLES = [c + v for c in CONSONANTS for v in VOWELS]
SECTION_COUNTS = (6, 60, 600)
HISTORY_SIZES = (10, 50, 1_000, 10_000)  # 50: one full page of history
ADMIN_SECTIONS = 20
DIFF_BYTES = 300_000


@dataclass
class Dataset:
    admin_user: str
    admin_password: str
    article_slugs: dict[int, str]  # sections -> slug
    history_slugs: dict[int, str]  # revisions -> slug
    admin_article_id: int
    diff_slug: str
    diff_revisions: tuple[int, int]


class Prose:
    """Seeded made-up prose: words of two to four syllables (a few thousand of them,
    so tokens vary as in real text), sentences of 8 to 25 words, some citations."""

    def __init__(self, seed: int, keys: list[str]):
        self.rng = random.Random(seed)  # noqa: S311 - reproducible text, not secrets
        self.keys = keys
        self.words = [
            "".join(self.rng.choices(SYLLABLES, k=self.rng.randint(2, 4))) for _ in range(3000)
        ]

    def sentence(self) -> str:
        text = " ".join(self.rng.choices(self.words, k=self.rng.randint(8, 25))).capitalize()
        cite = f" [@{self.rng.choice(self.keys)}]" if self.rng.random() < 0.3 else ""
        return f"{text}{cite}."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(3, 6)))

    def body(self, paragraphs: int = 2) -> str:
        return "\n\n".join(self.paragraph() for _ in range(paragraphs))

    def edit(self, body: str) -> str:
        """`body` as an editor leaves it: a tenth of its sentences reworded, one
        sentence added, and now and then a paragraph removed."""
        paragraphs = body.split("\n\n")
        if len(paragraphs) > 2 and self.rng.random() < 0.1:
            del paragraphs[self.rng.randrange(len(paragraphs))]
        for index, text in enumerate(paragraphs):
            sentences = text.split(". ")
            for n, words in enumerate(sentences):
                if self.rng.random() < 0.1:
                    reworded = words.split(" ")
                    reworded[self.rng.randrange(len(reworded))] = self.rng.choice(self.words)
                    sentences[n] = " ".join(reworded)
            paragraphs[index] = ". ".join(sentences)
        paragraphs[self.rng.randrange(len(paragraphs))] += " " + self.sentence()
        return "\n\n".join(paragraphs)


def make_article(slug: str, sections: list[tuple[str, str]], lead: str) -> Article:
    """An article with these (heading, body) sections and one revision holding it."""
    article = Article.objects.create(
        slug=slug, title=slug.replace("-", " ").title(), lead=lead, status="published"
    )
    Section.objects.bulk_create(
        Section(
            article=article, position=n, level=2 + n % 2, heading=heading, anchor=f"s{n}", body=body
        )
        for n, (heading, body) in enumerate(sections, start=1)
    )
    with reversion.create_revision():
        article.save()
        reversion.set_comment("Created for the benchmark")
    return article


def add_debates(article: Article, prose: Prose, count: int) -> None:
    sections = list(article.sections.all()[:count])
    for n, section in enumerate(sections):
        debate = Debate.objects.create(
            article=article, section=section, slug=f"d{n}", position=n, question=f"Question {n}?"
        )
        Argument.objects.bulk_create(
            Argument(
                debate=debate,
                slug=f"{side}-{n}",
                side=side,
                position=0,
                summary=f"{side.title()} view {n}",
                attributed_to="A named expert",
                body=prose.paragraph(),
            )
            for side in ("supporter", "critic")
        )


def sized_article(slug: str, sections: int, prose: Prose) -> Article:
    article = make_article(
        slug,
        [(f"Section {n}", prose.body()) for n in range(1, sections + 1)],
        lead=prose.body(1),
    )
    add_debates(article, prose, count=max(1, sections // 20))
    return article


def bulk_history(article: Article, revisions: int) -> None:
    """Give `article` `revisions` revisions in all: copies of its first, each with
    a slightly longer lead so that sizes and diffs change from one to the next."""
    first = Version.objects.get_for_object(article).get().revision
    versions = list(first.version_set.all())
    start = timezone.now() - timedelta(minutes=revisions)
    copies = Revision.objects.bulk_create(
        Revision(date_created=start + timedelta(minutes=n), comment=f"Edit {n}")
        for n in range(1, revisions)
    )
    rows = []
    for n, revision in enumerate(copies, start=1):
        for version in versions:
            data = version.serialized_data
            if version.content_type.model == "article":
                stored = json.loads(data)
                stored[0]["fields"]["lead"] += f" Edit {n}."
                data = json.dumps(stored)
            rows.append(
                Version(
                    revision=revision,
                    object_id=version.object_id,
                    content_type_id=version.content_type_id,
                    db=version.db,
                    format=version.format,
                    serialized_data=data,
                    object_repr=version.object_repr,
                )
            )
    Version.objects.bulk_create(rows, batch_size=2000)


def diff_pair(prose: Prose) -> tuple[str, tuple[int, int]]:
    """An article saved twice, each about DIFF_BYTES of text, as an editor changes it."""
    bodies = []
    for _ in range(DIFF_BYTES // 10_000):
        body = prose.paragraph()
        while len(body) < 10_000:
            body += "\n\n" + prose.paragraph()
        bodies.append(body)
    article = make_article("diff-300k", [(f"Part {n}", b) for n, b in enumerate(bodies, 1)], "")
    first = Version.objects.get_for_object(article).get().revision_id
    for section in article.sections.all():
        section.body = prose.edit(section.body)
        section.save()
    with reversion.create_revision():
        article.save()
        reversion.set_comment("Second version")
    second = Version.objects.get_for_object(article).order_by("-revision_id")[0].revision_id
    return article.slug, (first, second)


@transaction.atomic
def build(admin_password: str) -> Dataset:
    prose = Prose(7, list(Source.objects.values_list("key", flat=True)[:20]))
    User.objects.create_superuser("bench", password=admin_password)
    articles = {n: sized_article(f"bench-{n}", n, prose).slug for n in SECTION_COUNTS}
    histories = {}
    for size in HISTORY_SIZES:
        article = sized_article(f"history-{size}", 5, prose)
        bulk_history(article, size)
        histories[size] = article.slug
    admin_article = sized_article("admin-20", ADMIN_SECTIONS, prose)
    diff_slug, diff_revisions = diff_pair(prose)
    return Dataset(
        "bench", admin_password, articles, histories, admin_article.pk, diff_slug, diff_revisions
    )
