"""UTC time helpers: every timestamp is stored naive-UTC and rendered as ISO 8601 with `Z`."""

from __future__ import annotations

from datetime import UTC, datetime

import uuid6

__all__ = ["isoformat", "new_id", "parse_input_timestamp", "parse_timestamp", "utcnow"]


def utcnow() -> datetime:
    """Naive UTC, microsecond precision: what every storage dialect keeps losslessly."""
    return datetime.now(UTC).replace(tzinfo=None)


def isoformat(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds") + "Z"


def parse_timestamp(value: str) -> datetime:
    """RFC 3339 (offset required) to naive UTC; ValueError for anything else."""
    if not isinstance(value, str):
        raise ValueError("timestamp must be a string")
    parsed = datetime.fromisoformat(value.upper())  # RFC 3339 allows a lower-case t and z
    if parsed.tzinfo is None:
        raise ValueError("timestamp needs a UTC offset or Z")
    try:
        return parsed.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+05:00 lies before year 1 in UTC
        raise ValueError(f"timestamp out of range: {value}") from None


def parse_input_timestamp(value: str, field: str) -> datetime:
    """parse_timestamp for client input: a 400 naming `field` for what the spec's date-time format
    lets through but no datetime can hold (e.g. 9999-12-31T23:59:59-01:00 lies past year 9999)."""
    from baton.errors import InvalidInput

    try:
        return parse_timestamp(value)
    except ValueError as exc:
        raise InvalidInput(str(exc), errors=[{"field": field, "message": str(exc)}]) from None


def new_id() -> str:
    """A time-ordered UUIDv7: ids sort by creation, which keyset paging relies on."""
    return str(uuid6.uuid7())
