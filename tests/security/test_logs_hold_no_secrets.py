"""No secret is ever logged: a real `baton serve` at debug level goes through logins (right and
wrong), token refresh, API key creation and use, a password reset and refused tokens, and its
whole log (stdout and stderr) is then searched for every secret it saw."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.conftest import ADMIN_PASSWORD, ServerProcess
from tests.security.conftest import SUMMARY

NEW_PASSWORD = "a-brand-new-passphrase"
WRONG_PASSWORD = "wrong-passphrase-guess"


def test_the_server_log_holds_no_secret(tmp_path: Path) -> None:
    server = ServerProcess(
        tmp_path / "baton.db",
        tmp_path / "server.log",
        BATON_LOG_LEVEL="debug",
        BATON_ADMIN_PASSWORD=ADMIN_PASSWORD,
    ).start()
    secrets: list[str] = [ADMIN_PASSWORD, NEW_PASSWORD, WRONG_PASSWORD, server.env["BATON_SECRET_KEY"]]
    try:
        url = server.url
        assert (
            httpx.post(
                f"{url}/api/v1/auth/login", json={"username": "admin", "password": WRONG_PASSWORD}
            ).status_code
            == 401
        )
        pair = httpx.post(
            f"{url}/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}
        ).json()
        secrets += [pair["access_token"], pair["refresh_token"]]
        refreshed = httpx.post(
            f"{url}/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
        ).json()
        secrets += [refreshed["access_token"], refreshed["refresh_token"]]
        admin = {"Authorization": f"Bearer {refreshed['access_token']}"}
        key = httpx.post(
            f"{url}/api/v1/api-keys", headers=admin, json={"name": "k", "scopes": ["jobs:read"]}
        ).json()
        secrets.append(key["key"])
        assert httpx.get(f"{url}/api/v1/jobs", headers={"X-API-Key": key["key"]}).status_code == 200
        assert httpx.get(f"{url}/api/v1/jobs", headers={"X-API-Key": key["key"] + "x"}).status_code == 401
        user = httpx.post(
            f"{url}/api/v1/users",
            headers=admin,
            json={"username": "u1", "password": NEW_PASSWORD, "role": "member"},
        ).json()
        reset = httpx.put(
            f"{url}/api/v1/users/{user['id']}/password", headers=admin, json={"password": NEW_PASSWORD + "2"}
        )
        assert reset.status_code == 204
        secrets.append(NEW_PASSWORD + "2")
        # refused: a reused refresh token, a tampered access token, a password in a bad body
        assert (
            httpx.post(
                f"{url}/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
            ).status_code
            == 401
        )
        tampered = refreshed["access_token"][:-2] + "xx"
        assert (
            httpx.get(f"{url}/api/v1/jobs", headers={"Authorization": f"Bearer {tampered}"}).status_code
            == 401
        )
        assert (
            httpx.post(
                f"{url}/api/v1/auth/login", json={"username": "admin", "password": NEW_PASSWORD, "x": 1}
            ).status_code
            == 400
        )
    finally:
        server.stop()
    log = server.log()
    # the log really holds Baton's own lines, not only uvicorn's access log
    assert "ready: storage=sqlite executor=local" in log, log
    leaked = [secret for secret in secrets if secret in log]
    # a JWT's signature is its secret part: none may appear even without the rest
    leaked += [token for token in secrets if token.count(".") == 2 and token.rsplit(".", 1)[1] in log]
    assert not leaked, f"{len(leaked)} secret(s) in the server log"
    lines = len(log.splitlines())
    SUMMARY.append(f"log scan: {lines} server log lines at debug level, {len(secrets)} secrets, none found")
