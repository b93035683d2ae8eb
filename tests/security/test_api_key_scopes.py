"""API keys against every operation of the spec: a key never does more than its scopes, its
user's role, and the operation's declared scopes allow.

For each operation that accepts `X-API-Key`, an admin's key holding only `jobs:read` is sent with
a request whose path ids exist nowhere: where the operation's OAuth2 scopes are not all
`jobs:read` the answer must be 403 (security runs before anything looks at the ids), otherwise
anything but 401/403. Operations that accept only bearer tokens answer every key with 403
`BEARER_TOKEN_REQUIRED`. A
member's key that claims `workers:read` cannot be made (422), and a key with the `admin` scope
made by an admin loses it the moment the admin becomes a manager."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest

from tests.conftest import USER_PASSWORD, LiveServer, assert_problem
from tests.security.conftest import SUMMARY, load_spec

SPEC = load_spec()
HTTP_METHODS = ("get", "put", "post", "patch", "delete")
COUNTS = {"forbidden": 0, "allowed": 0, "bearer only": 0}
MADE_UP = {"queue_name": "nowhere", "attempt": "1"}  # other path parameters are ids: a random UUID


def operations() -> list[tuple[str, str, str, frozenset[str] | None]]:
    """(operationId, method, path with made-up ids, OAuth2 scopes or None if no API key)."""
    found = []
    for path, item in SPEC["paths"].items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            security = op.get("security", SPEC["security"])
            if security == []:
                continue  # public
            concrete = re.sub(r"\{([a-z_]+)\}", lambda m: MADE_UP.get(m.group(1), str(uuid.uuid4())), path)
            scopes = next((frozenset(r["OAuth2"]) for r in security if "OAuth2" in r), frozenset())
            takes_key = any("ApiKey" in r for r in security)
            found.append((op["operationId"], method.upper(), concrete, scopes if takes_key else None))
    return found


OPERATIONS = operations()


@pytest.fixture(scope="module")
def read_key(admin: httpx.Client) -> str:
    response = admin.post("/api/v1/api-keys", json={"name": "read-only", "scopes": ["jobs:read"]})
    assert response.status_code == 201, response.text
    return response.json()["key"]


@pytest.mark.parametrize(
    ("operation_id", "method", "path", "scopes"), OPERATIONS, ids=[o[0] for o in OPERATIONS]
)
def test_a_jobs_read_key_on_every_operation(
    server: LiveServer,
    read_key: str,
    operation_id: str,
    method: str,
    path: str,
    scopes: frozenset[str] | None,
) -> None:
    body = {} if method in {"POST", "PUT", "PATCH"} else None
    params = {"max_seconds": 1} if operation_id == "stream_events" else None  # the stream ends
    response = httpx.request(
        method, f"{server.url}{path}", headers={"X-API-Key": read_key}, json=body, params=params
    )
    if scopes is None:
        assert_problem(response, 403, "BEARER_TOKEN_REQUIRED")
        COUNTS["bearer only"] += 1
    elif scopes <= {"jobs:read"}:
        assert response.status_code not in {401, 403}, response.text
        COUNTS["allowed"] += 1
    else:
        body = assert_problem(response, 403, "FORBIDDEN")
        assert all(scope in body["detail"] for scope in scopes - {"jobs:read"})
        COUNTS["forbidden"] += 1
    if sum(COUNTS.values()) == len(OPERATIONS):
        SUMMARY.append(
            f"api keys: a jobs:read key on {len(OPERATIONS)} operations: {COUNTS['forbidden']} refused "
            f"(403), {COUNTS['allowed']} allowed, {COUNTS['bearer only']} bearer-only (403)"
        )


def test_a_key_cannot_outgrow_its_user(server: LiveServer, admin: httpx.Client) -> None:
    with server.client(server.token("member")) as member:
        assert_problem(member.post("/api/v1/api-keys", json={"name": "x", "scopes": ["workers:read"]}), 422)
    body = {"username": "temporary-admin", "password": USER_PASSWORD, "role": "admin"}
    user = admin.post("/api/v1/users", json=body).json()
    with server.client(server.login("temporary-admin", USER_PASSWORD)["access_token"]) as temporary:
        key = temporary.post("/api/v1/api-keys", json={"name": "audit", "scopes": ["admin"]}).json()["key"]
    assert httpx.get(f"{server.url}/api/v1/users", headers={"X-API-Key": key}).status_code == 200
    assert admin.patch(f"/api/v1/users/{user['id']}", json={"role": "manager"}).status_code == 200
    assert_problem(httpx.get(f"{server.url}/api/v1/users", headers={"X-API-Key": key}), 403, "FORBIDDEN")
