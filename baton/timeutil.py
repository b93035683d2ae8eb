"""UTC time helpers: every timestamp is stored naive-UTC and rendered as ISO 8601 with `Z`."""

from __future__ import annotations

from datetime import UTC, datetime

import uuid6

__all__ = ["isoformat", "new_id", "parse_timestamp", "utcnow"]


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


def new_id() -> str:
    """A time-ordered UUIDv7: ids sort by creation, which keyset paging relies on."""
    return str(uuid6.uuid7())
