"""`baton events`: follow a server's event stream (Server-Sent Events) and print a line per event.

Reconnects by itself after a dropped connection or a slow-consumer cut, resuming from the last
event id it printed (`Last-Event-ID`), so no event is lost or printed twice; an expired position
(410) or refused credentials end it with a message. Only the HTTP API is needed."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from typing import Any, TextIO

import httpx

__all__ = ["EventStream", "format_event", "run_events"]

RECONNECT_SECONDS = 1.0


class StreamError(Exception):
    """The stream cannot go on (refused credentials, an expired position, bad filters)."""


class EventStream:
    """The events of `GET /api/v1/events/stream`, across reconnects."""

    def __init__(
        self,
        server: str,
        headers: dict[str, str],
        params: dict[str, Any],
        after: int | None = None,
        max_seconds: int | None = None,
    ) -> None:
        timeout = httpx.Timeout(10, read=60)  # a keep-alive comment comes every 15 s
        self.client = httpx.Client(base_url=server.rstrip("/"), headers=headers, timeout=timeout)
        self.params = params
        self.last_id = after
        self.end_at = time.monotonic() + max_seconds if max_seconds else None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        while self.end_at is None or time.monotonic() < self.end_at:
            try:
                yield from self._connection()
            except (httpx.TransportError, httpx.RemoteProtocolError):
                pass  # dropped: resume from the last id
            if self.end_at is None or time.monotonic() < self.end_at:
                time.sleep(RECONNECT_SECONDS)

    def _connection(self) -> Iterator[dict[str, Any]]:
        params = dict(self.params)
        if self.end_at is not None:
            params["max_seconds"] = max(1, int(self.end_at - time.monotonic()))
        headers = {"Last-Event-ID": str(self.last_id)} if self.last_id is not None else {}
        with self.client.stream("GET", "/api/v1/events/stream", params=params, headers=headers) as response:
            if response.status_code != 200:
                response.read()
                raise StreamError(_problem(response))
            fields: dict[str, str] = {}
            for line in response.iter_lines():
                if line:
                    if not line.startswith(":"):
                        name, _, value = line.partition(":")
                        fields[name] = value.removeprefix(" ")
                    continue
                if fields.get("event") == "stream.closed":
                    closed = json.loads(fields.get("data", "{}"))
                    if closed.get("code") not in {"SLOW_CONSUMER", "MAX_SECONDS"}:
                        raise StreamError(f"{closed.get('code')}: {closed.get('detail')}")
                elif "data" in fields and "id" in fields:
                    self.last_id = int(fields["id"])
                    yield json.loads(fields["data"])
                fields = {}

    def close(self) -> None:
        self.client.close()


def _problem(response: httpx.Response) -> str:
    try:
        body = response.json()
        return f"{response.status_code} {body.get('code')}: {body.get('detail')}"
    except ValueError:
        return f"{response.status_code} {response.reason_phrase}"


def format_event(event: dict[str, Any]) -> str:
    """One line: id, time, type, subject and what matters of the data."""
    data = event.get("data") or {}
    subject = f"{event['subject_type']}:{event['subject_id']}"
    details = []
    if event["subject_type"] == "job":
        details.append(f"{data.get('name')!r} {data.get('previous_status') or '-'}->{data.get('status')}")
        shown = ("attempt", "exit_code", "worker")
        details += [f"{key}={data[key]}" for key in shown if data.get(key) not in (None, 0)]
    elif event["type"] == "queue.depth_changed":
        details.append(f"pending={data.get('pending')} running={data.get('running')}")
    elif event["subject_type"] == "worker":
        details.append(f"{data.get('name')!r} state={data.get('state')}")
    if event.get("queue"):
        details.append(f"queue={event['queue']}")
    return f"{event['id']:>8} {event['at']} {event['type']:<22} {subject} {' '.join(details)}".rstrip()


def _credentials(api_key: str | None, token: str | None) -> dict[str, str]:
    api_key = api_key or os.environ.get("BATON_API_KEY")
    token = token or os.environ.get("BATON_TOKEN")
    if api_key:
        return {"X-API-Key": api_key}
    if token:
        return {"Authorization": f"Bearer {token}"}
    raise StreamError("give credentials: BATON_API_KEY or BATON_TOKEN (or --api-key / --token)")


def run_events(
    server: str,
    *,
    types: list[str],
    job_id: str | None,
    queue: str | None,
    worker_id: str | None,
    after: int | None,
    as_json: bool,
    max_seconds: int | None,
    api_key: str | None = None,
    token: str | None = None,
    out: TextIO = sys.stdout,
) -> int:
    params: dict[str, Any] = {"type": ",".join(types)} if types else {}
    params |= {k: v for k, v in (("job_id", job_id), ("queue", queue), ("worker_id", worker_id)) if v}
    try:
        stream = EventStream(server, _credentials(api_key, token), params, after, max_seconds)
        try:
            for event in stream:
                out.write((json.dumps(event) if as_json else format_event(event)) + "\n")
                out.flush()
        finally:
            stream.close()
    except StreamError as exc:
        print(f"baton events: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
