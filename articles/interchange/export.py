"""An article as Pandoc markdown with its bibliography (pure): `SLUG.md` with YAML
front matter and `[@key]` citations, `SLUG.bib` and `SLUG.json` (CSL JSON), which
`import_article` reads back into the same sections, text and sources."""

import json

from articles.interchange.cite import bibtex, csl_json


def pandoc_markdown(state) -> str:
    """`state` is an ArticleState (article, sections)."""
    article = state.article
    header = {"title": article.title, "slug": article.slug, "bibliography": f"{article.slug}.bib"}
    if article.source_url:
        header["source-url"] = article.source_url
    if article.license:
        header["license"] = article.license
    # JSON is YAML: every value quoted, whatever characters a title holds.
    front = "\n".join(
        f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in header.items()
    )
    parts = [f"---\n{front}\n---", article.lead]
    for section in state.sections:
        parts += [f"{'#' * section.level} {section.heading}", section.body]
    return "\n\n".join(part.strip() for part in parts if part.strip()) + "\n"


def pandoc_files(state, sources: list) -> dict[str, str]:
    """File name → text for the three files of a Pandoc export."""
    slug = state.article.slug
    return {
        f"{slug}.md": pandoc_markdown(state),
        f"{slug}.bib": "\n".join(bibtex(source) for source in sources),
        f"{slug}.json": csl_json(sources) + "\n",
    }
