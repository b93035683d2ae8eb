"""Hostile input: fields a caller must not set, oversized and malformed bodies, absurd parameters,
and secrets that must never come back. Every refusal is a 4xx problem+json that changes nothing;
nothing is ever a 5xx."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest

from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD, LiveServer, assert_problem
from tests.security.conftest import FAR_FUTURE, JOBS, SUMMARY, finished_job, live_job, load_spec, missing_id

OPERATION_IDS = {
    op["operationId"] for item in load_spec()["paths"].values() for op in item.values() if "operationId" in op
}
LOGIN = "/api/v1/auth/login"
ELEVEN_MB = 11 * 1024 * 1024
# fields of a job the server decides; a caller setting them is mass assignment
SERVER_FIELDS = {
    "id": "0190a8a4-4a5e-7b51-9a4c-3f0f7d1e2a11",
    "status": "completed",
    "owner": "admin",
    "owner_id": "0190a8a4-4a5e-7b51-9a4c-3f0f7d1e2a11",
    "attempt": 7,
    "retries_used": 3,
    "created_at": "2020-01-01T00:00:00Z",
    "updated_at": "2020-01-01T00:00:00Z",
    "started_at": "2020-01-01T00:00:00Z",
    "finished_at": "2020-01-01T00:00:00Z",
    "exit_code": 0,
    "worker": "evil",
    "error": None,
}
# the Job fields a PATCH may not change (422 READ_ONLY_FIELD, per update_job's description)
READ_ONLY = {
    "id": "0190a8a4-4a5e-7b51-9a4c-3f0f7d1e2a11",
    "status": "completed",
    "owner": "admin",
    "attempt": 7,
    "retries_used": 0,
    "command": ["rm", "-rf", "/"],
    "name": "renamed",
    "queue": "other",
    "timeout_seconds": 1,
    "max_retries": 25,
    "created_at": "2020-01-01T00:00:00Z",
    "exit_code": 0,
}


def names_in(client: httpx.Client, name: str) -> list[str]:
    return [job["id"] for job in client.get(JOBS, params={"name": name}).json()["data"]]


def fields_of(body: dict) -> set[str]:
    return {error["field"] for error in body.get("errors", [])}


# -- mass assignment ---------------------------------------------------------------------------


@pytest.mark.parametrize("field", SERVER_FIELDS)
def test_create_refuses_server_fields(admin: httpx.Client, field: str) -> None:
    name = f"mass-{field}-{time.monotonic_ns()}"
    body = {"name": name, "command": ["true"], "run_at": FAR_FUTURE, field: SERVER_FIELDS[field]}
    problem = assert_problem(admin.post(JOBS, json=body), 400, "VALIDATION_ERROR")
    assert field in fields_of(problem), problem
    assert names_in(admin, name) == []


@pytest.mark.skipif("create_jobs" not in OPERATION_IDS, reason="no batch endpoint in the spec")
@pytest.mark.parametrize("field", ["status", "owner", "id", "attempt"])
def test_batch_create_refuses_server_fields(admin: httpx.Client, field: str) -> None:
    name = f"mass-batch-{field}-{time.monotonic_ns()}"
    ok = {"name": name, "command": ["true"], "run_at": FAR_FUTURE}
    body = {"atomic": False, "jobs": [ok, {**ok, field: SERVER_FIELDS[field]}]}
    problem = assert_problem(admin.post(f"{JOBS}/batch", json=body), 400, "VALIDATION_ERROR")
    assert any(field in f for f in fields_of(problem)), problem
    assert names_in(admin, name) == []  # the schema rejects the body as a whole


@pytest.mark.parametrize("field", READ_ONLY)
def test_patch_refuses_read_only_fields(admin: httpx.Client, field: str) -> None:
    job = live_job(admin)
    before = admin.get(f"{JOBS}/{job['id']}").json()
    for body in ({field: READ_ONLY[field]}, {"priority": 0, field: READ_ONLY[field]}):
        response = admin.patch(f"{JOBS}/{job['id']}", json=body)
        problem = assert_problem(response, 422, "READ_ONLY_FIELD")
        assert fields_of(problem) == {field}, problem
    assert admin.get(f"{JOBS}/{job['id']}").json() == before


@pytest.mark.parametrize("field", ["owner_id", "worker", "lease_expires_at", "password", "__proto__"])
def test_patch_refuses_fields_jobs_do_not_have(admin: httpx.Client, field: str) -> None:
    job = live_job(admin)
    before = admin.get(f"{JOBS}/{job['id']}").json()
    response = admin.patch(f"{JOBS}/{job['id']}", json={field: "x"})
    problem = assert_problem(response, 400, "VALIDATION_ERROR")
    assert field in fields_of(problem), problem
    assert admin.get(f"{JOBS}/{job['id']}").json() == before


def test_login_cannot_choose_a_role(server: LiveServer) -> None:
    body = {"username": "viewer-user", "password": USER_PASSWORD, "role": "admin", "scope": "admin"}
    server.token("viewer")
    assert_problem(httpx.post(f"{server.url}{LOGIN}", json=body), 400, "VALIDATION_ERROR")
    # the OAuth2 form's scope only narrows: asking for more than the role never adds a scope
    form = {"grant_type": "password", "username": "viewer-user", "password": USER_PASSWORD}
    refused = httpx.post(f"{server.url}/api/v1/auth/token", data={**form, "scope": "admin jobs:write"})
    assert_problem(refused, 400, "INVALID_SCOPE")
    issued = httpx.post(f"{server.url}/api/v1/auth/token", data={**form, "scope": "admin jobs:read"})
    assert issued.status_code == 200, issued.text
    assert issued.json()["scope"] == "jobs:read"
    token = issued.json()["access_token"]
    jobs = httpx.post(
        f"{server.url}/api/v1/jobs", json={"command": ["true"]}, headers={"Authorization": f"Bearer {token}"}
    )
    assert_problem(jobs, 403, "FORBIDDEN")


# -- body size ---------------------------------------------------------------------------------


def send_big(server: LiveServer, path: str, token: str | None, chunked: bool) -> httpx.Response | None:
    """POST 11 MB of JSON; None when the server closed the connection before we finished sending
    (a refusal too, but then the 413 could not be read)."""
    payload = b'{"command": ["true"], "name": "' + b"x" * ELEVEN_MB + b'"}'
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    content = (payload[i : i + 65536] for i in range(0, len(payload), 65536)) if chunked else payload
    try:
        return httpx.post(f"{server.url}{path}", content=content, headers=headers, timeout=60)
    except (httpx.WriteError, httpx.RemoteProtocolError, httpx.ReadError):
        return None


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("path", [JOBS, LOGIN])
def test_eleven_megabytes_is_413(server: LiveServer, path: str, chunked: bool) -> None:
    response = send_big(server, path, server.token("admin"), chunked)
    assert response is not None, "the connection was dropped instead of answering 413"
    assert_problem(response, 413, "BODY_TOO_LARGE")
    assert httpx.get(f"{server.url}/health").status_code == 200


def raw_status(server: LiveServer, request: bytes) -> int | None:
    """Send bytes no HTTP client library would send; the status of the answer, or None when the
    connection was closed without one."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        received = b""
        try:
            while b"\r\n" not in received:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                received += chunk
        except (TimeoutError, ConnectionResetError):
            pass
    if not received.startswith(b"HTTP/1.1 "):
        return None
    return int(received.split(b" ", 2)[1])


