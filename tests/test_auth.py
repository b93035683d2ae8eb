"""Login, token rotation, revocation, and every way a bad token must be refused."""

from __future__ import annotations

import base64
import json
import time

import httpx
import jwt
import pytest

from tests.conftest import ADMIN_PASSWORD, LiveServer, assert_problem

LOGIN = "/api/v1/auth/login"


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def claims_of(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def me(server: LiveServer, token: str) -> httpx.Response:
    return httpx.get(f"{server.url}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})


def test_login_returns_a_token_pair(server: LiveServer) -> None:
    response = httpx.post(f"{server.url}{LOGIN}", json={"username": "admin", "password": ADMIN_PASSWORD})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == server.settings.access_token_seconds
    claims = claims_of(body["access_token"])
    assert claims["iss"] == "baton" and claims["aud"] == "baton:access"
    assert {"exp", "iat", "nbf", "jti", "sub", "sid"} <= claims.keys()
    assert jwt.get_unverified_header(body["access_token"])["alg"] == "HS256"


def test_me_reports_user_role_and_scopes(server: LiveServer) -> None:
    body = me(server, server.token("admin")).json()
    assert body["username"] == "admin" and body["role"] == "admin"
    assert set(body["scopes"]) == {
        "admin",
        "jobs:read",
        "jobs:write",
        "metrics:read",
        "queues:write",
        "workers:read",
        "workers:write",
        "webhooks:read",
        "webhooks:write",
        "schedules:read",
        "schedules:write",
        "templates:read",
        "templates:write",
        "workflows:read",
        "workflows:write",
    }
    assert "password" not in json.dumps(body)


@pytest.mark.parametrize(
    "credentials",
    [{"username": "admin", "password": "wrong"}, {"username": "nobody", "password": ADMIN_PASSWORD}],
    ids=["wrong-password", "unknown-user"],
)
def test_bad_credentials_get_the_same_401(server: LiveServer, credentials: dict) -> None:
    body = assert_problem(httpx.post(f"{server.url}{LOGIN}", json=credentials), 401, "INVALID_CREDENTIALS")
    assert body["detail"] == "Invalid username or password"


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"username": "admin"},
        {"username": 5, "password": "x"},
        {"username": "", "password": "x"},
        {"username": "admin", "password": "x", "role": "admin"},
    ],
)
def test_malformed_login_is_400(server: LiveServer, payload: dict) -> None:
    assert_problem(httpx.post(f"{server.url}{LOGIN}", json=payload), 400, "VALIDATION_ERROR")


