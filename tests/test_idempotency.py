"""Idempotency-Key on POST /api/v1/jobs, /cancel and /retry (IETF httpapi draft semantics)."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import httpx

from tests.conftest import LiveServer, assert_problem

JOBS = "/api/v1/jobs"
LATER = (datetime.now(UTC) + timedelta(days=365)).isoformat()


def key() -> dict[str, str]:
    return {"Idempotency-Key": f"test-{uuid.uuid4()}"}


def count(client: httpx.Client, queue: str) -> int:
    return len(client.get(JOBS, params={"queue": queue, "limit": 100}).json()["data"])


def test_same_key_same_body_replays_without_a_second_job(admin: httpx.Client) -> None:
    headers = key()
    body = {"command": ["true"], "queue": "idem-replay", "run_at": LATER}
    first = admin.post(JOBS, json=body, headers=headers)
    again = admin.post(JOBS, json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    assert count(admin, "idem-replay") == 1


def test_same_key_other_body_is_422(admin: httpx.Client) -> None:
    headers = key()
    admin.post(JOBS, json={"command": ["true"], "queue": "idem-other", "run_at": LATER}, headers=headers)
    other = admin.post(
        JOBS, json={"command": ["false"], "queue": "idem-other", "run_at": LATER}, headers=headers
    )
    assert_problem(other, 422, "IDEMPOTENCY_KEY_REUSED")
    assert count(admin, "idem-other") == 1


def test_keys_are_scoped_per_principal(server: LiveServer, admin: httpx.Client) -> None:
    headers = key()
    body = {"command": ["true"], "queue": "idem-scope", "run_at": LATER}
    admin.post(JOBS, json=body, headers=headers)
    with server.client(server.token("member")) as member:
        assert member.post(JOBS, json=body, headers=headers).status_code == 201
        assert "idempotent-replayed" not in member.post(JOBS, json=body, headers=key()).headers
    assert count(admin, "idem-scope") == 3


def test_concurrent_duplicates_create_one_job(admin: httpx.Client, server: LiveServer) -> None:
    headers = key()
    body = {"command": ["true"], "queue": "idem-race", "run_at": LATER}
    statuses: list[int] = []

    def post() -> None:
        with server.client(server.token("admin")) as client:
            statuses.append(client.post(JOBS, json=body, headers=headers).status_code)

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(statuses) <= {201, 409} and 201 in statuses  # 409: the first was still in flight
    assert count(admin, "idem-race") == 1


def test_cancel_and_retry_replay(admin: httpx.Client) -> None:
    job = admin.post(JOBS, json={"command": ["true"], "run_at": LATER}).json()
    headers = key()
    first = admin.post(f"{JOBS}/{job['id']}/cancel", headers=headers)
    again = admin.post(f"{JOBS}/{job['id']}/cancel", headers=headers)
    assert first.status_code == again.status_code == 200  # not the 409 a second cancel would get
    assert again.headers["idempotent-replayed"] == "true"
    retry_headers = key()
    assert admin.post(f"{JOBS}/{job['id']}/retry", headers=retry_headers).status_code == 200
    assert admin.post(f"{JOBS}/{job['id']}/retry", headers=retry_headers).status_code == 200


def test_a_repeat_sent_the_moment_the_answer_arrives_is_a_replay(admin: httpx.Client) -> None:
    """The answer leaves only once it is recorded: a repeat never finds the key still in flight
    (on PostgreSQL, a repeat sent at once got 409 IDEMPOTENCY_KEY_IN_FLIGHT now and then)."""
    for _ in range(30):
        headers = key()
        first = admin.post(JOBS, json={"command": ["true"], "run_at": LATER}, headers=headers)
        again = admin.post(JOBS, json={"command": ["true"], "run_at": LATER}, headers=headers)
        assert first.status_code == again.status_code == 201, again.text
        assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()


def test_bad_requests_are_not_remembered(admin: httpx.Client) -> None:
    headers = key()
    assert_problem(admin.post(JOBS, json={"command": []}, headers=headers), 400)
    ok = admin.post(JOBS, json={"command": ["true"], "run_at": LATER}, headers=headers)
    assert ok.status_code == 201 and "idempotent-replayed" not in ok.headers


def test_invalid_keys_are_400(admin: httpx.Client) -> None:
    for bad in ["", "x" * 256]:
        response = admin.post(JOBS, json={"command": ["true"]}, headers={"Idempotency-Key": bad})
        assert_problem(response, 400, "VALIDATION_ERROR")


def test_the_spec_decides_which_operations_are_idempotent() -> None:
    from importlib import resources

    import yaml

    from baton.idempotency import idempotent_operations

    spec = yaml.safe_load((resources.files("baton.openapi") / "baton.yaml").read_text())
    assert idempotent_operations(spec) == {
        "create_job",
        "create_jobs",
        "cancel_job",
        "cancel_jobs",
        "retry_job",
        "create_webhook",
        "replay_webhook",
        "create_schedule",
        "trigger_schedule",
        "create_workflow",
        "create_template",
        "run_template",
    }


def test_a_rejected_non_ascii_key_is_reported_as_sent(admin: httpx.Client) -> None:
    body = {"command": ["true"], "queue": "idem-utf8", "run_at": LATER}
    # a client that pasted README's "7f1c…": UTF-8 bytes on the wire, decoded once in the message
    response = admin.post(JOBS, json=body, headers={"Idempotency-Key": "7f1c…".encode()})
    problem = assert_problem(response, 400, "VALIDATION_ERROR")
    [error] = problem["errors"]
    assert error["field"] == "header.Idempotency-Key"
    assert error["message"].startswith("'7f1c…' "), error
    assert "â" not in response.text
    # bytes that are not UTF-8 are escaped, never decoded into other characters
    response = admin.post(JOBS, json=body, headers={"Idempotency-Key": b"7f1c\xff\xfe"})
    [error] = assert_problem(response, 400, "VALIDATION_ERROR")["errors"]
    assert error["message"].startswith("'7f1c\\xff\\xfe' "), error
    assert count(admin, "idem-utf8") == 0
