"""Plain factory functions: explicit defaults show what a valid object is."""

from articles.models import Argument, Article, Debate, Section, Source


def make_article(**fields) -> Article:
    return Article.objects.create(
        **{"title": "Water", "slug": "water", "status": Article.Status.PUBLISHED, **fields}
    )


def make_section(article: Article, **fields) -> Section:
    position = fields.pop("position", article.sections.count() + 1)
    return Section.objects.create(
        **{"article": article, "heading": f"Part {position}", "position": position, **fields}
    )


def make_source(key: str = "un-water-2023", **fields) -> Source:
    return Source.objects.create(
        **{"key": key, "title": f"Report {key}", "publisher": "United Nations", **fields}
    )


def make_debate(article: Article, **fields) -> Debate:
    return Debate.objects.create(
        **{"article": article, "slug": "dams", "question": "Should dams be built?", **fields}
    )


def make_argument(debate: Debate, **fields) -> Argument:
    return Argument.objects.create(
        **{
            "debate": debate,
            "side": Argument.Side.SUPPORTER,
            "summary": "Dams store water",
            "attributed_to": "World Bank",
            **fields,
        }
    )


def make_big_article(slug: str, sections: int, sources: int, debates: int) -> Article:
    """An article whose every section cites two sources and whose debates argue both sides."""
    keys = [make_source(f"{slug}-s{n}").key for n in range(sources)]
    article = make_article(slug=slug, title=slug.title(), lead=f"Lead [@{keys[0]}].")
    created = [
        make_section(
            article,
            heading=f"Section {n}",
            level=2 + n % 3,
            body=f"Text {n} [@{keys[n % sources]}; @{keys[(n + 1) % sources]}].",
        )
        for n in range(sections)
    ]
    for n in range(debates):
        debate = make_debate(article, slug=f"d{n}", question=f"Q{n}?", section=created[n])
        make_argument(debate, side="supporter", body=f"For [@{keys[n % sources]}].")
        make_argument(debate, side="critic", summary="Against", body="Against [citation needed].")
    return article


def save_revision(article: Article, comment: str = "", user=None, **changes) -> int:
    """Change `article` (and sections given as {anchor: body}) as one reversion revision."""
    import reversion

    from articles.revisions import latest_revision_id

    sections = changes.pop("sections", {})
    with reversion.create_revision():
        for anchor, body in sections.items():
            Section.objects.filter(article=article, anchor=anchor).update(body=body)
        for name, value in changes.items():
            setattr(article, name, value)
        article.save()  # versions the article with all its sections, as they are now
        reversion.set_comment(comment)
        if user:
            reversion.set_user(user)
    return latest_revision_id(article)