def test_refresh_rotates_and_reuse_revokes_the_session(server: LiveServer) -> None:
    first = server.login("admin", ADMIN_PASSWORD)
    refreshed = httpx.post(
        f"{server.url}/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert refreshed.status_code == 200
    second = refreshed.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert me(server, second["access_token"]).status_code == 200

    # presenting the used refresh token again means it leaked: the whole session ends
    reused = httpx.post(f"{server.url}/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert_problem(reused, 401, "REFRESH_TOKEN_REUSED")
    assert_problem(me(server, second["access_token"]), 401, "SESSION_REVOKED")
    assert_problem(me(server, first["access_token"]), 401, "SESSION_REVOKED")
    again = httpx.post(f"{server.url}/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert_problem(again, 401, "SESSION_REVOKED")


def test_logout_revokes_access_and_refresh_tokens(server: LiveServer) -> None:
    pair = server.login("admin", ADMIN_PASSWORD)
    out = httpx.post(
        f"{server.url}/api/v1/auth/logout", headers={"Authorization": f"Bearer {pair['access_token']}"}
    )
    assert out.status_code == 204 and out.content == b""
    assert_problem(me(server, pair["access_token"]), 401, "SESSION_REVOKED")
    refresh = httpx.post(f"{server.url}/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert_problem(refresh, 401, "SESSION_REVOKED")
    # other sessions of the same user are untouched
    assert me(server, server.token("admin")).status_code == 200


def test_oauth2_password_and_refresh_grants(server: LiveServer) -> None:
    token_url = f"{server.url}/api/v1/auth/token"
    issued = httpx.post(
        token_url, data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD}
    )
    assert issued.status_code == 200, issued.text
    pair = issued.json()
    assert me(server, pair["access_token"]).status_code == 200
    refreshed = httpx.post(
        token_url, data={"grant_type": "refresh_token", "refresh_token": pair["refresh_token"]}
    )
    assert refreshed.status_code == 200
    missing = httpx.post(token_url, data={"grant_type": "password", "username": "admin"})
    body = assert_problem(missing, 400, "VALIDATION_ERROR")
    assert body["errors"] == [{"field": "password", "message": "Required for this grant_type"}]
    bad_grant = httpx.post(token_url, data={"grant_type": "client_credentials"})
    assert_problem(bad_grant, 400)
    wrong = httpx.post(token_url, data={"grant_type": "password", "username": "admin", "password": "nope"})
    assert_problem(wrong, 401, "INVALID_CREDENTIALS")


def forge(server: LiveServer, **changes: object) -> str:
    """A token signed with the server's real key, with some claims changed."""
    real = claims_of(server.token("admin"))
    claims = {**real, **changes}
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, server.settings.secret_key, algorithm="HS256")


def bad_tokens(server: LiveServer) -> dict[str, str]:
    now = int(time.time())
    real = server.token("admin")
    header, payload, signature = real.split(".")
    return {
        "alg-none": f"{b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.",
        "alg-none-uppercase": f"{b64({'alg': 'NONE', 'typ': 'JWT'})}.{payload}.",
        "other-key": jwt.encode(
            claims_of(real), "another-secret-key-of-sufficient-length!", algorithm="HS256"
        ),
        "hs512": jwt.encode(claims_of(real), server.settings.secret_key, algorithm="HS512"),
        "tampered-payload": f"{header}.{b64({**claims_of(real), 'sub': 'someone-else'})}.{signature}",
        "expired": forge(server, exp=now - 3600, iat=now - 7200, nbf=now - 7200),
        "not-yet-valid": forge(server, nbf=now + 3600),
        "wrong-audience": forge(server, aud="someone-else"),
        "refresh-audience": forge(server, aud="baton:refresh"),
        "wrong-issuer": forge(server, iss="evil"),
        "no-exp": forge(server, exp=None),
        "no-sid": forge(server, sid=None),
        "unknown-session": forge(server, sid="00000000-0000-7000-8000-000000000000"),
        "garbage": "not.a.token",
        "empty-segments": "..",
    }


def test_every_bad_token_is_401(server: LiveServer) -> None:
    for name, token in bad_tokens(server).items():
        response = me(server, token)
        assert response.status_code == 401, f"{name}: {response.status_code} {response.text}"
        assert_problem(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")


def test_refresh_token_is_not_an_access_token(server: LiveServer) -> None:
    pair = server.login("admin", ADMIN_PASSWORD)
    assert_problem(me(server, pair["refresh_token"]), 401, "INVALID_TOKEN")
    access_as_refresh = httpx.post(
        f"{server.url}/api/v1/auth/refresh", json={"refresh_token": pair["access_token"]}
    )
    assert_problem(access_as_refresh, 401, "INVALID_TOKEN")


@pytest.mark.parametrize("header", ["Basic YWRtaW46eA==", "Bearer", "Bearer a b", "Token abc", "bearer"])
def test_malformed_authorization_header_is_401(server: LiveServer, header: str) -> None:
    response = httpx.get(f"{server.url}/api/v1/jobs", headers={"Authorization": header})
    assert_problem(response, 401)


def test_missing_token_is_401_everywhere_but_public_paths(server: LiveServer) -> None:
    for method, path in [
        ("GET", "/api/v1/jobs"),
        ("POST", "/api/v1/jobs"),
        ("GET", "/api/v1/auth/me"),
        ("POST", "/api/v1/auth/logout"),
    ]:
        assert_problem(httpx.request(method, f"{server.url}{path}"), 401, "UNAUTHORIZED")
    for path in ["/health", "/info", "/openapi.json"]:
        assert httpx.get(f"{server.url}{path}").status_code == 200
