"""The read API, /api/v1/ (docs/api.md): Django REST framework with drf-spectacular.

- `serializers.py` says what each answer holds (and so what the schema says);
- `pagination.py` cursors and page sizes, refusing junk with a 400 or 404;
- `views.py` thin views: anonymous readers go through the site's page cache
  (`articles.caching`), editors see drafts too, never cached;
- `errors.py`, `throttling.py`, `schema.py`: JSON error bodies, the anonymous
  rate limit, and the errors every operation may answer, in the schema;
- `urls.py` the routes, the schema and the docs page.

Reads only: editing stays in the admin.
"""
