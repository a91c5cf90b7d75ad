"""Every error of the API is a JSON body of one shape: {"status": …, "detail": "…"}."""

from rest_framework.response import Response
from rest_framework.views import exception_handler


def error_message(data) -> str:
    """DRF's error data (a detail, a list, or messages by field) as one sentence."""
    if isinstance(data, dict):
        if "detail" in data:
            return str(data["detail"])
        return "; ".join(f"{field}: {error_message(value)}" for field, value in data.items())
    if isinstance(data, list):
        return " ".join(error_message(item) for item in data)
    return str(data)


def json_error(exc, context) -> Response | None:
    """REST framework's EXCEPTION_HANDLER: its own handling (404, 400, 429 with
    Retry-After, …), with the body reshaped; other exceptions stay 500s."""
    response = exception_handler(exc, context)
    if response is not None:
        response.data = {"status": response.status_code, "detail": error_message(response.data)}
    return response
