"""The audit log through HTTP: what each security-relevant action records (actor, target, client,
what changed, never a secret), the admin-only list with filters and paging, and the brute-force
throttle that reads failed logins from it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD, LiveServer, ServerProcess, assert_problem

AUDIT = "/api/v1/audit-events"


def events(admin: httpx.Client, **params: object) -> list[dict]:
    response = admin.get(AUDIT, params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    return response.json()["data"]


def login(server: LiveServer, username: str, password: str) -> httpx.Response:
    return httpx.post(f"{server.url}/api/v1/auth/login", json={"username": username, "password": password})


def test_actions_are_recorded_with_actor_target_and_client(server: LiveServer, admin: httpx.Client) -> None:
    started = datetime.now(UTC) - timedelta(seconds=1)
    assert login(server, "admin", "wrong-password").status_code == 401
    user = admin.post(
        "/api/v1/users", json={"username": "audited", "password": USER_PASSWORD, "role": "member"}
    )
    user_id = user.json()["id"]
    assert admin.patch(f"/api/v1/users/{user_id}", json={"role": "manager"}).status_code == 200
    assert (
        admin.put(f"/api/v1/users/{user_id}/password", json={"password": "another-password"}).status_code
        == 204
    )
    key = admin.post("/api/v1/api-keys", json={"name": "audit-robot", "scopes": ["jobs:read"]}).json()
    assert admin.delete(f"/api/v1/api-keys/{key['id']}").status_code == 204
    job = admin.post("/api/v1/jobs", json={"command": ["true"], "run_at": "2099-01-01T00:00:00Z"}).json()
    assert admin.post(f"/api/v1/jobs/{job['id']}/cancel").status_code == 200
    assert admin.delete(f"/api/v1/jobs/{job['id']}").status_code == 204
    assert admin.post("/api/v1/queues", json={"name": "audited-queue"}).status_code == 201
    assert admin.delete("/api/v1/queues/audited-queue").status_code == 204

    recorded = events(admin, created_after=started.isoformat())
    by_action = {}
    for event in reversed(recorded):  # oldest first: keep the last of each action
        by_action[event["action"]] = event
    failed = by_action["auth.login_failed"]
    assert failed["outcome"] == "failure" and failed["actor"] == "admin" and failed["actor_id"] is None
    assert failed["client"] == "127.0.0.1" and failed["details"] == {"reason": "wrong password"}
    assert by_action["user.create"]["target_id"] == user_id
    assert by_action["user.create"]["details"] == {"username": "audited", "role": "member"}
    assert by_action["user.update"]["details"] == {
        "username": "audited",
        "role": {"from": "member", "to": "manager"},
    }
    assert by_action["user.password_reset"]["target_id"] == user_id
    assert by_action["api_key.create"]["target_id"] == key["id"]
    assert by_action["api_key.create"]["details"]["scopes"] == ["jobs:read"]
    assert by_action["api_key.revoke"]["target_id"] == key["id"]
    assert (by_action["job.delete"]["target_type"], by_action["job.delete"]["target_id"]) == (
        "job",
        job["id"],
    )
    assert by_action["queue.delete"]["target_id"] == "audited-queue"
    for event in recorded:
        assert event["actor"] is not None
        if event["action"] != "auth.login_failed":
            assert (
                event["actor"] == "admin" and event["actor_id"] is not None and event["outcome"] == "success"
            )
    # never a secret in the log
    text = admin.get(AUDIT, params={"limit": 100}).text
    for secret in (key["key"], USER_PASSWORD, "another-password", "wrong-password", ADMIN_PASSWORD):
        assert secret not in text


def test_logins_logouts_and_refresh_reuse_are_recorded(server: LiveServer, admin: httpx.Client) -> None:
    pair = login(server, "admin", ADMIN_PASSWORD).json()
    refreshed = httpx.post(f"{server.url}/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refreshed.status_code == 200
    reused = httpx.post(f"{server.url}/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert_problem(reused, 401, "REFRESH_TOKEN_REUSED")
    other = login(server, "admin", ADMIN_PASSWORD).json()
    logout = httpx.post(
        f"{server.url}/api/v1/auth/logout", headers={"Authorization": f"Bearer {other['access_token']}"}
    )
    assert logout.status_code == 204
    actions = [
        event["action"] for event in events(admin, action="auth.login,auth.logout,auth.refresh_reused")
    ]
    assert actions[:3] == ["auth.logout", "auth.login", "auth.refresh_reused"]
    reuse = events(admin, action="auth.refresh_reused")[0]
    assert reuse["outcome"] == "failure" and reuse["target_type"] == "session"


def test_filters_and_paging(server: LiveServer, admin: httpx.Client) -> None:
    for _ in range(5):
        assert login(server, "nobody-here", "x-password").status_code == 401
    only = events(admin, action="auth.login_failed", actor="nobody-here")
    assert len(only) == 5 and {e["actor"] for e in only} == {"nobody-here"}
    assert only[0]["details"] == {"reason": "unknown user"}
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, "actor": "nobody-here", **({"cursor": cursor} if cursor else {})}
        page = admin.get(AUDIT, params=params).json()
        seen += [event["id"] for event in page["data"]]
        cursor = page["pagination"]["next_cursor"]
        if not cursor:
            break
    assert seen == [event["id"] for event in only]  # newest first, no repeats, no gaps
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert events(admin, created_after=future) == []
    assert_problem(admin.get(AUDIT, params={"action": "auth.nonsense"}), 400)
    assert_problem(admin.get(AUDIT, params={"cursor": "garbage"}), 400)


@pytest.mark.parametrize("role", ["manager", "member", "viewer"])
def test_only_admins_read_the_log(server: LiveServer, role: str) -> None:
    with server.client(server.token(role)) as client:
        assert_problem(client.get(AUDIT), 403, "FORBIDDEN")


def test_an_admin_key_with_the_admin_scope_reads_the_log(server: LiveServer, admin: httpx.Client) -> None:
    with_admin = admin.post("/api/v1/api-keys", json={"name": "siem", "scopes": ["admin"]}).json()
    without = admin.post("/api/v1/api-keys", json={"name": "jobs", "scopes": ["jobs:read"]}).json()
    assert httpx.get(f"{server.url}{AUDIT}", headers={"X-API-Key": with_admin["key"]}).status_code == 200
    assert_problem(httpx.get(f"{server.url}{AUDIT}", headers={"X-API-Key": without["key"]}), 403)


def test_a_guessed_username_is_locked_after_ten_failures(server: LiveServer, admin: httpx.Client) -> None:
    assert (
        admin.post(
            "/api/v1/users", json={"username": "target", "password": USER_PASSWORD, "role": "member"}
        ).status_code
        == 201
    )
    assert login(server, "target", USER_PASSWORD).status_code == 200  # a success before: not counted
    for _ in range(10):
        assert_problem(login(server, "target", "guess-password"), 401, "INVALID_CREDENTIALS")
    locked = login(server, "target", USER_PASSWORD)  # even the right password, for a while
    assert_problem(locked, 429, "LOGIN_THROTTLED")
    assert 800 <= int(locked.headers["retry-after"]) <= 900
    # the lock is per username: others log in as usual
    assert login(server, "admin", ADMIN_PASSWORD).status_code == 200
    # refused attempts while locked are not recorded as more failures (no lengthening the lock)
    assert len(events(admin, action="auth.login_failed", actor="target")) == 10


def test_timestamps_no_datetime_can_hold_are_400(server: LiveServer, admin: httpx.Client) -> None:
    # valid RFC 3339, but past year 9999 once in UTC
    far = "9999-12-31T23:59:59-01:00"
    assert_problem(admin.get(AUDIT, params={"created_after": far}), 400)
    body = {"name": "x", "scopes": ["jobs:read"], "expires_at": far}
    problem = assert_problem(admin.post("/api/v1/api-keys", json=body), 400)
    assert problem["errors"][0]["field"] == "expires_at"


@pytest.mark.parametrize(("trusted", "expected"), [("127.0.0.1", "203.0.113.9"), ("", "127.0.0.1")])
def test_a_named_reverse_proxy_passes_on_the_client_address(
    tmp_path: Path, trusted: str, expected: str
) -> None:
    """BATON_FORWARDED_ALLOW_IPS names the proxies whose X-Forwarded-For is believed; anyone
    else's is ignored (a client could otherwise pick its own address and its own allowance)."""
    server = ServerProcess(
        tmp_path / "baton.db", tmp_path / "server.log",
        BATON_ADMIN_PASSWORD=ADMIN_PASSWORD, BATON_FORWARDED_ALLOW_IPS=trusted,
    ).start()  # fmt: skip
    try:
        forwarded = {"X-Forwarded-For": "203.0.113.9"}
        body = {"username": "admin", "password": "not-it-at-all"}
        assert httpx.post(f"{server.url}/api/v1/auth/login", json=body, headers=forwarded).status_code == 401
        token = server_login(server.url)
        page = httpx.get(
            f"{server.url}{AUDIT}",
            params={"action": "auth.login_failed"},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        assert page["data"][0]["client"] == expected
    finally:
        server.stop()


def server_login(url: str) -> str:
    response = httpx.post(f"{url}/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]
