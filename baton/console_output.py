"""How the jobs CLI prints: aligned tables, colours and a progress line on a terminal; tab-separated
text without colour when piped (NO_COLOR is honoured); JSON with --json."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import Any

__all__ = ["Output"]

COLOURS = {"completed": "32", "failed": "31", "timed_out": "31", "cancelled": "33", "running": "36"}


class Output:
    def __init__(self, as_json: bool = False) -> None:
        self.as_json = as_json
        self.tty = sys.stdout.isatty()
        self.colour = self.tty and not os.environ.get("NO_COLOR")
        self._progress = False

    def _paint(self, text: str, status: str | None = None) -> str:
        code = COLOURS.get(status or text)
        return f"\033[{code}m{text}\033[0m" if self.colour and code else text

    def table(self, rows: list[dict[str, Any]], columns: Sequence[str]) -> None:
        if self.as_json:
            print(json.dumps(rows, indent=2))
            return
        cells = [[_cell(row.get(column)) for column in columns] for row in rows]
        if not self.tty:  # for cut, awk and friends: no header, tabs
            for line in cells:
                print("\t".join(line))
            return
        widths = [max([len(column), *(len(line[i]) for line in cells)]) for i, column in enumerate(columns)]
        print("  ".join(column.upper().ljust(width) for column, width in zip(columns, widths, strict=True)))
        for line in cells:
            print(
                "  ".join(
                    self._paint(text.ljust(width), text) for text, width in zip(line, widths, strict=True)
                )
            )

    def record(self, record: dict[str, Any]) -> None:
        if self.as_json or not self.tty:
            print(json.dumps(record, indent=2 if self.tty else None))
            return
        width = max(len(key) for key in record)
        for key, value in record.items():
            text = _cell(value)
            print(f"{key.ljust(width)}  {self._paint(text, text if key == 'status' else None)}")

    def status_line(self, job_id: str, status: str) -> None:
        print(f"{job_id} {self._paint(status)}")

    def progress(self, text: str) -> None:
        """A line that rewrites itself on a terminal; nothing when piped (stdout stays clean)."""
        if self.tty and not self.as_json:
            print(f"\r\033[K{text}", end="", file=sys.stderr, flush=True)
            self._progress = True

    def done_progress(self) -> None:
        if self._progress:
            print("\r\033[K", end="", file=sys.stderr, flush=True)

    def note(self, text: str) -> None:
        print(text, file=sys.stderr)

    def error(self, text: str) -> None:
        prefix = "\033[31merror\033[0m" if sys.stderr.isatty() and not os.environ.get("NO_COLOR") else "error"
        print(f"baton: {prefix}: {text}", file=sys.stderr)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict | list):
        return (
            json.dumps(value)
            if not isinstance(value, dict)
            else ",".join(f"{k}={v}" for k, v in value.items())
        )
    return str(value)
