"""Cron expressions evaluated on a time zone's wall clock, with Baton's daylight-saving rules.

Syntax
  * 5 fields, minute precision: ``minute hour day-of-month month day-of-week``.
  * 6 fields, second precision, **seconds first** (as in Quartz, Spring and node-cron):
    ``second minute hour day-of-month month day-of-week``. (croniter's own default for 6 fields
    is a trailing seconds field; Baton passes ``second_at_beginning=True``.)
  * Macros: ``@yearly @annually @monthly @weekly @daily @midnight @hourly``.
  * Within a field: numbers, ``*``, ranges, lists, steps, month and weekday names, and croniter's
    ``L``, ``W`` and ``#``. When both day-of-month and day-of-week are restricted, a day matching
    either fires (classic cron). Not accepted: 7 fields (years), ``@reboot``, and croniter's
    hashed ``H`` / random ``R`` fields (each server process must compute the same times).

Daylight-saving rules. Candidates are computed on the naive local wall clock (croniter never
sees a time zone) and each matching wall time fires at *the first instant the zone's clock shows
that wall time or a later one*. So:
  * a wall time that does not exist (spring forward: 02:30 on the spring day in Europe/Berlin or
    America/New_York) fires once, at the instant the clock jumps (03:00 local); several matches in
    the gap plus a match at 03:00 itself fire once together;
  * a wall time that occurs twice (autumn) fires once, at its first occurrence; hourly and
    minutely crons fire each distinct wall-clock match once, so the repeated hour is not run twice
    (``0 * * * *`` in Berlin fires at 02:00 CEST, then 03:00 CET, two real hours later).
Every instant returned is an aware UTC datetime; naive inputs are taken as UTC (as storage keeps
them)."""

from __future__ import annotations

import functools
import math
import re
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from croniter import CroniterBadCronError, CroniterBadDateError, croniter

from baton.errors import Unprocessable

__all__ = [
    "INVALID_SCHEDULE_EXPRESSION",
    "MACROS",
    "CronExpression",
    "as_utc",
    "first_instant_at_or_after",
    "invalid_schedule",
    "parse_cron",
    "parse_timezone",
]

INVALID_SCHEDULE_EXPRESSION = "INVALID_SCHEDULE_EXPRESSION"
MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
MAX_EXPRESSION_LENGTH = 256
# names in the zone database that follow the server's configuration rather than a place
_SERVER_DEPENDENT_ZONES = frozenset({"localtime", "posixrules"})
_HASHED_OR_RANDOM = re.compile(r"[hr](\(\d+-\d+\))?(/\d+)?")
_SECOND = timedelta(seconds=1)


def invalid_schedule(field: str, message: str) -> Unprocessable:
    return Unprocessable(
        f"Invalid {field}: {message}",
        code=INVALID_SCHEDULE_EXPRESSION,
        errors=[{"field": field, "message": message}],
    )


def as_utc(value: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken as UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


@functools.cache
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones()) - _SERVER_DEPENDENT_ZONES


def parse_timezone(name: object, field: str = "timezone") -> zoneinfo.ZoneInfo:
    """An IANA zone by its exact name, or a 422 saying why not."""
    if not isinstance(name, str) or not name:
        raise invalid_schedule(field, "must be an IANA time zone name such as Europe/Berlin")
    if name not in _known_zones():
        close = [zone for zone in _known_zones() if zone.lower() == name.lower()]
        hint = f"; did you mean {close[0]}?" if close else ""
        raise invalid_schedule(field, f"unknown IANA time zone {name[:64]!r}{hint}")
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise invalid_schedule(field, f"unknown IANA time zone {name[:64]!r}: {exc}") from None


