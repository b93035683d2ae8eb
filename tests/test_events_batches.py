"""The WebSocket's batched delivery (`"batch": true`): the same events as one message per event,
in id order, with no gap and no duplicate across replay and live, in `events` messages the
AsyncAPI document describes; and BATON_WS_COMPRESSION, on for this module's server."""

from __future__ import annotations

import json
import time

import httpx
from websockets.sync.client import connect

from tests.conftest import LiveServer
from tests.test_events import EVENTS, JOBS, asyncapi_validators, head, ws_url

SERVER_SETTINGS = {"ws_compression": True}


def listed_ids(client: httpx.Client, after: int, type_: str) -> list[int]:
    ids, page = [], {"has_more": True, "last_event_id": after}
    while page["has_more"]:
        page = client.get(EVENTS, params={"after": page["last_event_id"], "type": type_, "limit": 100}).json()
        ids += [e["id"] for e in page["data"]]
    return ids


def read_events(ws, validators, want: int, timeout: float = 30) -> tuple[list[dict], int]:
    """(events, how many messages brought them) until `want` events arrived."""
    events, messages = [], 0
    deadline = time.monotonic() + timeout
    while len(events) < want:
        message = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
        if message["type"] in {"ping", "subscribed"}:
            continue
        assert message["type"] == "events", message  # never a single `event` when batched
        validators["EventsMessage"].validate(message)
        assert message["subscription"] == "b"
        events += message["events"]
        messages += 1
    return events, messages


def test_batched_subscription_replays_and_follows_in_order(server: LiveServer, admin: httpx.Client) -> None:
    validators = asyncapi_validators()
    start = head(admin)
    batch = [{"command": ["true"], "run_at": "2999-01-01T00:00:00Z"}] * 250
    assert admin.post(f"{JOBS}/batch", json={"jobs": batch}).status_code == 201
    with connect(ws_url(server), max_size=2**22) as ws:
        assert "permessage-deflate" in ws.response.headers["Sec-WebSocket-Extensions"]
        ws.send(json.dumps({"type": "auth", "token": server.token("admin")}))
        assert json.loads(ws.recv(timeout=10))["type"] == "welcome"
        subscribe = {
            "type": "subscribe",
            "id": "b",
            "after": start,
            "batch": True,
            "filters": {"type": ["job.created"]},
        }
        validators["Subscribe"].validate(subscribe)
        ws.send(json.dumps(subscribe))
        replayed, messages = read_events(ws, validators, 250)
        # lists of at most 200, not a frame per event: two from the log, maybe one more for
        # events the hub had not yet read when the subscription began
        assert len(replayed) == 250 and messages <= 3
        live_batch = [{"command": ["true"], "run_at": "2999-01-01T00:00:00Z"}] * 40
        assert admin.post(f"{JOBS}/batch", json={"jobs": live_batch}).status_code == 201
        live, _ = read_events(ws, validators, 40)
    got = [e["id"] for e in replayed + live]
    assert got == listed_ids(admin, start, "job.created")  # every one, once, in order
    assert {e["type"] for e in replayed + live} == {"job.created"}


def test_batch_must_be_a_boolean(server: LiveServer) -> None:
    with connect(ws_url(server)) as ws:
        ws.send(json.dumps({"type": "auth", "token": server.token("admin")}))
        assert json.loads(ws.recv(timeout=10))["type"] == "welcome"
        ws.send(json.dumps({"type": "subscribe", "id": "b", "batch": "yes"}))
        error = json.loads(ws.recv(timeout=10))
        assert error["type"] == "error" and error["code"] == "BAD_MESSAGE" and "batch" in error["detail"]
        # nothing was subscribed: the same id can be used now
        ws.send(json.dumps({"type": "subscribe", "id": "b", "batch": True}))
        assert json.loads(ws.recv(timeout=10))["type"] == "subscribed"