@pytest.mark.parametrize("value", ["99999999999999999999", "-1", "1e3", "12 34", "0x10"])
def test_a_lying_content_length_is_refused(server: LiveServer, value: str) -> None:
    body = b'{"username": "admin", "password": "x"}'
    request = (
        f"POST {LOGIN} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {value}\r\nConnection: close\r\n\r\n"
    ).encode() + body
    status = raw_status(server, request)
    assert status is None or 400 <= status < 500, status
    assert httpx.get(f"{server.url}/health").status_code == 200


# -- parameters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "limit",
    [
        "1e9",
        "1000000000",
        "-1",
        "0",
        "101",
        "abc",
        "1.5",
        "",
        "0x10",
        "1 0",
        "1_0",  # Python's int() syntax, not a decimal integer
        "\u096f",  # a Devanagari nine
    ],
)
def test_absurd_limits_are_400(admin: httpx.Client, limit: str) -> None:
    job = finished_job(admin)
    for path in (JOBS, f"{JOBS}/{job['id']}/executions"):
        problem = assert_problem(admin.get(path, params={"limit": limit}), 400, "VALIDATION_ERROR")
        assert "query.limit" in fields_of(problem), problem


@pytest.mark.skipif("get_execution_log" not in OPERATION_IDS, reason="no log endpoint in the spec")
@pytest.mark.parametrize(
    "params",
    [{"limit": "-1"}, {"limit": "abc"}, {"offset": "-5"}, {"offset": "1e99"}, {"stream": "../../etc/passwd"}],
)
def test_absurd_log_parameters_are_400(admin: httpx.Client, params: dict) -> None:
    job = finished_job(admin)
    response = admin.get(f"{JOBS}/{job['id']}/executions/1/log", params=params)
    assert_problem(response, 400, "VALIDATION_ERROR")


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "x" * 5000},
        {"cursor": "\x00"},
        {"status": "pending,\x00"},
        {"name": "a\x00b"},
        {"label": "k=\x00"},
        {"queue": "a\x00"},
        {"created_after": "2020-13-45T99:99:99Z"},
        {"created_after": "9999999999-01-01T00:00:00Z"},
        {"sort": "id; DROP TABLE jobs"},
        {"limit": "10", "limit ": "10"},
    ],
)
def test_hostile_query_strings_are_400(admin: httpx.Client, params: dict) -> None:
    assert_problem(admin.get(JOBS, params=params), 400)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/jobs/%00",
        "/api/v1/jobs/%FF%FE",
        "/api/v1/jobs/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/jobs/" + "a" * 5000,
    ],
)
def test_hostile_paths_are_4xx(server: LiveServer, admin: httpx.Client, path: str) -> None:
    response = admin.get(path)
    assert response.status_code in {400, 404}, response.text[:300]
    assert_problem(response, response.status_code)


