"""drf-spectacular hooks: the errors every endpoint may answer are in the schema,
so that clients (and the schemathesis tests) know their bodies."""

ERROR = {
    "type": "object",
    "properties": {"status": {"type": "integer"}, "detail": {"type": "string"}},
    "required": ["status", "detail"],
}
ERRORS = {
    "400": "Junk in the query: a bad cursor, page size or search page, a control character.",
    "401": "A token that is not (or no longer) valid.",
    "404": "No such article, revision or section (anonymous clients see published articles only).",
    "429": "Too many requests from this address; Retry-After says when to come back.",
}


# No address on the site may hold a control character (miitwiki.control_characters).
PRINTABLE = "^[^\\x00-\\x1f]*$"


def document_errors(result: dict, generator, request, public) -> dict:
    """POSTPROCESSING_HOOKS: an `Error` component and the error answers of every
    operation; text parameters say they hold no control characters."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["schema"].get("type") == "string":
                    parameter["schema"].setdefault("pattern", PRINTABLE)
            for status, description in ERRORS.items():
                operation["responses"].setdefault(
                    status, {"description": description, "content": reference}
                )
    return result
