"""What pages say about themselves to machines: schema.org JSON-LD.

Article pages describe an `Article` (headline, language, last change, licence,
publisher, and each cited source), debate pages the question and its arguments.
Built as plain dicts here; the template tag `json_ld` writes them out escaped.
"""

from articles.models import Article

# Until articles carry their own language (issue 16), every article is English.
DEFAULT_LANGUAGE = "en"


def language_of(article: Article) -> str:
    return getattr(article, "language", "") or DEFAULT_LANGUAGE