# -- bodies ----------------------------------------------------------------------------------------

NUL_BODIES = {
    "name": {"command": ["true"], "name": "a\x00b"},
    "command": {"command": ["tr\x00ue"]},
    "label-value": {"command": ["true"], "labels": {"k": "v\x00"}},
    "label-key": {"command": ["true"], "labels": {"k\x00": "v"}},
    "queue": {"command": ["true"], "queue": "q\x00"},
    "run-at": {"command": ["true"], "run_at": "2030-01-01T00:00:00Z\x00"},
}


@pytest.mark.parametrize("case", NUL_BODIES)
def test_nul_bytes_are_400(admin: httpx.Client, case: str) -> None:
    assert_problem(admin.post(JOBS, json=NUL_BODIES[case]), 400, "VALIDATION_ERROR")


def test_nul_bytes_in_credentials_are_refused(server: LiveServer) -> None:
    for body in (
        {"username": "ad\x00min", "password": ADMIN_PASSWORD},
        {"username": "admin", "password": "\x00"},
    ):
        response = httpx.post(f"{server.url}{LOGIN}", json=body)
        assert response.status_code in {400, 401}, response.text
        assert_problem(response, response.status_code)


INVALID_UTF8 = b'{"command": ["true"], "name": "\xff\xfe caf\xe9"}'


def test_invalid_utf8_is_400(server: LiveServer, admin: httpx.Client) -> None:
    job = live_job(admin)
    headers = {"Content-Type": "application/json"}
    for method, path, client in [
        ("POST", JOBS, admin),
        ("PATCH", f"{JOBS}/{job['id']}", admin),
        ("POST", LOGIN, httpx.Client(base_url=server.url)),
        ("POST", "/api/v1/auth/refresh", httpx.Client(base_url=server.url)),
    ]:
        response = client.request(method, path, content=INVALID_UTF8, headers=headers)
        assert_problem(response, 400, "INVALID_ENCODING")


@pytest.mark.parametrize(
    "raw",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"command": ["true"], "labels": {"k": ' + b"[" * 5000 + b"]" * 5000 + b"}}",
        b'{"command": ["true"], "name": "\\ud800"}',
        b'{"command": ["true"], "priority": 123456789012345678901234567890}',
        b'{"command": ["true"], "priority": NaN}',
        b'{"command": ["true"]} trailing',
        b'{"command": ["true"], "command": ["rm"]}',
    ],
    ids=["deep-array", "deep-in-label", "lone-surrogate", "huge-integer", "nan", "trailing", "duplicate-key"],
)
def test_malformed_json_is_400(admin: httpx.Client, raw: bytes) -> None:
    response = admin.post(JOBS, content=raw, headers={"Content-Type": "application/json"})
    if raw.count(b'"command"') == 2:
        # duplicate keys are legal JSON (last wins) but must never run the first command silently
        assert response.status_code in {201, 400}, response.text
        if response.status_code == 201:
            assert response.json()["command"] == ["rm"]
            admin.post(f"{JOBS}/{response.json()['id']}/cancel")
        return
    assert_problem(response, 400)


# -- secrets never come back --------------------------------------------------------------------


