"""The event log through HTTP: the list and its long poll, filters, visibility, retention (410),
Server-Sent Events with resume, and the WebSocket (tickets, first-message auth, Origin,
subscriptions, resume, revocation, slow consumers)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from tests.conftest import LiveServer, assert_problem, wait_for, wait_for_status

EVENTS = "/api/v1/events"
JOBS = "/api/v1/jobs"
# the stream buffer is small here so a slow consumer is easy to make
SERVER_SETTINGS = {"event_stream_buffer": 20}


def submit(client: httpx.Client, command: list[str] | None = None, **fields: object) -> dict:
    response = client.post(JOBS, json={"command": command or ["true"], **fields})
    assert response.status_code == 201, response.text
    return response.json()


def head(client: httpx.Client) -> int:
    """The newest event id now (a list without `after` reads to the end)."""
    page = client.get(EVENTS, params={"limit": 100}).json()
    while page["has_more"]:
        page = client.get(EVENTS, params={"after": page["last_event_id"], "limit": 100}).json()
    return page["last_event_id"]


def events_of(client: httpx.Client, job_id: str, after: int = 0) -> list[dict]:
    response = client.get(EVENTS, params={"job_id": job_id, "after": after, "limit": 100})
    assert response.status_code == 200, response.text
    return response.json()["data"]


def test_a_job_leaves_one_event_per_change_in_order(admin: httpx.Client) -> None:
    start = head(admin)
    job = submit(admin, ["sh", "-c", "exit 3"], max_retries=1, retry_backoff_seconds=0)
    wait_for_status(admin, job["id"], {"failed"})
    found = events_of(admin, job["id"], start)
    assert [e["type"] for e in found] == [
        "job.created",
        "job.running",
        "job.pending",  # retried at once (no backoff)
        "job.running",
        "job.failed",
    ]
    ids = [e["id"] for e in found]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    first, *_, last = found
    assert first["data"]["status"] == "pending" and first["data"]["previous_status"] is None
    assert last["data"]["previous_status"] == "running" and last["data"]["exit_code"] == 3
    assert last["data"]["attempt"] == 2 and last["subject_type"] == "job"
    assert last["subject_id"] == job["id"] and last["queue"] == "default"
    assert last["worker_id"].startswith("local:")


def test_cancel_retry_patch_and_delete_are_events(admin: httpx.Client) -> None:
    start = head(admin)
    job = submit(admin, run_at="2999-01-01T00:00:00Z")
    assert admin.patch(f"{JOBS}/{job['id']}", json={"priority": 9}).status_code == 200
    assert admin.post(f"{JOBS}/{job['id']}/cancel").status_code == 200
    assert admin.post(f"{JOBS}/{job['id']}/cancel").status_code == 409  # no event for a refused move
    assert admin.delete(f"{JOBS}/{job['id']}").status_code == 204
    assert [e["type"] for e in events_of(admin, job["id"], start)] == [
        "job.created",
        "job.updated",
        "job.cancelled",
        "job.deleted",
    ]


def test_filters_by_type_prefix_queue_and_job(admin: httpx.Client) -> None:
    start = head(admin)
    assert admin.post("/api/v1/queues", json={"name": "evq"}).status_code == 201
    job = submit(admin, queue="evq")
    wait_for_status(admin, job["id"], {"completed"})
    by_queue = admin.get(EVENTS, params={"after": start, "queue": "evq"}).json()["data"]
    assert {"queue.created", "job.created", "job.completed"} <= {e["type"] for e in by_queue}
    only_jobs = admin.get(EVENTS, params={"after": start, "type": "job."}).json()["data"]
    assert only_jobs and all(e["type"].startswith("job.") for e in only_jobs)
    exact = admin.get(EVENTS, params={"after": start, "type": ["job.completed", "queue.created"]}).json()
    assert {e["type"] for e in exact["data"]} == {"job.completed", "queue.created"}
    assert exact["last_event_id"] >= max(e["id"] for e in exact["data"])


def test_queue_depth_is_announced_coalesced(admin: httpx.Client) -> None:
    start = head(admin)
    assert admin.post("/api/v1/queues", json={"name": "depthq", "paused": True}).status_code == 201
    for _ in range(5):
        submit(admin, queue="depthq")

    def depth() -> dict | None:
        found = admin.get(EVENTS, params={"after": start, "type": "queue.depth_changed", "queue": "depthq"})
        data = [e["data"] for e in found.json()["data"]]
        return data[-1] if data and data[-1]["pending"] == 5 else None

    assert wait_for(depth, timeout=10) == {"queue": "depthq", "pending": 5, "running": 0}
    announced = admin.get(EVENTS, params={"after": start, "type": "queue.depth_changed", "queue": "depthq"})
    times = [e["at"] for e in announced.json()["data"]]
    assert len(times) <= 5  # at most one a second, not one per job
    assert admin.post("/api/v1/queues/depthq/resume").status_code == 200


def test_long_poll_waits_for_the_next_event(admin: httpx.Client) -> None:
    start = head(admin)

    def later() -> None:
        time.sleep(0.5)
        submit(admin)

    threading.Thread(target=later).start()
    began = time.monotonic()
    page = admin.get(EVENTS, params={"after": start, "wait_seconds": 10, "type": "job.created"}).json()
    assert 0.3 < time.monotonic() - began < 8
    assert [e["type"] for e in page["data"]] == ["job.created"]
    empty = admin.get(EVENTS, params={"after": page["last_event_id"], "wait_seconds": 1, "type": "nothing."})
    assert empty.json()["data"] == []


def test_members_see_only_their_own_jobs_and_no_workers(server: LiveServer, admin: httpx.Client) -> None:
    start = head(admin)
    with server.client(server.token("member")) as member, server.client(server.token("viewer")) as viewer:
        mine = submit(member)
        theirs = submit(admin)
        robot = admin.post("/api/v1/workers", json={"name": "ev-robot", "queues": ["robots"]}).json()
        wait_for_status(admin, theirs["id"], {"completed"})
        seen = member.get(EVENTS, params={"after": start, "limit": 100}).json()["data"]
        assert {e["subject_id"] for e in seen if e["subject_type"] == "job"} == {mine["id"]}
        assert not [e for e in seen if e["subject_type"] == "worker"]
        assert member.get(EVENTS, params={"after": start, "job_id": theirs["id"]}).json()["data"] == []
        watched = viewer.get(EVENTS, params={"after": start, "limit": 100}).json()["data"]
        assert {"worker.registered"} <= {e["type"] for e in watched}
        assert {mine["id"], theirs["id"]} <= {e["subject_id"] for e in watched}
    assert admin.delete(f"/api/v1/workers/{robot['id']}").status_code == 204


def test_bad_input_and_missing_credentials(server: LiveServer, admin: httpx.Client) -> None:
    assert_problem(httpx.get(f"{server.url}{EVENTS}"), 401)
    assert_problem(admin.get(EVENTS, params={"after": -1}), 400)
    assert_problem(admin.get(EVENTS, params={"wait_seconds": 61}), 400)
    assert_problem(admin.get(EVENTS, params={"type": "Job.Created"}), 400)
    assert_problem(admin.get(f"{EVENTS}/stream", headers={"Last-Event-ID": "x1"}), 400)


def _database(server: LiveServer) -> sa.Engine:
    path = sa.engine.make_url(server.settings.database_url).database
    return sa.create_engine(f"sqlite:///{path}")


def test_an_expired_position_is_410(server: LiveServer, admin: httpx.Client) -> None:
    submit(admin)
    last = head(admin)
    if not server.settings.database_url.startswith("sqlite"):
        pytest.skip("purges rows directly, which this test does with SQLite only")
    engine = _database(server)
    with engine.begin() as conn:  # what retention does to old events
        conn.execute(sa.text("DELETE FROM events WHERE id <= :last"), {"last": last})
    engine.dispose()
    gone = assert_problem(admin.get(EVENTS, params={"after": last - 3}), 410, "EVENT_CURSOR_EXPIRED")
    assert "list the resources again" in gone["detail"]
    assert_problem(admin.get(f"{EVENTS}/stream", headers={"Last-Event-ID": str(last - 3)}), 410)
    assert admin.get(EVENTS, params={"after": last}).status_code == 200  # nothing missing after it


# -- Server-Sent Events ---------------------------------------------------------------------------


_LINES: dict[int, Iterator[str]] = {}


def read_sse(response: httpx.Response, count: int, timeout: float = 20) -> list[dict]:
    """The next `count` events (id, event, data) of an open stream."""
    lines = _LINES.setdefault(id(response), response.iter_lines())
    found: list[dict] = []
    current: dict = {}
    deadline = time.monotonic() + timeout
    for line in lines:
        if time.monotonic() > deadline:
            break
        if line == "":
            if "data" in current:
                found.append(current)
                if len(found) == count:
                    return found
            current = {}
        elif not line.startswith(":"):
            field, _, value = line.partition(": ")
            current[field] = value
    raise AssertionError(f"stream ended after {len(found)} events: {found}")


@pytest.fixture
def sse_client(server: LiveServer) -> Iterator[httpx.Client]:
    with server.client(server.token("admin")) as client:
        yield client


def test_sse_streams_events_and_resumes_without_gap_or_duplicate(admin: httpx.Client, sse_client) -> None:
    start = head(admin)
    ids = [submit(admin, run_at="2999-01-01T00:00:00Z")["id"] for _ in range(6)]
    params = {"after": start, "type": "job.created"}
    with sse_client.stream("GET", f"{EVENTS}/stream", params=params) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        first = read_sse(response, 3)
    # the connection dropped after 3 events; resume from the last id received
    last_id = first[-1]["id"]
    with sse_client.stream(
        "GET", f"{EVENTS}/stream", params={"type": "job.created"}, headers={"Last-Event-ID": last_id}
    ) as response:
        rest = read_sse(response, 3)
        later = submit(admin, run_at="2999-01-01T00:00:00Z")["id"]  # a live event after the replay
        live = read_sse(response, 1)
    got = [json.loads(item["data"])["subject_id"] for item in first + rest + live]
    assert got == [*ids, later]
    event_ids = [int(item["id"]) for item in first + rest + live]
    assert event_ids == sorted(set(event_ids))
    assert {item["event"] for item in first} == {"job.created"}


def test_sse_without_position_starts_now_and_ends_on_logout(server: LiveServer, admin: httpx.Client) -> None:
    tokens = server.login("admin", "admin-test-password")
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    submit(admin)  # before the stream: not in it
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
        with client.stream("GET", f"{EVENTS}/stream", params={"type": "job.created"}) as response:
            job = submit(admin)
            [event] = read_sse(response, 1)
            assert json.loads(event["data"])["subject_id"] == job["id"]
            assert client.post("/api/v1/auth/logout").status_code == 204
            began = time.monotonic()
            [closing] = read_sse(response, 1, timeout=15)
            assert closing["event"] == "stream.closed" and "id" not in closing
            assert json.loads(closing["data"])["code"] == "SESSION_REVOKED"
            assert time.monotonic() - began < 10


# -- WebSocket --------------------------------------------------------------------------------------


def ws_url(server: LiveServer, query: str = "") -> str:
    return server.url.replace("http://", "ws://") + "/api/v1/ws" + query


def ticket(client: httpx.Client) -> str:
    response = client.post("/api/v1/ws-tickets")
    assert response.status_code == 201, response.text
    return response.json()["ticket"]


def receive(ws, kind: str, timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        message = json.loads(ws.recv(timeout=max(0.1, deadline - time.monotonic())))
        if message["type"] == kind:
            return message
        assert message["type"] in {"ping", "event", "subscribed"}, message


def test_websocket_with_a_ticket_subscribes_and_resumes(server: LiveServer, admin: httpx.Client) -> None:
    start = head(admin)
    ids = [submit(admin, run_at="2999-01-01T00:00:00Z")["id"] for _ in range(4)]
    with connect(ws_url(server, f"?ticket={ticket(admin)}")) as ws:
        # no permessage-deflate unless BATON_WS_COMPRESSION: it costs a compression per socket
        assert "Sec-WebSocket-Extensions" not in ws.response.headers
        welcome = receive(ws, "welcome")
        assert welcome["user"] == "admin" and welcome["last_event_id"] >= start
        ws.send(
            json.dumps({"type": "subscribe", "id": "a", "after": start, "filters": {"type": ["job.created"]}})
        )
        got = [receive(ws, "event") for _ in range(4)]
        assert [m["event"]["subject_id"] for m in got] == ids
        assert {m["subscription"] for m in got} == {"a"}
        live = submit(admin, run_at="2999-01-01T00:00:00Z")
        assert receive(ws, "event")["event"]["subject_id"] == live["id"]
        ws.send(json.dumps({"type": "ping"}))
        assert receive(ws, "pong")["type"] == "pong"
        ws.send("not json")
        assert receive(ws, "error")["code"] == "BAD_MESSAGE"
        ws.send(json.dumps({"type": "unsubscribe", "id": "a"}))
        assert receive(ws, "unsubscribed")["id"] == "a"
    # a ticket opens one socket only
    used = ticket(admin)
    with connect(ws_url(server, f"?ticket={used}")) as ws:
        receive(ws, "welcome")
    with connect(ws_url(server, f"?ticket={used}")) as ws, pytest.raises(ConnectionClosed) as closed:
        ws.recv(timeout=10)
    assert closed.value.rcvd.code == 4001


def test_websocket_first_message_auth_and_refusals(server: LiveServer) -> None:
    with connect(ws_url(server)) as ws:
        ws.send(json.dumps({"type": "auth", "token": server.token("member")}))
        assert receive(ws, "welcome")["user"] == "member-user"
    for first in ({"type": "auth", "token": "forged.token.value"}, {"type": "subscribe"}, "garbage"):
        with connect(ws_url(server)) as ws, pytest.raises(ConnectionClosed) as closed:
            ws.send(first if isinstance(first, str) else json.dumps(first))
            ws.recv(timeout=10)
        assert closed.value.rcvd.code == 4001
    with pytest.raises(InvalidStatus) as refused:
        connect(ws_url(server), origin="https://evil.example")
    assert refused.value.response.status_code == 403
    with connect(ws_url(server), origin=server.url) as ws:  # the server's own origin is fine
        ws.send(json.dumps({"type": "auth", "token": server.token("admin")}))
        receive(ws, "welcome")


def test_websocket_member_sees_only_own_jobs(server: LiveServer, admin: httpx.Client) -> None:
    with connect(ws_url(server)) as ws:
        ws.send(json.dumps({"type": "auth", "token": server.token("member")}))
        receive(ws, "welcome")
        ws.send(json.dumps({"type": "subscribe", "id": "m", "filters": {"type": "job.created"}}))
        receive(ws, "subscribed")
        submit(admin)
        with server.client(server.token("member")) as member:
            mine = submit(member)
        assert receive(ws, "event")["event"]["subject_id"] == mine["id"]


def test_websocket_closes_when_the_session_is_revoked(server: LiveServer) -> None:
    tokens = server.login("admin", "admin-test-password")
    with connect(ws_url(server)) as ws:
        ws.send(json.dumps({"type": "auth", "token": tokens["access_token"]}))
        receive(ws, "welcome")
        logout = httpx.post(
            f"{server.url}/api/v1/auth/logout", headers={"Authorization": f"Bearer {tokens['access_token']}"}
        )
        assert logout.status_code == 204
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                ws.recv(timeout=15)
    assert closed.value.rcvd.code == 4002 and "SESSION_REVOKED" in closed.value.rcvd.reason


def test_a_slow_websocket_consumer_is_cut_off_and_resumes(server: LiveServer, admin: httpx.Client) -> None:
    start = head(admin)
    with connect(ws_url(server), max_size=2**20, max_queue=1) as ws:
        ws.send(json.dumps({"type": "auth", "token": server.token("admin")}))
        receive(ws, "welcome")
        ws.send(json.dumps({"type": "subscribe", "id": "s", "filters": {"type": "job.created"}}))
        receive(ws, "subscribed")
        # stop reading; the server's buffer (20 events) and the socket's fill up
        batch = [{"command": ["true"], "run_at": "2999-01-01T00:00:00Z", "name": "x" * 190}] * 500
        for _ in range(12):
            assert admin.post(f"{JOBS}/batch", json={"jobs": batch}).status_code == 201
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                ws.recv(timeout=30)
    assert closed.value.rcvd.code == 4008 and "SLOW_CONSUMER" in closed.value.rcvd.reason
    # resuming from the last id read loses nothing: the log has every one of them
    page = admin.get(EVENTS, params={"after": start, "type": "job.created", "limit": 100}).json()
    assert len(page["data"]) == 100 and page["has_more"]


# -- the AsyncAPI document ---------------------------------------------------------------------------

SPEC_DIR = Path(__file__).resolve().parents[1] / "openapi"


def _json_schema(node: object) -> object:
    """OpenAPI 3.0's `nullable` as JSON Schema (what the AsyncAPI document's payloads speak)."""
    if isinstance(node, dict):
        out = {key: _json_schema(value) for key, value in node.items() if key not in {"nullable", "example"}}
        if node.get("nullable") and "type" in node:
            out["type"] = [node["type"], "null"]
        if node.get("nullable") and "enum" in node:
            out["enum"] = [*node["enum"], None]
        return out
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    return node


def asyncapi_validators() -> dict[str, Draft202012Validator]:
    asyncapi = yaml.safe_load((SPEC_DIR / "baton.asyncapi.yaml").read_text())
    openapi = _json_schema(yaml.safe_load((SPEC_DIR / "baton.yaml").read_text()))
    registry = Registry().with_resources(
        [
            ("baton.yaml", Resource.from_contents(openapi, default_specification=DRAFT202012)),
            ("asyncapi", Resource.from_contents(asyncapi, default_specification=DRAFT202012)),
        ]
    )
    validators = {}
    for name, message in asyncapi["components"]["messages"].items():
        schema = json.loads(json.dumps(message["payload"]).replace('"./baton.yaml#', '"baton.yaml#'))
        validators[name] = Draft202012Validator(schema, registry=registry)
    return validators


def test_asyncapi_references_the_openapi_schemas() -> None:
    asyncapi = yaml.safe_load((SPEC_DIR / "baton.asyncapi.yaml").read_text())
    openapi = yaml.safe_load((SPEC_DIR / "baton.yaml").read_text())
    text = (SPEC_DIR / "baton.asyncapi.yaml").read_text()
    external = set(re.findall(r'"\./baton\.yaml#/components/schemas/(\w+)"', text))
    assert external == {"Event", "EventType"}  # the same schemas, referenced, not copied
    assert external <= set(openapi["components"]["schemas"])
    for ref in re.findall(r'"#/([^"]+)"', text):  # every local reference resolves
        node = asyncapi
        for part in ref.split("/"):
            node = node[part]
    # every message the server sends or takes has a schema here
    sent = {"welcome", "subscribed", "unsubscribed", "event", "events", "ping", "pong", "error", "auth"}
    sent |= {"subscribe"}
    assert sent <= {m["name"] for m in asyncapi["components"]["messages"].values()}


def test_websocket_messages_match_the_asyncapi_document(server: LiveServer, admin: httpx.Client) -> None:
    validators = asyncapi_validators()
    by_type = {
        "welcome": "Welcome",
        "subscribed": "Subscribed",
        "unsubscribed": "Unsubscribed",
        "event": "EventMessage",
        "ping": "ServerPing",
        "pong": "Pong",
        "error": "Error",
    }
    start = head(admin)
    with connect(ws_url(server)) as ws:
        auth = {"type": "auth", "token": server.token("admin")}
        validators["Auth"].validate(auth)
        ws.send(json.dumps(auth))
        subscribe = {"type": "subscribe", "id": "x", "after": start, "filters": {"type": ["job.", "queue."]}}
        validators["Subscribe"].validate(subscribe)
        job = submit(admin, ["sh", "-c", "exit 2"])
        wait_for_status(admin, job["id"], {"failed"})
        ws.send(json.dumps(subscribe))
        seen: set[str] = set()

        def read_until(kind: str) -> None:
            while kind not in seen:
                message = json.loads(ws.recv(timeout=10))
                validators[by_type[message["type"]]].validate(message)
                seen.add(message["type"])

        read_until("event")
        ws.send(json.dumps({"type": "ping"}))
        ws.send(json.dumps({"type": "subscribe", "id": "x"}))  # an error: it exists
        ws.send(json.dumps({"type": "unsubscribe", "id": "x"}))
        read_until("unsubscribed")
        assert seen >= set(by_type) - {"ping"}


def test_the_events_command_follows_and_resumes(server: LiveServer, admin: httpx.Client) -> None:
    start = head(admin)
    ids = [submit(admin, run_at="2999-01-01T00:00:00Z", name=f"cli-{i}")["id"] for i in range(3)]
    env = {**os.environ, "BATON_TOKEN": server.token("admin")}
    args = [sys.executable, "-m", "baton", "events", "--server", server.url, "--type", "job.created"]
    done = subprocess.run(
        [*args, "--after", str(start), "--max-seconds", "3"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[3].removeprefix("job:") for line in lines] == ids
    assert all(" job.created " in line and "-->scheduled" in line for line in lines)
    as_json = subprocess.run(
        [*args, "--after", str(start), "--max-seconds", "2", "--json"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert [json.loads(line)["subject_id"] for line in as_json.stdout.splitlines()] == ids
    refused = subprocess.run(
        [*args, "--max-seconds", "2"], env={**env, "BATON_TOKEN": "forged"}, capture_output=True, text=True
    )
    assert refused.returncode == 1 and "401" in refused.stderr


def test_the_generated_client_reads_typed_events(server: LiveServer, admin: httpx.Client) -> None:
    from baton_client import AuthenticatedClient
    from baton_client.api.events import create_ws_ticket, list_events
    from baton_client.models import EventPage, JobEventData, QueueEventData, WsTicket

    start = head(admin)
    assert admin.post("/api/v1/queues", json={"name": "typed"}).status_code == 201
    job = submit(admin, queue="typed")
    wait_for_status(admin, job["id"], {"completed"})
    client = AuthenticatedClient(server.url, token=server.token("admin"))
    page = list_events.sync(client=client, after=start, queue="typed", limit=100)
    assert isinstance(page, EventPage) and page.last_event_id >= start
    by_type = {event.type_: event.data for event in page.data}
    assert isinstance(by_type["queue.created"], QueueEventData) and by_type["queue.created"].queue == "typed"
    done = by_type["job.completed"]
    assert isinstance(done, JobEventData) and done.job_id == job["id"] and done.previous_status == "running"
    assert isinstance(create_ws_ticket.sync(client=client), WsTicket)
