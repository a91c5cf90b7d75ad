"""The source library and one page per source with everything that cites it.

Both count citations in every published text, so they are cached and revalidated
by a stamp of the whole wiki (`wiki_stamp`): any save of an article or a source
changes it.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from articles.caching import cached_html, conditional_page, recent_page, wiki_stamp
from articles.models import Source
from articles.sources import SORTS, cited_by, source_library

LIBRARY_PAGE_SIZE = 100


def source_list(request):
    return recent_page(request, lambda: checked_source_list(request))


def checked_source_list(request):
    stamp = wiki_stamp().extend("sources", request.GET.urlencode())

    def library_html():
        library = source_library(
            publisher=request.GET.get("publisher", ""),
            year=request.GET.get("year", ""),
            sort=request.GET.get("sort", "title"),
        )
        page = Paginator(library.entries, LIBRARY_PAGE_SIZE).get_page(request.GET.get("page"))
        context = {"library": library, "page": page, "sorts": SORTS}
        return render_to_string("articles/includes/source_library.html", context)

    def respond():
        # Only the plain library goes in the shared cache: filters are free text.
        html = library_html() if request.GET else cached_html("sources", stamp, library_html)
        return render(request, "articles/source_list.html", {"library_html": html})

    return conditional_page(request, stamp, respond)


def source_detail(request, key):
    return recent_page(request, lambda: checked_source(request, key))


def checked_source(request, key):
    stamp = wiki_stamp().extend("source", key)

    def respond():
        source = get_object_or_404(Source, key=key)

        def cited_by_html():
            citing = cited_by(source.key)
            times_cited = sum(c.count for c in citing)
            context = {"citing": citing, "times_cited": times_cited}
            return render_to_string("articles/includes/cited_by.html", context)

        context = {"source": source, "cited_by": cached_html("cited-by", stamp, cited_by_html)}
        return render(request, "articles/source_detail.html", context)

    return conditional_page(request, stamp, respond)