@dataclass(frozen=True)
class CronExpression:
    expression: str  # as given
    fields: str  # macro expanded: 5 or 6 fields
    with_seconds: bool
    zone: tzinfo

    def iter_after(self, after: datetime) -> Iterator[datetime]:
        """Fire instants strictly after `after`, ascending, without duplicates."""
        after = as_utc(after)
        # a wall time before the one `after` shows was first shown no later than `after`
        start = after.astimezone(self.zone).replace(tzinfo=None, fold=0)
        matches = croniter(self.fields, start, ret_type=datetime, second_at_beginning=self.with_seconds)
        previous = None
        while True:
            try:
                wall = matches.get_next()
            except (CroniterBadDateError, OverflowError, ValueError):
                return  # no further match croniter can represent
            instant = first_instant_at_or_after(wall, self.zone)
            # skipped: walls of a repeated hour whose first occurrence is past, and walls that
            # fall in one spring gap together
            if instant <= after or instant == previous:
                continue
            previous = instant
            yield instant

    def iter_at_or_before(self, at: datetime) -> Iterator[datetime]:
        """Fire instants at or before `at`, newest first, without duplicates."""
        at = as_utc(at)
        local = at.astimezone(self.zone)
        wall = local.replace(tzinfo=None, fold=0)
        # in the second pass of a repeated hour, every wall time up to the end of that hour
        # already fired (at its first occurrence): start from the end of the repeat
        wall += local.replace(fold=0).utcoffset() - local.utcoffset()
        start = wall.replace(microsecond=0) + _SECOND  # croniter's get_prev is strictly before
        matches = croniter(self.fields, start, ret_type=datetime, second_at_beginning=self.with_seconds)
        previous = None
        while True:
            try:
                wall = matches.get_prev()
            except (CroniterBadDateError, OverflowError, ValueError):
                return
            instant = first_instant_at_or_after(wall, self.zone)
            if instant > at or instant == previous:
                continue
            previous = instant
            yield instant

    def next_after(self, after: datetime) -> datetime | None:
        return next(self.iter_after(after), None)


def parse_cron(expression: object, zone: tzinfo, field: str = "cron") -> CronExpression:
    """A cron expression (see the module docstring), or a 422 carrying croniter's reason."""
    if not isinstance(expression, str) or not expression.strip():
        raise invalid_schedule(field, "must be a cron expression such as '*/15 * * * *' or '@daily'")
    if len(expression) > MAX_EXPRESSION_LENGTH:
        raise invalid_schedule(field, f"at most {MAX_EXPRESSION_LENGTH} characters")
    text = " ".join(expression.split())
    if text.startswith("@"):
        if text.lower() not in MACROS:
            raise invalid_schedule(field, f"unknown macro {text[:32]!r}; use one of {', '.join(MACROS)}")
        text = MACROS[text.lower()]
    parts = text.split(" ")
    if len(parts) not in (5, 6):
        raise invalid_schedule(
            field,
            f"{len(parts)} fields; use 5 (minute hour day month weekday) or 6 with seconds first "
            "(second minute hour day month weekday)",
        )
    for part in parts:
        if any(_HASHED_OR_RANDOM.fullmatch(item) for item in part.lower().split(",")):
            message = f"hashed (H) and random (R) fields are not supported: {part[:32]!r}"
            raise invalid_schedule(field, message)
    with_seconds = len(parts) == 6
    try:
        # one match must exist: '0 0 30 2 *' is well-formed and never fires
        croniter(text, datetime(2000, 1, 1), ret_type=datetime, second_at_beginning=with_seconds).get_next()
    except CroniterBadDateError:
        raise invalid_schedule(field, "the expression never matches a date") from None
    except (CroniterBadCronError, ValueError, TypeError, KeyError, IndexError) as exc:
        raise invalid_schedule(field, str(exc)[:300] or "not a valid cron expression") from None
    return CronExpression(expression=expression, fields=text, with_seconds=with_seconds, zone=zone)


def first_instant_at_or_after(wall: datetime, zone: tzinfo) -> datetime:
    """The first instant (aware UTC) at which `zone`'s clock shows the naive wall time `wall` or a
    later one: the wall time itself, its first occurrence when repeated, or the end of the jump
    when the clock skips it."""
    shown = []
    for fold in (0, 1):
        instant = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == wall:
            shown.append(instant)
    if shown:
        return min(shown)
    # in a gap: fold=1 reads the wall with the offset after the jump, fold=0 with the one before;
    # the jump lies between the two readings. Transitions fall on whole seconds.
    low, high = sorted(wall.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1))
    low_s, high_s = math.floor(low.timestamp()), math.ceil(high.timestamp())
    while high_s - low_s > 1:
        middle = (low_s + high_s) // 2
        if datetime.fromtimestamp(middle, zone).replace(tzinfo=None) >= wall:
            high_s = middle
        else:
            low_s = middle
    return datetime.fromtimestamp(high_s, UTC)
