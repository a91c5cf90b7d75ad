"""Database ids taken from URLs: only numbers the id columns can hold reach a query.

Ids are 64-bit (BigAutoField). PostgreSQL simply finds no row for a bigger number,
but SQLite's driver cannot even bind one (OverflowError), so a huge id in a URL
was a 500 there instead of a 404.
"""

MAX_ID = 2**63 - 1


def in_id_range(number: int) -> bool:
    return 0 < number <= MAX_ID


class IdConverter:
    """`<id:name>` in a URL pattern: 1 … 2**63-1; any other number does not match (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not in_id_range(number):
            raise ValueError(f"{value} is not a database id")
        return number

    def to_url(self, value: int) -> str:
        return str(value)
