"""Citation downloads: a library source, or an article as a web page, as BibTeX
(`cite.bib`), RIS (`cite.ris`) or CSL JSON (`cite.json`)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from articles.interchange.cite import FORMATS, entry, page_citable
from articles.models import Article, Source

SITE = "MiitWiki"


def download(text: str, name: str, extension: str) -> HttpResponse:
    response = HttpResponse(text, content_type=FORMATS[extension])
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


def source_cite(request, key, extension):
    if extension not in FORMATS:
        raise Http404("Citations come as cite.bib, cite.ris or cite.json.")
    source = get_object_or_404(Source, key=key)
    return download(entry(source, extension), source.key, extension)


def article_cite(request, slug, extension):
    if extension not in FORMATS:
        raise Http404("Citations come as cite.bib, cite.ris or cite.json.")
    article = get_object_or_404(Article.objects.published(), slug=slug)
    citable = page_citable(
        slug=article.slug,
        title=article.title,
        url=request.build_absolute_uri(article.get_absolute_url()),
        updated=article.updated_at.date(),
        site=SITE,
    )
    return download(entry(citable, extension), article.slug, extension)
