"""`make bench`: the site on gunicorn, PostgreSQL and Redis, measured against a baseline."""