def test_no_response_leaks_a_secret(server: LiveServer, admin: httpx.Client) -> None:
    """Collect answers from every kind of endpoint (successes and failures, with and without a
    token) and scan bodies and headers for passwords, password hashes, the signing key and tokens."""
    admin_token = server.token("admin")
    member_token = server.token("member")
    job = finished_job(admin)
    issued: list[str] = []
    token_answers: list[httpx.Response] = []
    other: list[httpx.Response] = []
    anon = httpx.Client(base_url=server.url, timeout=30)

    pair = server.login("admin", ADMIN_PASSWORD)
    issued += [pair["access_token"], pair["refresh_token"], admin_token, member_token]
    for response in (
        anon.post(LOGIN, json={"username": "admin", "password": ADMIN_PASSWORD}),
        anon.post(
            "/api/v1/auth/token",
            data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD},
        ),
        anon.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}),
    ):
        assert response.status_code == 200, response.text
        token_answers.append(response)
        issued += [response.json()["access_token"], response.json()["refresh_token"]]

    other += [
        anon.get("/health"),
        anon.get("/ready"),
        anon.get("/info"),
        anon.get("/openapi.json"),
        anon.get("/openapi.yaml"),
        anon.get("/docs/"),
        anon.get("/nowhere"),
        anon.delete("/health"),
        anon.get("/api/v1/jobs"),
        anon.post(LOGIN, json={"username": "admin", "password": ADMIN_PASSWORD + "x"}),
        anon.post(LOGIN, json={"username": "admin", "password": ADMIN_PASSWORD, "extra": ADMIN_PASSWORD}),
        anon.post(LOGIN, json={"username": ["admin"], "password": ADMIN_PASSWORD}),
        anon.post(
            LOGIN,
            content=b"username=admin&password=" + ADMIN_PASSWORD.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        anon.post(
            "/api/v1/auth/token",
            data={"grant_type": "bogus", "username": "admin", "password": ADMIN_PASSWORD},
        ),
        anon.post("/api/v1/auth/token", data={"grant_type": "password", "username": "admin"}),
        anon.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}),  # reuse
        anon.post("/api/v1/auth/refresh", json={"refresh_token": pair["access_token"]}),
        anon.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"], "x": 1}),
        anon.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"] + "x"}),
        anon.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {pair['refresh_token']}"}),
        anon.get("/api/v1/auth/me", headers={"Authorization": f"Basic {pair['access_token']}"}),
        anon.get("/api/v1/jobs", params={"access_token": admin_token}),
    ]
    for token in (admin_token, member_token):
        auth = {"Authorization": f"Bearer {token}"}
        other += [
            anon.get("/api/v1/auth/me", headers=auth),
            anon.get(JOBS, headers=auth),
            anon.get(f"{JOBS}/{job['id']}", headers=auth),
            anon.get(f"{JOBS}/{job['id']}/executions", headers=auth),
            anon.get(f"{JOBS}/{missing_id()}", headers=auth),
            anon.post(JOBS, headers=auth, json={"command": ["true"], "password": ADMIN_PASSWORD}),
            anon.post(JOBS, headers=auth, json={"command": ["true"], "name": 5}),
        ]
        if "get_execution_log" in OPERATION_IDS:
            other.append(anon.get(f"{JOBS}/{job['id']}/executions/1/log", headers=auth))

    secrets = {
        "admin password": ADMIN_PASSWORD,
        "user password": USER_PASSWORD,
        "password hash": "$argon2",
        "signing key": server.settings.secret_key,
    }
    checked = 0
    for response in [*token_answers, *other]:
        assert response.status_code < 500, (response.request.url, response.text[:300])
        text = response.text + "\n" + json.dumps(dict(response.headers))
        for what, secret in secrets.items():
            assert secret not in text, (
                f"{what} in the answer to {response.request.method} {response.request.url}"
            )
        if response not in token_answers:
            for token in issued:
                # the signature alone identifies a token; it must not be echoed anywhere else
                assert token.rsplit(".", 1)[-1] not in text, f"a token in {response.request.url}"
        checked += 1
    SUMMARY.append(
        f"secret scan: {checked} responses checked for passwords, hashes, the signing key and tokens"
    )


def test_request_ids_from_the_client_are_not_reflected_unsafely(server: LiveServer) -> None:
    for value in ("<script>alert(1)</script>", "a" * 500, "x\u00e9"):
        response = httpx.get(f"{server.url}/nowhere", headers={"X-Request-ID": value.encode("utf-8")})
        assert response.headers["x-request-id"] != value
        assert value not in response.text


def test_validation_errors_do_not_echo_credentials(server: LiveServer) -> None:
    pair = server.login("admin", ADMIN_PASSWORD)
    anon = httpx.Client(base_url=server.url, timeout=30)
    answers = [
        anon.post(LOGIN, json={"username": "admin", "password": [ADMIN_PASSWORD]}),
        anon.post(LOGIN, json={"username": "admin", "password": {"p": ADMIN_PASSWORD}}),
        anon.post(LOGIN, json={"username": "admin", "password": ADMIN_PASSWORD * 60}),
        anon.post(
            "/api/v1/auth/token",
            data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD * 60},
        ),
        anon.post("/api/v1/auth/refresh", json={"refresh_token": [pair["refresh_token"]]}),
    ]
    for response in answers:
        assert_problem(response, 400, "VALIDATION_ERROR")
    leaked = [
        f"{r.request.method} {r.request.url.path}"
        for r in answers
        if ADMIN_PASSWORD in r.text or pair["refresh_token"] in r.text
    ]
    assert not leaked, f"credentials echoed by {leaked}"
