"""The users API through HTTP (admins only): create, list, get, change role, disable, set password."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import LiveServer, assert_problem

USERS = "/api/v1/users"
PASSWORD = "a long enough passphrase"


def create(admin: httpx.Client, username: str, role: str = "member") -> dict:
    response = admin.post(USERS, json={"username": username, "role": role, "password": PASSWORD})
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"{USERS}/{response.json()['id']}"
    return response.json()


def login(server: LiveServer, username: str, password: str = PASSWORD) -> httpx.Response:
    return httpx.post(f"{server.url}/api/v1/auth/login", json={"username": username, "password": password})


def test_create_get_and_log_in(server: LiveServer, admin: httpx.Client) -> None:
    user = create(admin, "u-alice")
    assert user["role"] == "member" and user["disabled"] is False
    assert user["scopes"] == [
        "jobs:read",
        "jobs:write",
        "schedules:read",
        "schedules:write",
        "templates:read",
        "templates:write",
        "webhooks:read",
        "webhooks:write",
        "workflows:read",
        "workflows:write",
    ]
    assert "password" not in user and "password_hash" not in user
    fetched = admin.get(f"{USERS}/{user['id']}")
    assert fetched.json() == user and fetched.headers["etag"]
    assert (
        admin.get(f"{USERS}/{user['id']}", headers={"If-None-Match": fetched.headers["etag"]}).status_code
        == 304
    )
    assert login(server, "u-alice").status_code == 200
    assert_problem(
        admin.post(USERS, json={"username": "u-alice", "role": "viewer", "password": PASSWORD}),
        409,
        "USER_EXISTS",
    )


def test_list_pages_by_username(admin: httpx.Client) -> None:
    for name in ("u-list-c", "u-list-a", "u-list-b"):
        create(admin, name, "viewer")
    names, cursor = [], None
    while True:
        page = admin.get(USERS, params={"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        names += [user["username"] for user in page["data"]]
        cursor = page["pagination"]["next_cursor"]
        if not cursor:
            break
    assert names == sorted(names) and len(names) == len(set(names))
    assert {"u-list-a", "u-list-b", "u-list-c", "admin"} <= set(names)
    assert_problem(admin.get(USERS, params={"cursor": "bm9wZQ"}), 400, "INVALID_CURSOR")


def test_a_role_change_applies_at_the_next_request(server: LiveServer, admin: httpx.Client) -> None:
    user = create(admin, "u-demoted", "member")
    token = login(server, "u-demoted").json()["access_token"]
    with server.client(token) as client:
        assert client.post("/api/v1/jobs", json={"command": ["true"]}).status_code == 201
        changed = admin.patch(f"{USERS}/{user['id']}", json={"role": "viewer"})
        assert changed.status_code == 200 and changed.json()["scopes"] == [
            "jobs:read",
            "schedules:read",
            "templates:read",
            "workers:read",
            "workflows:read",
        ]
        assert_problem(client.post("/api/v1/jobs", json={"command": ["true"]}), 403, "FORBIDDEN")
        assert client.get("/api/v1/auth/me").json()["role"] == "viewer"


def test_disabling_ends_sessions_for_good(server: LiveServer, admin: httpx.Client) -> None:
    user = create(admin, "u-disabled")
    pair = login(server, "u-disabled").json()
    with server.client(pair["access_token"]) as client:
        assert client.get("/api/v1/auth/me").status_code == 200
        assert admin.patch(f"{USERS}/{user['id']}", json={"disabled": True}).json()["disabled"] is True
        assert_problem(client.get("/api/v1/auth/me"), 401)
        assert_problem(login(server, "u-disabled"), 401, "INVALID_CREDENTIALS")
        admin.patch(f"{USERS}/{user['id']}", json={"disabled": False})
        # enabling does not revive the old session: the user logs in again
        assert_problem(client.get("/api/v1/auth/me"), 401, "SESSION_REVOKED")
        refreshed = httpx.post(
            f"{server.url}/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
        )
        assert_problem(refreshed, 401)
    assert login(server, "u-disabled").status_code == 200


def test_setting_a_password_ends_sessions(server: LiveServer, admin: httpx.Client) -> None:
    user = create(admin, "u-reset")
    token = login(server, "u-reset").json()["access_token"]
    response = admin.put(f"{USERS}/{user['id']}/password", json={"password": "another passphrase"})
    assert response.status_code == 204
    with server.client(token) as client:
        assert_problem(client.get("/api/v1/auth/me"), 401, "SESSION_REVOKED")
    assert_problem(login(server, "u-reset"), 401, "INVALID_CREDENTIALS")
    assert login(server, "u-reset", "another passphrase").status_code == 200
    short = admin.put(f"{USERS}/{user['id']}/password", json={"password": "short"})
    problem = assert_problem(short, 400, "VALIDATION_ERROR")
    assert "short" not in short.text.replace("minLength", "")  # the secret is not echoed
    assert problem["errors"][0]["field"] == "password"


def test_the_last_admin_stays(server: LiveServer, admin: httpx.Client) -> None:
    me = admin.get("/api/v1/auth/me").json()
    for change in ({"role": "manager"}, {"disabled": True}):
        assert_problem(admin.patch(f"{USERS}/{me['id']}", json=change), 409, "LAST_ADMIN")
    second = create(admin, "u-admin-2", "admin")
    assert admin.patch(f"{USERS}/{second['id']}", json={"role": "member"}).status_code == 200
    assert admin.get("/api/v1/auth/me").json()["role"] == "admin"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"id": "01a1f4a4-0000-7000-8000-000000000000"}, 422, "READ_ONLY_FIELD"),
        ({"username": "renamed"}, 422, "READ_ONLY_FIELD"),
        ({"scopes": ["admin"]}, 422, "READ_ONLY_FIELD"),
        ({"password_hash": "x"}, 400, "VALIDATION_ERROR"),
        ({"role": "root"}, 400, "VALIDATION_ERROR"),
        ({"disabled": "yes"}, 400, "VALIDATION_ERROR"),
    ],
)
def test_bad_patches_change_nothing(admin: httpx.Client, body: dict, status: int, code: str) -> None:
    user = create(admin, f"u-patch-{abs(hash(str(body))) % 10**8}")
    assert_problem(admin.patch(f"{USERS}/{user['id']}", json=body), status, code)
    assert admin.get(f"{USERS}/{user['id']}").json() == user


@pytest.mark.parametrize("role", ["manager", "member", "viewer"])
def test_only_admins_manage_users(server: LiveServer, role: str) -> None:
    with server.client(server.token(role)) as client:
        assert_problem(client.get(USERS), 403, "FORBIDDEN")
        body = {"username": f"u-by-{role}", "role": "admin", "password": PASSWORD}
        assert_problem(client.post(USERS, json=body), 403, "FORBIDDEN")


def test_unknown_user_is_404(admin: httpx.Client) -> None:
    missing = f"{USERS}/01a1f4a4-0000-7000-8000-000000000000"
    assert_problem(admin.get(missing), 404, "USER_NOT_FOUND")
    assert_problem(admin.patch(missing, json={"role": "viewer"}), 404, "USER_NOT_FOUND")
    assert_problem(admin.put(f"{missing}/password", json={"password": PASSWORD}), 404, "USER_NOT_FOUND")
