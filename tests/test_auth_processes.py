"""A revocation made on one server process holds on every other within a second, though each
process keeps verified credentials in memory (baton/authcache.py): logout, a disabled user and a
revoked API key travel through the event log (PostgreSQL NOTIFY, or a poll on SQLite)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_PASSWORD, ServerProcess
from tests.databases import create_database, drop_database

pytestmark = pytest.mark.slow

ME = "/api/v1/auth/me"
MAX_DELAY = 1.0  # seconds: what the README promises


def refused_within(url: str, headers: dict[str, str], limit: float) -> float:
    """Seconds until the credential is refused by this server (it was accepted before)."""
    began = time.monotonic()
    while time.monotonic() - began < limit + 2:
        if httpx.get(f"{url}{ME}", headers=headers).status_code == 401:
            return time.monotonic() - began
        time.sleep(0.02)
    raise AssertionError(f"still accepted after {limit + 2} s")


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_logout_and_revocation_on_one_process_hold_on_another(tmp_path: Path, kind: str) -> None:
    url = create_database(kind, tmp_path)
    common = {"BATON_DATABASE_URL": url, "BATON_ADMIN_PASSWORD": ADMIN_PASSWORD}
    a = ServerProcess(tmp_path / "baton.db", tmp_path / "a.log", **common)
    b = ServerProcess(tmp_path / "baton.db", tmp_path / "b.log", **common)
    try:
        a.start()
        b.start()
        login = {"username": "admin", "password": ADMIN_PASSWORD}
        token = httpx.post(f"{a.url}/api/v1/auth/login", json=login).json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}
        assert httpx.get(f"{b.url}{ME}", headers=bearer).status_code == 200  # B caches it now
        assert httpx.post(f"{a.url}/api/v1/auth/logout", headers=bearer).status_code == 204
        delay = refused_within(b.url, bearer, MAX_DELAY)
        assert delay < MAX_DELAY, delay

        fresh = httpx.post(f"{a.url}/api/v1/auth/login", json=login).json()["access_token"]
        admin = {"Authorization": f"Bearer {fresh}"}
        key = httpx.post(
            f"{a.url}/api/v1/api-keys", headers=admin, json={"name": "k", "scopes": ["jobs:read"]}
        )
        assert key.status_code == 201, key.text
        with_key = {"X-API-Key": key.json()["key"]}
        assert httpx.get(f"{b.url}/api/v1/jobs", headers=with_key).status_code == 200
        assert httpx.delete(f"{a.url}/api/v1/api-keys/{key.json()['id']}", headers=admin).status_code in {
            200,
            204,
        }
        began = time.monotonic()
        while httpx.get(f"{b.url}/api/v1/jobs", headers=with_key).status_code == 200:
            assert time.monotonic() - began < MAX_DELAY + 2, "the revoked key is still accepted"
            time.sleep(0.02)
        assert time.monotonic() - began < MAX_DELAY
        print(f"{kind}: logout held on the other process after {delay:.3f}s")

        # queues are kept in memory for submits too (baton/queuecache.py): a change made on A
        # reaches B's next submits within the same delay
        later = {"command": ["true"], "queue": "shared", "run_at": "2999-01-01T00:00:00Z"}
        assert httpx.post(f"{b.url}/api/v1/jobs", headers=admin, json=later).json()["timeout_seconds"] == 3600
        queue = {"name": "shared", "default_timeout_seconds": 77}
        assert httpx.post(f"{a.url}/api/v1/queues", headers=admin, json=queue).status_code == 201
        began = time.monotonic()
        while httpx.post(f"{b.url}/api/v1/jobs", headers=admin, json=later).json()["timeout_seconds"] != 77:
            assert time.monotonic() - began < MAX_DELAY + 2, "B still submits with the old defaults"
            time.sleep(0.02)
        assert time.monotonic() - began < MAX_DELAY
    finally:
        for server in (a, b):
            if server.proc is not None and server.proc.poll() is None:
                server.stop()
        drop_database(url)
