"""Opaque keyset cursors: base64url JSON of the last row's sort key, bound to the sort order."""

from __future__ import annotations

import base64
from typing import Any, Protocol, TypeVar

import orjson

from baton.errors import InvalidInput

__all__ = [
    "decode_cursor",
    "encode_cursor",
    "invalid_cursor",
    "newest_first_page",
    "position_of_newest_first",
]

NEWEST_FIRST = "-id"  # lists of records with UUIDv7 ids: the id orders them in time


def invalid_cursor() -> InvalidInput:
    return InvalidInput(
        "The cursor is not valid for this list; start again without it",
        code="INVALID_CURSOR",
        errors=[{"field": "query.cursor", "message": "Unknown or mismatched cursor"}],
    )


def encode_cursor(sort: str, position: list[Any]) -> str:
    raw = orjson.dumps({"s": sort, "p": position})
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str, sort: str) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = orjson.loads(raw)
        position = data["p"]
        if not isinstance(position, list) or data["s"] != sort:
            raise ValueError
    except (ValueError, KeyError, TypeError):
        raise invalid_cursor() from None
    return position


class _HasId(Protocol):
    id: str


Record = TypeVar("Record", bound=_HasId)


def position_of_newest_first(cursor: str | None) -> str | None:
    """The id a newest-first cursor continues after (None without a cursor)."""
    if not cursor:
        return None
    position = decode_cursor(cursor, NEWEST_FIRST)
    if len(position) != 1 or not isinstance(position[0], str) or len(position[0]) != 36:
        raise invalid_cursor()
    return position[0]


def newest_first_page(found: list[Record], limit: int) -> tuple[list[Record], str | None]:
    """A page from `limit + 1` records fetched newest first, and the cursor to the next one."""
    if len(found) <= limit:
        return found, None
    found = found[:limit]
    return found, encode_cursor(NEWEST_FIRST, [found[-1].id])
