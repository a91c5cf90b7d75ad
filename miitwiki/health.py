"""The health check for load balancers and operators: /healthz.

200 while the primary answers, whatever the replicas do: reads fall back to the
primary, so a degraded replica must not take the site out of a load balancer.
`/healthz?replicas` adds each replica's state as JSON, to see a degraded one.
"""

from django.db import DatabaseError, connections
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from miitwiki.replica_monitor import replica_report


@never_cache
def healthz(request):
    """200 when the primary answers, 503 when it does not."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    if "replicas" in request.GET:
        return JsonResponse({"primary": "ok", "replicas": replica_report()})
    return HttpResponse("ok\n", content_type="text/plain")
