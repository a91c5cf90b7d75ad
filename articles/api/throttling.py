"""The anonymous rate limit: 429 with Retry-After past API_ANONYMOUS_RATE per address."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """AnonRateThrottle reading its rate from the settings on each request (REST
    framework reads its own rates once, at import), so that it can be changed in tests."""

    def get_rate(self) -> str:
        return settings.API_ANONYMOUS_RATE
