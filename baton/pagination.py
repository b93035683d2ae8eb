"""Opaque keyset cursors: base64url JSON of the last row's sort key, bound to the sort order."""

from __future__ import annotations

import base64
from typing import Any

import orjson

from baton.errors import InvalidInput

__all__ = ["decode_cursor", "encode_cursor", "invalid_cursor"]


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
