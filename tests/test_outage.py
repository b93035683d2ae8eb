"""While the database does not answer: /health stays up, /ready and every API call that needs
the database answer 503 problem+json with Retry-After (never 500, never a misleading 401), the
background loops survive, and everything recovers by itself when the database is back."""

from __future__ import annotations

from pathlib import Path

import httpx
from baton.backends.storage.runner import SQLiteRunner

from tests.conftest import ThreadedServer, assert_problem, make_settings, wait_for_status


def test_database_outage_is_503_and_recovers(tmp_path: Path) -> None:
    threaded = ThreadedServer(make_settings(tmp_path / "baton.db"))
    with threaded as url, httpx.Client(base_url=url, timeout=30) as client:
        token = client.post(
            "/api/v1/auth/login", json={"username": "admin", "password": "admin-test-password"}
        )
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        storage = threaded.services.storage
        healthy = storage._runner
        # a database file that cannot be opened: every new statement fails to connect
        storage._runner = SQLiteRunner(f"{tmp_path}/missing-dir/nope.db", lambda *_: None)
        try:
            assert client.get("/health").status_code == 200
            for response in [
                client.get("/ready"),
                client.get("/api/v1/jobs"),
                client.post("/api/v1/jobs", json={"command": ["true"]}),
                client.post("/api/v1/auth/login", json={"username": "admin", "password": "x"}),
            ]:
                body = assert_problem(response, 503, "DATABASE_UNAVAILABLE")
                assert response.headers["retry-after"] == "5"
                assert "nope.db" not in body["detail"]
        finally:
            storage._runner = healthy
        assert client.get("/ready").status_code == 200
        job = client.post("/api/v1/jobs", json={"command": ["echo", "back"]}).json()
        assert wait_for_status(client, job["id"], {"completed"})["exit_code"] == 0
