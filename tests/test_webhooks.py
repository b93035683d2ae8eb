"""Webhooks through HTTP against real receivers on 127.0.0.1: registration and secrets, signed
deliveries checked with the `standardwebhooks` package as a receiver would, retries and their
spacing, ordering, a hanging receiver, disabling, visibility, filters, the delivery log, replays
and the SSRF guard wired in (the guard itself: test_netguard.py, the sender: test_webhook_delivery.py)."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from standardwebhooks import Webhook as Verifier
from standardwebhooks import WebhookVerificationError

from baton.netguard import TargetPolicy
from baton.webhook_delivery import WebhookSender
from tests.conftest import LiveServer, LoopbackOnly, ThreadedServer, assert_problem, make_settings, wait_for
from tests.receivers import Receiver, receiver

HOOKS = "/api/v1/webhooks"
JOBS = "/api/v1/jobs"
SCHEDULE = (0.2, 0.4, 0.8)
SERVER_SETTINGS = {
    "webhook_allow_http": True,
    "webhook_allow_networks": "127.0.0.1/32",  # this one address: other loopback ones stay refused
    "webhook_retry_schedule": ",".join(map(str, SCHEDULE)),
    "webhook_timeout_seconds": 1.0,
    "webhook_disable_after_failures": 2,
    "webhook_disable_after_seconds": 0,
    "event_poll_seconds": 0.05,
}


@pytest.fixture(scope="module")
def sink() -> Iterator[Receiver]:
    with receiver() as state:
        yield state


def unique(label: str) -> str:
    return f"/{label}/{time.monotonic_ns()}"


def create(client: httpx.Client, url: str, events: list[str] | None = None, **fields: object) -> dict:
    body = {"name": "test hook", "url": url, "events": events or ["job.created"], **fields}
    response = client.post(HOOKS, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def submit(client: httpx.Client, **fields: object) -> dict:
    response = client.post(JOBS, json={"command": ["true"], "run_at": "2999-01-01T00:00:00Z", **fields})
    assert response.status_code == 201, response.text
    return response.json()


def deliveries(client: httpx.Client, hook: dict, **params: object) -> list[dict]:
    response = client.get(f"{HOOKS}/{hook['id']}/deliveries", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    return response.json()["data"]


def verify(secret: str, request) -> dict:
    return Verifier(secret).verify(request.body, request.headers)


# -- registration ------------------------------------------------------------------------------


def test_a_webhook_shows_its_secret_once_and_leaves_events(admin: httpx.Client, sink: Receiver) -> None:
    hook = create(admin, sink.url(unique("crud")), ["job.", "queue.created"], description="d")
    assert hook["secret"].startswith("whsec_") and hook["enabled"] and not hook["parallel"]
    assert hook["events"] == ["job.", "queue.created"] and hook["owner"] == "admin"
    assert hook["filters"] == {"queue": None, "labels": {}, "owner": None}
    got = admin.get(f"{HOOKS}/{hook['id']}")
    assert got.status_code == 200 and "secret" not in got.json() and "whsec_" not in got.text
    assert (
        admin.get(f"{HOOKS}/{hook['id']}", headers={"If-None-Match": got.headers["etag"]}).status_code == 304
    )
    assert any(h["id"] == hook["id"] for h in admin.get(HOOKS).json()["data"])
    stale = {"If-Match": '"nope"'}
    assert_problem(admin.patch(f"{HOOKS}/{hook['id']}", json={"name": "x"}, headers=stale), 412)
    patched = admin.patch(
        f"{HOOKS}/{hook['id']}", json={"name": "renamed", "filters": {"queue": "q1"}},
        headers={"If-Match": got.headers["etag"]},
    )  # fmt: skip
    assert patched.status_code == 200, patched.text
    assert patched.json()["name"] == "renamed" and patched.json()["filters"]["queue"] == "q1"
    assert_problem(admin.patch(f"{HOOKS}/{hook['id']}", json={"owner": "x"}), 422, "READ_ONLY_FIELD")
    assert admin.delete(f"{HOOKS}/{hook['id']}").status_code == 204
    assert_problem(admin.get(f"{HOOKS}/{hook['id']}"), 404, "WEBHOOK_NOT_FOUND")
    log = admin.get("/api/v1/events", params={"type": "webhook.", "limit": 100}).json()["data"]
    mine = [e for e in log if e["subject_id"] == hook["id"]]
    assert [e["type"] for e in mine] == ["webhook.created", "webhook.updated", "webhook.deleted"]
    assert "url" not in mine[0]["data"] and "secret" not in json.dumps(mine)


def test_a_create_repeated_with_its_idempotency_key_makes_one_webhook(
    admin: httpx.Client, sink: Receiver
) -> None:
    body = {"name": "once", "url": sink.url(unique("idem")), "events": ["job.created"]}
    key = {"Idempotency-Key": f"hook-{time.monotonic_ns()}"}
    first, again = (admin.post(HOOKS, json=body, headers=key) for _ in range(2))
    assert first.status_code == again.status_code == 201, first.text
    assert again.json()["id"] == first.json()["id"] and again.headers["idempotent-replayed"] == "true"
    assert sum(h["name"] == "once" and h["url"] == body["url"] for h in admin.get(HOOKS).json()["data"]) == 1
    assert_problem(
        admin.post(HOOKS, json={**body, "name": "other"}, headers=key), 422, "IDEMPOTENCY_KEY_REUSED"
    )


# -- delivery ----------------------------------------------------------------------------------


def test_three_500s_then_200_is_delivered_once_after_four_attempts(
    admin: httpx.Client, sink: Receiver
) -> None:
    path = unique("flaky")
    sink.script(path, 500, 500, 500)
    hook = create(admin, sink.url(path))
    job = submit(admin)
    wait_for(lambda: sink.delivered(path), timeout=20)
    requests = sink.got(path)
    assert len(requests) == 4 and len(sink.delivered(path)) == 1
    assert len({r.message_id for r in requests}) == 1  # the same webhook-id on every attempt
    event = verify(hook["secret"], requests[-1])
    assert event["type"] == "job.created" and event["subject_id"] == job["id"]
    assert event["data"]["labels"] == {} and event["data"]["owner"] == "admin"
    gaps = [later.started - earlier.started for earlier, later in itertools.pairwise(requests)]
    for gap, planned in zip(gaps, SCHEDULE, strict=True):
        # jitter: ±10 %; later only by the time to notice it is due (slack for a loaded machine)
        assert planned * 0.9 <= gap <= planned * 1.1 + 1.0, (gaps, SCHEDULE)
    # the receiver has answered the fourth attempt; the server records that just after (MariaDB
    # under load: read while still `delivering`)
    delivery = wait_for(
        lambda: next((d for d in deliveries(admin, hook) if d["status"] == "delivered"), None), timeout=20
    )
    assert len(deliveries(admin, hook)) == 1 and delivery["attempts"] == 4
    assert delivery["message_id"] == requests[0].message_id and delivery["next_attempt_at"] is None
    detail = admin.get(f"{HOOKS}/{hook['id']}/deliveries/{delivery['id']}").json()
    assert [a["status_code"] for a in detail["attempt_log"]] == [500, 500, 500, 200]
    assert [a["attempt"] for a in detail["attempt_log"]] == [1, 2, 3, 4]
    assert detail["attempt_log"][0]["response_body"] == '{"error": "scripted"}'
    assert detail["attempt_log"][0]["next_attempt_at"] is not None
    assert detail["payload"]["id"] == delivery["event_id"] == event["id"]


def test_signatures_verify_and_tampering_does_not(admin: httpx.Client, sink: Receiver) -> None:
    path = unique("signed")
    hook = create(admin, sink.url(path))
    submit(admin)
    [got] = wait_for(lambda: sink.delivered(path))
    verify(hook["secret"], got)
    tampered = got.body.replace(b"job.created", b"job.deleted")
    with pytest.raises(WebhookVerificationError):
        Verifier(hook["secret"]).verify(tampered, got.headers)
    other = create(admin, sink.url(unique("other")))
    with pytest.raises(WebhookVerificationError):
        verify(other["secret"], got)
    stale = {**got.headers, "webhook-timestamp": str(int(time.time()) - 301)}
    with pytest.raises(WebhookVerificationError):
        Verifier(hook["secret"]).verify(got.body, stale)


def test_both_secrets_sign_during_a_rotation(admin: httpx.Client, sink: Receiver) -> None:
    path = unique("rotate")
    hook = create(admin, sink.url(path))
    rotated = admin.post(f"{HOOKS}/{hook['id']}/rotate-secret", params={"previous_secret_seconds": 3600})
    assert rotated.status_code == 200 and rotated.headers["cache-control"] == "no-store"
    new = rotated.json()["secret"]
    assert new != hook["secret"] and rotated.json()["previous_secret_expires_at"] is not None
    submit(admin)
    [got] = wait_for(lambda: sink.delivered(path))
    assert len(got.headers["webhook-signature"].split()) == 2
    assert verify(hook["secret"], got) == verify(new, got)
    # without a window, the old secret stops at once
    newest = admin.post(f"{HOOKS}/{hook['id']}/rotate-secret", params={"previous_secret_seconds": 0}).json()
    assert newest["previous_secret_expires_at"] is None
    submit(admin)
    latest = wait_for(lambda: (d := sink.delivered(path)) and len(d) == 2 and d[-1])
    verify(newest["secret"], latest)
    with pytest.raises(WebhookVerificationError):
        verify(new, latest)


def test_a_test_message_is_sent_at_once(admin: httpx.Client, sink: Receiver) -> None:
    path = unique("ping")
    hook = create(admin, sink.url(path), enabled=False)
    answer = admin.post(f"{HOOKS}/{hook['id']}/test")
    assert answer.status_code == 200, answer.text
    delivery = answer.json()
    assert delivery["status"] == "delivered" and delivery["event_type"] == "webhook.test"
    [attempt] = delivery["attempt_log"]
    assert attempt["status_code"] == 200 and attempt["response_body"] == '{"ok": true}'
    [got] = sink.got(path)
    assert verify(hook["secret"], got)["data"]["webhook_id"] == hook["id"]
    failing = unique("ping-fails")
    sink.script(failing, 503)
    other = create(admin, sink.url(failing))
    failed = admin.post(f"{HOOKS}/{other['id']}/test").json()
    assert failed["status"] == "failed" and failed["attempt_log"][0]["status_code"] == 503  # not retried
    assert admin.get(f"{HOOKS}/{other['id']}").json()["enabled"]  # and not counted against it


def test_ordered_delivery_waits_for_the_oldest_message(admin: httpx.Client, sink: Receiver) -> None:
    path = unique("ordered")
    sink.script(path, 500, 500)
    hook = create(admin, sink.url(path))
    jobs = [submit(admin)["id"] for _ in range(5)]
    wait_for(lambda: len(sink.delivered(path)) == 5, timeout=20)
    ids = [json.loads(r.body)["subject_id"] for r in sink.got(path)]
    assert ids == [jobs[0], jobs[0], *jobs]  # the first twice refused, the rest waited behind it
    order = [d["event_id"] for d in deliveries(admin, hook)]
    assert order == sorted(order, reverse=True)


def test_parallel_delivery_runs_several_at_once(admin: httpx.Client, sink: Receiver) -> None:
    path = unique("parallel")
    sink.hang.add(path)
    create(admin, sink.url(path), parallel=True)
    for _ in range(4):
        submit(admin)
    try:
        wait_for(lambda: len(sink.got(path)) == 4, timeout=10)  # all four in flight together
    finally:
        sink.hang.discard(path)


def test_a_hanging_receiver_times_out_and_others_keep_flowing(admin: httpx.Client) -> None:
    with receiver() as slow, receiver() as fast:
        slow.hang.add("/hang")
        hung = create(admin, slow.url("/hang"))
        quick = create(admin, fast.url("/fast"))
        started = time.monotonic()
        for _ in range(10):
            submit(admin)
        wait_for(lambda: len(fast.delivered("/fast")) == 10, timeout=10)
        flowing = time.monotonic() - started
        first = wait_for(lambda: [d for d in deliveries(admin, hung) if d["last_attempt"]], timeout=10)[-1]
    attempt = first["last_attempt"]
    assert attempt["status_code"] is None and attempt["error"] == "timed out after 1 s"
    assert 0.9 <= attempt["duration_seconds"] < 2.5
    # ten messages to the other endpoint while this one hung: in turn with the hung one's, they
    # would wait out ten 1 s timeouts (a busy CI machine took 5.1 s for them, so not 5)
    assert flowing < 8, flowing
    assert all(d["status"] == "delivered" for d in deliveries(admin, quick))
    print(f"\nhanging receiver: attempt timed out after {attempt['duration_seconds']:.2f} s; "
          f"10 messages to another endpoint delivered in {flowing:.2f} s meanwhile")  # fmt: skip


def test_a_4xx_fails_the_message_and_410_disables_the_webhook(admin: httpx.Client, sink: Receiver) -> None:
    bad, gone = unique("bad"), unique("gone")
    sink.script(bad, 400)
    sink.script(gone, 410)
    refused = create(admin, sink.url(bad))
    ended = create(admin, sink.url(gone))
    submit(admin)
    wait_for(lambda: sink.got(bad) and sink.got(gone))
    failed = wait_for(lambda: [d for d in deliveries(admin, refused) if d["status"] == "failed"])
    assert failed[0]["attempts"] == 1 and failed[0]["last_attempt"]["status_code"] == 400
    disabled = wait_for(lambda: (h := admin.get(f"{HOOKS}/{ended['id']}").json()) and not h["enabled"] and h)
    assert "410 Gone" in disabled["disabled_reason"] and disabled["disabled_at"]
    events = admin.get("/api/v1/events", params={"type": "webhook.disabled", "limit": 100}).json()["data"]
    assert any(e["subject_id"] == ended["id"] and "410" in e["data"]["disabled_reason"] for e in events)
    submit(admin)  # a disabled webhook gets nothing
    time.sleep(0.5)
    assert len(sink.got(gone)) == 1


def test_failing_messages_in_a_row_disable_the_webhook(admin: httpx.Client, sink: Receiver) -> None:
    path = unique("down")
    sink.script(path, *[503] * 8)  # two messages, every attempt refused
    hook = create(admin, sink.url(path))
    submit(admin)
    submit(admin)
    disabled = wait_for(
        lambda: (h := admin.get(f"{HOOKS}/{hook['id']}").json()) and not h["enabled"] and h, timeout=20
    )
    assert disabled["disabled_reason"].startswith("The last 2 messages failed")
    assert {d["status"] for d in deliveries(admin, hook)} == {"failed"}
    enabled = admin.patch(f"{HOOKS}/{hook['id']}", json={"enabled": True}).json()
    assert enabled["enabled"] and enabled["disabled_reason"] is None
    submit(admin)
    wait_for(lambda: sink.delivered(path))  # from the next event on


def test_a_members_webhook_gets_only_what_the_member_may_read(
    server: LiveServer, admin: httpx.Client
) -> None:
    with server.client(server.token("member")) as member, receiver() as box:
        hook = create(member, box.url("/member"), ["job.", "webhook."])
        assert admin.get(f"{HOOKS}/{hook['id']}").status_code == 200  # an admin sees every webhook
        mine = submit(member)
        submit(admin)
        admin_hook = create(admin, box.url("/other"), ["job.deleted"])
        member_other = create(member, box.url("/other2"), ["queue."])
        wait_for(lambda: len(box.delivered("/member")) >= 2)
        time.sleep(0.5)
        seen = [json.loads(r.body) for r in box.delivered("/member")]
        assert {(e["type"], e["subject_id"]) for e in seen} == {
            ("job.created", mine["id"]),
            ("webhook.created", member_other["id"]),
        }
        with server.client(server.token("viewer")) as viewer:
            assert_problem(viewer.get(HOOKS), 403, "FORBIDDEN")
        assert_problem(member.get(f"{HOOKS}/{admin_hook['id']}"), 404, "WEBHOOK_NOT_FOUND")
        assert all(h["owner"] == "member-user" for h in member.get(HOOKS).json()["data"])
        body = {"name": "x", "url": box.url("/x"), "events": ["job."], "filters": {"owner": "admin"}}
        assert_problem(member.post(HOOKS, json=body), 422, "OWNER_FILTER_NOT_ALLOWED")


def test_filters_by_queue_labels_and_owner(admin: httpx.Client, sink: Receiver) -> None:
    by_queue, by_labels, by_owner = unique("fq"), unique("fl"), unique("fo")
    create(admin, sink.url(by_queue), filters={"queue": "hooked"})
    create(admin, sink.url(by_labels), filters={"labels": {"team": "data"}})
    create(admin, sink.url(by_owner), filters={"owner": "nobody-else"})
    in_queue = submit(admin, queue="hooked")
    labelled = submit(admin, labels={"team": "data", "env": "prod"})
    submit(admin, labels={"team": "ops"})
    wait_for(lambda: sink.delivered(by_queue) and sink.delivered(by_labels))
    time.sleep(0.5)
    assert [json.loads(r.body)["subject_id"] for r in sink.delivered(by_queue)] == [in_queue["id"]]
    assert [json.loads(r.body)["subject_id"] for r in sink.delivered(by_labels)] == [labelled["id"]]
    assert sink.got(by_owner) == []
    bad = {"name": "x", "url": sink.url("/x"), "events": ["job."], "filters": {"labels": {"-bad": "1"}}}
    assert assert_problem(admin.post(HOOKS, json=bad), 400)["errors"][0]["field"] == "filters.labels.-bad"


def test_replays_resend_with_the_same_message_id(admin: httpx.Client, sink: Receiver) -> None:
    path = unique("replay")
    sink.script(path, 400)
    hook = create(admin, sink.url(path))
    submit(admin)
    [failed] = wait_for(lambda: [d for d in deliveries(admin, hook) if d["status"] == "failed"])
    again = admin.post(f"{HOOKS}/{hook['id']}/deliveries/{failed['id']}/replay")
    assert again.status_code == 202 and again.json()["status"] == "pending"
    wait_for(lambda: sink.delivered(path))
    first, second = sink.got(path)
    assert first.message_id == second.message_id
    detail = admin.get(f"{HOOKS}/{hook['id']}/deliveries/{failed['id']}").json()
    assert [a["status_code"] for a in detail["attempt_log"]] == [400, 200] and detail["attempts"] == 2
    # bulk: events the webhook missed while disabled, by event-id range
    assert admin.patch(f"{HOOKS}/{hook['id']}", json={"enabled": False}).status_code == 200
    missed = [submit(admin)["id"] for _ in range(3)]
    events = admin.get(
        "/api/v1/events", params={"type": "job.created", "limit": 100, "after": detail["event_id"]}
    )
    ids = [e["id"] for e in events.json()["data"] if e["subject_id"] in missed]
    assert admin.patch(f"{HOOKS}/{hook['id']}", json={"enabled": True}).status_code == 200
    time.sleep(0.3)
    assert len(sink.delivered(path)) == 1  # enabling starts from the next event
    result = admin.post(
        f"{HOOKS}/{hook['id']}/replay", json={"after_event_id": ids[0] - 1, "up_to_event_id": ids[-1]}
    )
    assert result.status_code == 202 and result.json() == {
        "queued": 3,
        "scanned_up_to": ids[-1],
        "complete": True,
    }
    wait_for(lambda: len(sink.delivered(path)) == 4)
    again = admin.post(
        f"{HOOKS}/{hook['id']}/replay", json={"after_event_id": ids[0] - 1, "up_to_event_id": ids[-1]}
    )
    assert again.json()["queued"] == 0  # delivered ones are not sent twice


def test_the_delivery_log_filters_and_pages(admin: httpx.Client, sink: Receiver) -> None:
    path = unique("log")
    sink.script(path, 400)
    hook = create(admin, sink.url(path), ["job.created", "job.cancelled"], parallel=True)
    first = submit(admin)
    submit(admin)
    assert admin.post(f"{JOBS}/{first['id']}/cancel").status_code == 200
    wait_for(lambda: len(deliveries(admin, hook, status="delivered,failed")) == 3)
    assert len(deliveries(admin, hook, status="failed")) == 1
    assert [d["event_type"] for d in deliveries(admin, hook, event_type="job.cancelled")] == ["job.cancelled"]
    assert len(deliveries(admin, hook, event_type="job.")) == 3
    assert deliveries(admin, hook, created_after="2999-01-01T00:00:00Z") == []
    page = admin.get(f"{HOOKS}/{hook['id']}/deliveries", params={"limit": 2}).json()
    rest = admin.get(
        f"{HOOKS}/{hook['id']}/deliveries", params={"limit": 2, "cursor": page["pagination"]["next_cursor"]}
    )
    assert (
        len(page["data"]) == 2 and len(rest.json()["data"]) == 1 and not rest.json()["pagination"]["has_next"]
    )


# -- the SSRF guard, wired in ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.2/hook", "127.0.0.2 is a loopback address"),
        ("http://0x7f.2/hook", "127.0.0.2 is a loopback address"),
        ("http://2130706434/hook", "127.0.0.2 is a loopback address"),
        ("http://[::1]/hook", "::1 is a loopback address"),
        ("http://[::ffff:127.0.0.2]/hook", "127.0.0.2 is a loopback address"),
        ("http://10.1.2.3/hook", "10.1.2.3 is a private address"),
        ("http://192.168.0.10/hook", "a private address"),
        ("http://169.254.169.254/latest/meta-data", "the cloud metadata address"),
        ("http://0.0.0.0:8080/", "an unspecified address; it is never allowed"),
        ("http://[fe80::1]/hook", "fe80::1 is a link-local address"),
        ("http://100.64.0.1/hook", "a shared (carrier-grade NAT) address"),
    ],
)
def test_refused_urls_are_422_when_created(admin: httpx.Client, url: str, reason: str) -> None:
    response = admin.post(HOOKS, json={"name": "x", "url": url, "events": ["job."]})
    body = assert_problem(response, 422, "WEBHOOK_URL_REFUSED")
    assert reason in body["detail"] and body["errors"][0]["field"] == "url"


def test_the_default_policy_refuses_loopback_and_http(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "default.db", webhook_allow_http=True)
    strict = make_settings(tmp_path / "strict.db")
    for config, reason in (
        (settings, "127.0.0.1 is a loopback address"),
        (strict, "must start with https://"),
    ):
        with ThreadedServer(config) as url:
            token = httpx.post(
                f"{url}/api/v1/auth/login", json={"username": "admin", "password": "admin-test-password"}
            )
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            response = httpx.post(
                f"{url}{HOOKS}",
                headers=headers,
                json={"name": "x", "url": "http://127.0.0.1:9/h", "events": ["job."]},
            )
            assert reason in assert_problem(response, 422, "WEBHOOK_URL_REFUSED")["detail"]


def test_a_name_resolving_inside_fails_the_delivery_with_the_reason(
    server: LiveServer, admin: httpx.Client, sink: Receiver
) -> None:
    worker = server.services.dispatcher.deliveries
    original = worker.sender

    async def resolve(host: str, port: int) -> list[str]:
        return ["127.0.0.1"] if host == "hooks.example.test" else []

    # what the server would do with the default policy, with DNS pointing the name at 127.0.0.1
    worker.sender = WebhookSender(
        TargetPolicy(allow_http=True), timeout=1.0, resolver=resolve, network=LoopbackOnly()
    )
    path = unique("rebind")
    try:
        hook = create(admin, sink.url(path, host="hooks.example.test"))
        attempt = admin.post(f"{HOOKS}/{hook['id']}/test").json()["attempt_log"][0]
    finally:
        worker.sender = original
    assert attempt["status_code"] is None
    assert attempt["error"] == (
        "refused: hooks.example.test resolves to 127.0.0.1, a loopback address; "
        "set BATON_WEBHOOK_ALLOW_NETWORKS to allow it"
    )
    assert sink.got(path) == []


def test_a_redirect_to_loopback_is_not_followed(admin: httpx.Client, sink: Receiver) -> None:
    path, target = unique("redirect"), unique("inside")
    sink.script(path, 302, Location=sink.url(target))
    hook = create(admin, sink.url(path))
    attempt = admin.post(f"{HOOKS}/{hook['id']}/test").json()["attempt_log"][0]
    assert attempt["status_code"] == 302 and "redirects are not followed" in attempt["error"]
    assert sink.got(target) == []
