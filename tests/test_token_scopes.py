"""Narrowed tokens (RFC 6749 §3.3): `scope` at the OAuth2 token endpoint and `scopes` at the JSON
login grant the requested scopes the user's role holds, the token carries them (and so does every
token refreshed from it), every operation holds the caller to them, and the token response says
which were granted."""

from __future__ import annotations

import httpx
import jwt
import pytest

from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD, LiveServer, assert_problem

TOKEN = "/api/v1/auth/token"
JOBS = "/api/v1/jobs"
LATER = "2099-01-01T00:00:00Z"
ADMIN_SCOPES = (
    "admin jobs:read jobs:write metrics:read queues:write schedules:read schedules:write "
    "templates:read templates:write webhooks:read webhooks:write workers:read workers:write "
    "workflows:read workflows:write"
)


def grant(server: LiveServer, **form: str) -> httpx.Response:
    return httpx.post(f"{server.url}{TOKEN}", data=form)


def password_grant(server: LiveServer, username: str = "admin", **form: str) -> httpx.Response:
    password = ADMIN_PASSWORD if username == "admin" else USER_PASSWORD
    return grant(server, grant_type="password", username=username, password=password, **form)


def as_bearer(server: LiveServer, token: str) -> httpx.Client:
    return server.client(token)


def can_write(server: LiveServer, token: str) -> httpx.Response:
    with as_bearer(server, token) as client:
        return client.post(JOBS, json={"command": ["true"], "run_at": LATER})


def test_a_token_asked_for_jobs_read_cannot_submit_jobs(server: LiveServer) -> None:
    response = password_grant(server, scope="jobs:read")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["scope"] == "jobs:read"
    with as_bearer(server, body["access_token"]) as client:
        assert client.get(JOBS).status_code == 200
        problem = assert_problem(client.post(JOBS, json={"command": ["true"]}), 403, "FORBIDDEN")
        assert "jobs:write" in problem["detail"]
        assert_problem(client.get("/api/v1/users"), 403, "FORBIDDEN")
        # what the token may do reaches the services too: no API key with more than it holds
        key = client.post("/api/v1/api-keys", json={"name": "wider", "scopes": ["jobs:write"]})
        assert_problem(key, 422, "SCOPE_NOT_HELD")
    assert jwt.decode(body["access_token"], options={"verify_signature": False})["scope"] == "jobs:read"


def test_without_scope_the_token_has_the_roles_scopes_and_says_so(server: LiveServer) -> None:
    body = password_grant(server).json()
    assert body["scope"] == ADMIN_SCOPES
    assert can_write(server, body["access_token"]).status_code == 201
    login = httpx.post(
        f"{server.url}/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}
    )
    assert login.json()["scope"] == ADMIN_SCOPES


def test_scopes_the_role_lacks_are_left_out(server: LiveServer) -> None:
    server.token("member")  # creates member-user
    body = password_grant(server, "member-user", scope="jobs:read admin workers:write").json()
    assert body["scope"] == "jobs:read"
    with as_bearer(server, body["access_token"]) as client:
        assert_problem(client.get("/api/v1/audit-events"), 403, "FORBIDDEN")


@pytest.mark.parametrize("scope", ["jobs:read everything", "JOBS:READ", "jobs:read\tadmin"])
def test_an_unknown_scope_is_400_invalid_scope(server: LiveServer, scope: str) -> None:
    problem = assert_problem(password_grant(server, scope=scope), 400, "INVALID_SCOPE")
    assert problem["errors"][0]["field"] == "scope"


def test_asking_only_for_scopes_the_role_lacks_is_400_invalid_scope(server: LiveServer) -> None:
    server.token("viewer")
    assert_problem(password_grant(server, "viewer-user", scope="jobs:write"), 400, "INVALID_SCOPE")


def test_refresh_keeps_the_granted_scopes_and_may_narrow_them_further(server: LiveServer) -> None:
    first = password_grant(server, scope="jobs:read jobs:write").json()
    assert first["scope"] == "jobs:read jobs:write"
    again = grant(server, grant_type="refresh_token", refresh_token=first["refresh_token"]).json()
    assert again["scope"] == "jobs:read jobs:write"
    assert can_write(server, again["access_token"]).status_code == 201
    with as_bearer(server, again["access_token"]) as client:
        assert_problem(client.get("/api/v1/users"), 403, "FORBIDDEN")
    # RFC 6749 §6: a refresh may ask for less, never for more than was granted
    narrower = grant(
        server, grant_type="refresh_token", refresh_token=again["refresh_token"], scope="jobs:read admin"
    ).json()
    assert narrower["scope"] == "jobs:read"
    assert_problem(can_write(server, narrower["access_token"]), 403, "FORBIDDEN")
    # the JSON refresh keeps them too
    json_refresh = httpx.post(
        f"{server.url}/api/v1/auth/refresh", json={"refresh_token": narrower["refresh_token"]}
    ).json()
    assert json_refresh["scope"] == "jobs:read"
    wider = grant(
        server, grant_type="refresh_token", refresh_token=json_refresh["refresh_token"], scope="admin"
    )
    assert_problem(wider, 400, "INVALID_SCOPE")


def test_json_login_takes_scopes_too(server: LiveServer) -> None:
    body = {"username": "admin", "password": ADMIN_PASSWORD, "scopes": ["jobs:read", "workers:read"]}
    response = httpx.post(f"{server.url}/api/v1/auth/login", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == "jobs:read workers:read"
    assert_problem(can_write(server, response.json()["access_token"]), 403, "FORBIDDEN")
    unknown = httpx.post(f"{server.url}/api/v1/auth/login", json={**body, "scopes": ["root"]})
    assert_problem(unknown, 400, "VALIDATION_ERROR")


def test_a_narrowed_token_follows_a_demotion(server: LiveServer, admin: httpx.Client) -> None:
    user = {"username": "scoped-mgr", "role": "manager", "password": USER_PASSWORD}
    created = admin.post("/api/v1/users", json=user)
    assert created.status_code == 201, created.text
    body = password_grant(server, "scoped-mgr", scope="jobs:write queues:write").json()
    assert body["scope"] == "jobs:write queues:write"
    assert admin.patch(f"/api/v1/users/{created.json()['id']}", json={"role": "member"}).status_code == 200
    with as_bearer(server, body["access_token"]) as client:
        assert_problem(client.post("/api/v1/queues", json={"name": "scoped-q"}), 403, "FORBIDDEN")
