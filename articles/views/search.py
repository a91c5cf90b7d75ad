"""Site search: one page of ranked results with highlighted snippets."""

from django.shortcuts import render

from articles.search.results import search


def search_view(request):
    results = search(request.GET.get("q"), request.GET.get("page"))
    return render(request, "articles/search.html", {"search": results})
