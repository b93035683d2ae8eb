"""Signing-key rotation (`kid`): new tokens use the new key, tokens signed with the previous one
stay valid until they expire, unknown and retired keys are refused."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import httpx
import jwt
import pytest

from baton import keyring
from baton.keyring import Keyring, SigningKey, kid_of
from baton.timeutil import utcnow
from tests.conftest import ADMIN_PASSWORD, ThreadedServer, assert_problem, make_settings, run_cli

ME = "/api/v1/auth/me"
KEY_1 = "first-signing-key-that-is-long-enough-000000"
KEY_2 = "second-signing-key-that-is-long-enough-11111"


def login(url: str) -> dict:
    response = httpx.post(f"{url}/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()


def me(url: str, token: str) -> httpx.Response:
    return httpx.get(url + ME, headers={"Authorization": f"Bearer {token}"})


def kid(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"]


def test_rotating_the_database_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring, "RELOAD_SECONDS", 0.2)  # the server runs in this process
    settings = make_settings(tmp_path / "keys.db", secret_key=None)
    with ThreadedServer(settings) as url:
        old = login(url)
        old_kid = kid(old["access_token"])
        result = run_cli("keys", "rotate", settings=settings)
        assert result.returncode == 0, result.stderr
        new_kid = result.stdout.split()[3].rstrip(";")
        assert new_kid != old_kid
        time.sleep(0.3)
        fresh = login(url)
        assert kid(fresh["access_token"]) == kid(fresh["refresh_token"]) == new_kid
        # tokens of the previous key keep working until they expire
        assert me(url, old["access_token"]).status_code == 200
        refreshed = httpx.post(f"{url}/api/v1/auth/refresh", json={"refresh_token": old["refresh_token"]})
        assert refreshed.status_code == 200 and kid(refreshed.json()["access_token"]) == new_kid
        assert me(url, fresh["access_token"]).status_code == 200
        # a kid the server does not know is refused, even with a valid signature
        claims = jwt.decode(fresh["access_token"], options={"verify_signature": False})
        stored = {kid_of(value): value for _, value, _ in _secrets(settings)}
        forged = jwt.encode(claims, stored[new_kid], algorithm="HS256", headers={"kid": "0123456789abcdef"})
        assert_problem(me(url, forged), 401, "INVALID_TOKEN")
        assert_problem(
            me(url, _signed({"alg": "HS256", "kid": ["x"]}, claims, stored[new_kid])), 401, "INVALID_TOKEN"
        )


def _signed(header: dict, claims: dict, secret: str) -> str:
    """A token with any header at all (pyjwt refuses to write a non-string kid)."""
    import base64
    import hashlib
    import hmac
    import json

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    head = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
    return head + "." + b64(hmac.new(secret.encode(), head.encode(), hashlib.sha256).digest())


def _secrets(settings) -> list[tuple[str, str, object]]:
    import asyncio

    from baton.backends.storage import create_storage

    async def read() -> list:
        storage = create_storage(settings.database_url)
        await storage.connect()
        try:
            return await storage.list_secrets()
        finally:
            await storage.close()

    return asyncio.run(read())


def test_rotating_a_key_from_the_environment(tmp_path: Path) -> None:
    db = tmp_path / "env-keys.db"
    with ThreadedServer(make_settings(db, secret_key=KEY_1)) as url:
        token = login(url)["access_token"]
    assert kid(token) == kid_of(KEY_1)
    with ThreadedServer(make_settings(db, secret_key=KEY_2, previous_secret_keys=KEY_1)) as url:
        assert me(url, token).status_code == 200
        assert kid(login(url)["access_token"]) == kid_of(KEY_2)
    with ThreadedServer(make_settings(db, secret_key=KEY_2)) as url:
        assert_problem(me(url, token), 401, "INVALID_TOKEN")
    result = run_cli("keys", "rotate", settings=make_settings(db), extra_env={"BATON_SECRET_KEY": KEY_2})
    assert result.returncode == 2 and "BATON_PREVIOUS_SECRET_KEYS" in result.stderr


def test_a_key_is_retired_once_its_tokens_have_expired() -> None:
    settings = make_settings(None, secret_key=None, refresh_token_seconds=3600, access_token_seconds=900)
    ring = Keyring(storage=None, settings=settings)  # type: ignore[arg-type]
    now = utcnow()
    keys = [
        SigningKey("a" * 16, "k1", now - timedelta(hours=5)),  # superseded 3 hours ago: retired
        SigningKey("b" * 16, "k2", now - timedelta(hours=3)),  # superseded 30 minutes ago: kept
        SigningKey("c" * 16, "k3", now - timedelta(minutes=30)),  # current
    ]
    assert set(ring._still_valid(keys)) == {"b" * 16, "c" * 16}
