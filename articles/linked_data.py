"""What pages say about themselves to machines: schema.org JSON-LD.

An article page describes an `Article` (headline, language, last change,
licence, the wiki as publisher, and each cited source as a `citation`); a debate
page a `Question` whose suggested answers are its arguments, each with its side,
who holds it, what it rebuts and the sources it cites. Built as plain dicts,
written out by `rendering.render_json_ld`.
"""

from django.conf import settings
from django.utils.safestring import SafeString

from articles.debates import DebatePage
from articles.languages import DEFAULT_LANGUAGE
from articles.models import Article, Debate, Source, argument_anchor
from articles.rendering import RenderedArticle, render_json_ld

SCHEMA_ORG = "https://schema.org"


def language_of(article: Article) -> str:
    """The article's language (BCP 47); an old revision stored before articles had
    one reads as the default."""
    return article.language or DEFAULT_LANGUAGE


def license_of(article: Article) -> str:
    """An imported text's own licence, else the wiki's (CONTENT_LICENSE)."""
    return article.license or settings.CONTENT_LICENSE


def without_empty(data: dict) -> dict:
    return {name: value for name, value in data.items() if value not in ("", None, [])}


def organization(name: str, url: str = "") -> dict:
    return without_empty({"@type": "Organization", "name": name, "url": url})


def cited_work(source: Source) -> dict:
    return without_empty(
        {
            "@type": "CreativeWork",
            "name": source.title,
            "url": source.url,
            "author": source.authors,
            "publisher": organization(source.publisher) if source.publisher else None,
            "datePublished": source.date,
        }
    )


def about_article(article: Article, rendered: RenderedArticle, site: str) -> dict:
    """An `Article`; `site` is the wiki's origin (`https://host`), for absolute URLs."""
    page = site + article.get_absolute_url()
    return without_empty(
        {
            "@context": SCHEMA_ORG,
            "@type": "Article",
            "@id": page,
            "url": page,
            "headline": article.title,
            "inLanguage": language_of(article),
            "dateCreated": article.created_at,
            "dateModified": article.updated_at,
            "license": license_of(article),
            "isBasedOn": article.source_url or None,
            "creditText": article.attribution or None,
            "publisher": organization(settings.SITE_NAME, f"{site}/"),
            "citation": [cited_work(reference.source) for reference in rendered.references],
        }
    )


def about_debate(debate: Debate, board: DebatePage, site: str) -> dict:
    """A `Question` with the arguments as `suggestedAnswer`s; a rebuttal's
    `parentItem` is the argument it answers."""
    page = site + debate.get_absolute_url()

    def argument_id(argument) -> str:
        return f"{page}#{argument_anchor(debate.slug, argument.slug)}"

    article = debate.article
    answers = [
        without_empty(
            {
                "@type": "Answer",
                "@id": argument_id(card.argument),
                "name": card.argument.summary,
                "text": card.argument.body,
                "author": {"name": card.argument.attributed_to},
                "additionalProperty": {
                    "@type": "PropertyValue",
                    "name": "side",
                    "value": card.argument.side,
                },
                "parentItem": {"@id": argument_id(card.answers)} if card.answers else None,
                "citation": [cited_work(reference.source) for reference in card.references],
            }
        )
        for card in board.cards
    ]
    return without_empty(
        {
            "@context": SCHEMA_ORG,
            "@type": "Question",
            "@id": page,
            "url": page,
            "name": debate.question,
            "text": debate.summary,
            "inLanguage": language_of(article),
            "isPartOf": {
                "@type": "Article",
                "@id": site + article.get_absolute_url(),
                "headline": article.title,
            },
            "publisher": organization(settings.SITE_NAME, f"{site}/"),
            "suggestedAnswer": answers,
        }
    )


def article_script(article: Article, rendered: RenderedArticle, site: str) -> SafeString:
    return render_json_ld(about_article(article, rendered, site))


def debate_script(debate: Debate, board: DebatePage, site: str) -> SafeString:
    return render_json_ld(about_debate(debate, board, site))


def origin(request) -> str:
    """The wiki's origin as this request reached it: what absolute URLs start with."""
    return f"{request.scheme}://{request.get_host()}"
