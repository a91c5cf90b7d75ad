"""Full-text search over articles, sections, debate arguments and sources.

- `han.py` finds Han script in text, folds simplified and traditional Chinese
  and full-width letters together, and cuts Han runs for PostgreSQL (pure text);
- `query.py` reads what the reader typed into terms (pure text code);
- `searched.py` says what is searched, with which weights and text configuration;
- `postgres.py` is PostgreSQL's full-text search (stored vectors, ranking,
  headlines, and the DDL that installs them); `fallback.py` a simple word search
  for other databases. Both give `search()` to the searched models' querysets
  (`Section.objects.published().search("floods")`, in `articles.models`);
- `snippets.py` finds and marks terms in Python: the simple search's snippets,
  and those of Chinese searches on PostgreSQL;
- `results.py` makes one page of results across every kind, with highlighted
  snippets: what /search/ shows.

This package sits below the models and never imports them, except `results.py`.
"""

from types import ModuleType

from django.db import connections

from articles.search import fallback, postgres


def engine(using: str) -> ModuleType:
    """The search engine of the database `using`: PostgreSQL's own, or the simple one."""
    return postgres if connections[using].vendor == "postgresql" else fallback
