"""Read replicas: reads go to a replica; writes, and reads after a write, to the primary.

The router pins the current request (or command) to the primary ("default") as
soon as it routes a write, so a request reads back what it has just written.
`PrimaryPinMiddleware` scopes that pin to one request, pins unsafe methods from
the start (a form reads what it is about to change), and after a write sets a
short-lived cookie that keeps the same browser on the primary while replicas
catch up: an editor sees their own save on the next page.
"""

import random
from contextvars import ContextVar

from django.conf import settings

PIN_COOKIE = "use_primary"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}

_pinned: ContextVar[bool] = ContextVar("pinned_to_primary", default=False)
_wrote: ContextVar[bool] = ContextVar("wrote_to_primary", default=False)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if _pinned.get() or not settings.DATABASE_REPLICAS:
            return "default"
        return random.choice(settings.DATABASE_REPLICAS)  # noqa: S311 - load spreading

    def db_for_write(self, model, **hints):
        _pinned.set(True)
        _wrote.set(True)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class PrimaryPinMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pinned = _pinned.set(request.method not in SAFE_METHODS or PIN_COOKIE in request.COOKIES)
        wrote = _wrote.set(False)
        try:
            response = self.get_response(request)
            if _wrote.get():
                response.set_cookie(
                    PIN_COOKIE,
                    "1",
                    max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                    secure=request.is_secure(),
                    httponly=True,
                    samesite="Lax",
                )
            return response
        finally:
            # A worker thread serves many requests: the next one starts unpinned.
            _pinned.reset(pinned)
            _wrote.reset(wrote)
