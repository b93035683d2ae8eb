"""API keys through HTTP: created once with a `bt_` secret, stored hashed, scoped within the
creator's role (checked against the spec's per-operation scopes), expiring, revocable, and acting
as their user (ownership, role changes, disabling)."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from baton_client import Client
from baton_client.api.api_keys import create_api_key
from baton_client.api.jobs import list_jobs
from baton_client.models import ApiKeyCreate, ApiKeyCreated, JobPage, Scope

from tests.conftest import USER_PASSWORD, LiveServer, assert_problem

KEYS = "/api/v1/api-keys"
JOBS = "/api/v1/jobs"


def later(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


@pytest.fixture(scope="module")
def member(server: LiveServer) -> Iterator[httpx.Client]:
    with server.client(server.token("member")) as client:
        yield client


def new_key(client: httpx.Client, *scopes: str, **fields: object) -> dict:
    response = client.post(KEYS, json={"name": "robot", "scopes": list(scopes), **fields})
    assert response.status_code == 201, response.text
    return response.json()


def keyed(server: LiveServer, key: str) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers={"X-API-Key": key}, timeout=30)


def test_a_key_is_shown_once_and_stored_only_as_a_hash(server: LiveServer, member: httpx.Client) -> None:
    response = member.post(KEYS, json={"name": "ci runner", "scopes": ["jobs:read", "jobs:write"]})
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    created = response.json()
    secret = created["key"]
    assert secret.startswith("bt_") and secret.startswith(created["prefix"] + "_") and len(secret) > 50
    assert response.headers["location"] == f"{KEYS}/{created['id']}"
    assert created["owner"] == "member-user" and created["active"] is True
    assert created["scopes"] == ["jobs:read", "jobs:write"] and created["last_used_at"] is None
    digest = hashlib.sha256(secret.encode()).hexdigest()
    for response in (member.get(KEYS), member.get(f"{KEYS}/{created['id']}")):
        assert response.status_code == 200
        assert secret not in response.text and digest not in response.text
        assert secret[len(created["prefix"]) :] not in response.text
    listed = member.get(KEYS).json()["data"]
    assert created["id"] in [key["id"] for key in listed] and all("key" not in key for key in listed)


def test_a_key_acts_as_its_user(server: LiveServer, member: httpx.Client) -> None:
    key = new_key(member, "jobs:read", "jobs:write")
    with keyed(server, key["key"]) as robot:
        me = robot.get("/api/v1/auth/me").json()
        assert me["username"] == "member-user"
        job = robot.post(JOBS, json={"command": ["true"], "run_at": later(3600)})
        assert job.status_code == 201, job.text
        assert job.json()["owner"] == "member-user"
        assert member.get(f"{JOBS}/{job.json()['id']}").status_code == 200
        # a member's key sees what the member sees: not the admin's jobs
        admin_job = server.client(server.token("admin")).post(
            JOBS, json={"command": ["true"], "run_at": later(3600)}
        )
        assert_problem(robot.get(f"{JOBS}/{admin_job.json()['id']}"), 404)
    used = member.get(f"{KEYS}/{key['id']}").json()
    assert used["last_used_at"] is not None


def test_a_read_only_key_cannot_write(server: LiveServer, member: httpx.Client) -> None:
    key = new_key(member, "jobs:read")
    with keyed(server, key["key"]) as robot:
        assert robot.get(JOBS).status_code == 200
        body = assert_problem(robot.post(JOBS, json={"command": ["true"]}), 403, "FORBIDDEN")
        assert "jobs:write" in body["detail"]
        assert_problem(robot.post(f"{JOBS}/batch", json={"jobs": [{"command": ["true"]}]}), 403)
    assert all(job["owner"] != "member-user" or job["status"] for job in member.get(JOBS).json()["data"])


def test_scopes_must_be_held_by_the_creator(server: LiveServer, member: httpx.Client) -> None:
    before = len(member.get(KEYS, params={"limit": 100}).json()["data"])
    body = assert_problem(
        member.post(KEYS, json={"name": "too much", "scopes": ["jobs:read", "workers:write"]}),
        422,
        "SCOPE_NOT_HELD",
    )
    assert "workers:write" in body["detail"]
    assert_problem(member.post(KEYS, json={"name": "x", "scopes": ["root"]}), 400)
    assert_problem(member.post(KEYS, json={"name": "x", "scopes": []}), 400)
    assert_problem(member.post(KEYS, json={"name": "x", "scopes": ["jobs:read"], "owner": "admin"}), 400)
    assert len(member.get(KEYS, params={"limit": 100}).json()["data"]) == before


def test_expiry(server: LiveServer, member: httpx.Client) -> None:
    assert_problem(
        member.post(KEYS, json={"name": "old", "scopes": ["jobs:read"], "expires_at": later(-60)}),
        422,
        "EXPIRY_IN_PAST",
    )
    key = new_key(member, "jobs:read", expires_at=later(1.5))
    with keyed(server, key["key"]) as robot:
        assert robot.get(JOBS).status_code == 200
        time.sleep(2)
        assert_problem(robot.get(JOBS), 401, "API_KEY_EXPIRED")
    assert member.get(f"{KEYS}/{key['id']}").json()["active"] is False


def test_revocation_is_immediate_and_idempotent(server: LiveServer, member: httpx.Client) -> None:
    key = new_key(member, "jobs:read")
    with keyed(server, key["key"]) as robot:
        assert robot.get(JOBS).status_code == 200
        assert member.delete(f"{KEYS}/{key['id']}").status_code == 204
        assert_problem(robot.get(JOBS), 401, "API_KEY_REVOKED")
    assert member.delete(f"{KEYS}/{key['id']}").status_code == 204
    revoked = member.get(f"{KEYS}/{key['id']}").json()
    assert revoked["revoked_at"] is not None and revoked["active"] is False


def test_other_users_keys_are_invisible_except_to_admins(server: LiveServer, member: httpx.Client) -> None:
    key = new_key(member, "jobs:read")
    with server.client(server.token("viewer")) as viewer:
        assert_problem(viewer.get(f"{KEYS}/{key['id']}"), 404, "API_KEY_NOT_FOUND")
        assert_problem(viewer.delete(f"{KEYS}/{key['id']}"), 404, "API_KEY_NOT_FOUND")
        assert key["id"] not in [k["id"] for k in viewer.get(KEYS).json()["data"]]
    with server.client(server.token("admin")) as admin:
        assert admin.get(f"{KEYS}/{key['id']}").json()["owner"] == "member-user"
        assert admin.delete(f"{KEYS}/{key['id']}").status_code == 204
    assert member.get(f"{KEYS}/{key['id']}").json()["active"] is False


def test_keys_cannot_manage_keys_or_log_out(server: LiveServer, member: httpx.Client) -> None:
    key = new_key(member, "jobs:read", "jobs:write")
    with keyed(server, key["key"]) as robot:
        # a key is a credential, just not one these operations take: 403 that says so, not a 401
        # "No authorization token provided" that sends the caller looking for a broken header
        for response in (
            robot.post(KEYS, json={"name": "child", "scopes": ["jobs:read"]}),
            robot.get(KEYS),
            robot.get(f"{KEYS}/{key['id']}"),
            robot.delete(f"{KEYS}/{key['id']}"),
            robot.post("/api/v1/auth/logout"),
        ):
            problem = assert_problem(response, 403, "BEARER_TOKEN_REQUIRED")
            assert "API key" in problem["detail"] and "bearer token" in problem["detail"]
    assert member.get(f"{KEYS}/{key['id']}").json()["active"] is True
    # the key is not even looked at there: a made-up one gets the same answer, no key oracle
    with keyed(server, "bt_0123456789ab_" + "A" * 43) as stranger:
        assert_problem(stranger.get(KEYS), 403, "BEARER_TOKEN_REQUIRED")
    # with a bearer token beside it, the token is what counts
    both = member.get(KEYS, headers={"X-API-Key": key["key"]})
    assert both.status_code == 200, both.text


@pytest.mark.parametrize(
    "presented",
    ["bt_0123456789ab_" + "A" * 43, "not-a-key", "bt_", "bt_" + "x" * 500, "Bearer abc", "bt_0123456789ab_"],
)
def test_unknown_keys_are_401(server: LiveServer, presented: str) -> None:
    with keyed(server, presented) as robot:
        assert_problem(robot.get(JOBS), 401, "INVALID_API_KEY")


def test_a_tampered_key_is_401(server: LiveServer, member: httpx.Client) -> None:
    secret = new_key(member, "jobs:read")["key"]
    tampered = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    with keyed(server, tampered) as robot:
        assert_problem(robot.get(JOBS), 401, "INVALID_API_KEY")


def test_role_changes_and_disabling_reach_keys_at_the_next_request(server: LiveServer) -> None:
    admin = server.client(server.token("admin"))
    user = admin.post(
        "/api/v1/users", json={"username": "robot-op", "password": USER_PASSWORD, "role": "manager"}
    )
    assert user.status_code == 201, user.text
    with server.client(server.login("robot-op", USER_PASSWORD)["access_token"]) as manager:
        key = new_key(manager, "workers:read", "jobs:read")
    with keyed(server, key["key"]) as robot:
        assert robot.get("/api/v1/workers").status_code == 200
        assert admin.patch(f"/api/v1/users/{user.json()['id']}", json={"role": "member"}).status_code == 200
        # the key keeps its scopes on paper, but a member has no workers:read
        assert_problem(robot.get("/api/v1/workers"), 403, "FORBIDDEN")
        assert robot.get(JOBS).status_code == 200
        assert admin.patch(f"/api/v1/users/{user.json()['id']}", json={"disabled": True}).status_code == 200
        assert_problem(robot.get(JOBS), 401, "API_KEY_REVOKED")


def test_bearer_and_key_together_use_the_token(server: LiveServer, member: httpx.Client) -> None:
    key = new_key(member, "jobs:read")
    headers = {"X-API-Key": key["key"], "Authorization": f"Bearer {server.token('admin')}"}
    me = httpx.get(f"{server.url}/api/v1/auth/me", headers=headers).json()
    assert me["username"] == "admin"


def test_generated_client_with_an_api_key(server: LiveServer) -> None:
    from baton_client import AuthenticatedClient

    with AuthenticatedClient(base_url=server.url, token=server.token("member"), timeout=30) as client:
        created = create_api_key.sync(client=client, body=ApiKeyCreate(name="sdk", scopes=[Scope.JOBSREAD]))
    assert isinstance(created, ApiKeyCreated) and created.key.startswith("bt_")
    with Client(base_url=server.url, headers={"X-API-Key": created.key}, timeout=30) as client:
        page = list_jobs.sync(client=client)
    assert isinstance(page, JobPage)


def test_swagger_ui_offers_both_ways_to_authorize(server: LiveServer) -> None:
    schemes = httpx.get(f"{server.url}/openapi.json").json()["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {**schemes["ApiKey"], "type": "apiKey", "in": "header", "name": "X-API-Key"}
    assert schemes["OAuth2"]["flows"]["password"]["tokenUrl"] == "/api/v1/auth/token"
    docs = httpx.get(f"{server.url}/docs/")
    assert docs.status_code == 200 and "swagger-ui" in docs.text
    # what the Authorize dialog does with a key: the header on the next call
    with server.client(server.token("viewer")) as viewer:
        key = new_key(viewer, "jobs:read")["key"]
    assert httpx.get(f"{server.url}/api/v1/jobs", headers={"X-API-Key": key}).status_code == 200
