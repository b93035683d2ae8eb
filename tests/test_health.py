"""Health conventions users try: GET /healthz (the same as /ready) and GET /health/details, each
dependency's status and how long its check took."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.conftest import LiveServer, ThreadedServer, assert_problem, free_port, make_settings


def test_healthz_is_ready_by_another_name(server: LiveServer) -> None:
    healthz, ready = httpx.get(f"{server.url}/healthz"), httpx.get(f"{server.url}/ready")
    assert healthz.status_code == ready.status_code == 200
    assert healthz.json() == ready.json()
    # a probe: never rate limited, no credentials needed
    assert "x-ratelimit-limit" not in healthz.headers


def test_health_details_names_each_dependency_with_its_latency(server: LiveServer) -> None:
    response = httpx.get(f"{server.url}/health/details")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok"
    dialect = server.settings.database_url.split("+")[0]
    database, executor = body["checks"]["database"], body["checks"]["executor"]
    assert database["status"] == "ok" and database["backend"] == dialect
    assert executor["status"] == "ok" and executor["backend"] == "local"
    for check in body["checks"].values():
        assert isinstance(check["latency_ms"], int | float) and 0 <= check["latency_ms"] < 5000
    # rate limits are per process here: nothing to check
    assert "rate_limits" not in body["checks"]
    assert server.settings.database_url not in response.text


def test_a_database_that_does_not_answer_makes_details_503(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    running = ThreadedServer(make_settings(tmp_path / "baton.db"))
    with running as url, httpx.Client(base_url=url) as client:
        assert client.get("/health/details").json()["status"] == "ok"

        async def down() -> None:
            raise ConnectionRefusedError("database is down")

        monkeypatch.setattr(running.services.storage, "ping", down)
        response = client.get("/health/details")
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "unavailable"
        assert body["checks"]["database"]["status"] == "error"
        assert body["checks"]["database"]["error"] == "ConnectionRefusedError"
        assert "database is down" not in response.text  # the class, never the message
        assert body["checks"]["executor"]["status"] == "ok"
        assert client.get("/healthz").status_code == 503


def test_shared_rate_limits_that_do_not_answer_only_degrade(tmp_path: Path) -> None:
    # nothing listens there: limits fall back to per-process buckets, the server still serves
    settings = make_settings(tmp_path / "baton.db", redis_url=f"redis://127.0.0.1:{free_port()}/0")
    with ThreadedServer(settings) as url:
        response = httpx.get(f"{url}/health/details")
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["status"] == "degraded"
        assert body["checks"]["rate_limits"]["status"] == "error"
        assert body["checks"]["rate_limits"]["backend"] == "redis"
        assert body["checks"]["database"]["status"] == "ok"


@pytest.mark.parametrize("path", ["/health", "/ready", "/healthz", "/health/details", "/info"])
def test_probes_refuse_unknown_query_parameters_as_declared(server: LiveServer, path: str) -> None:
    # strict validation answers 400 here too; the spec now declares it (Redocly found it missing)
    problem = assert_problem(
        httpx.get(f"{server.url}{path}", params={"verbose": "1"}), 400, "VALIDATION_ERROR"
    )
    assert problem["errors"] == [{"field": "query.verbose", "message": "Unknown query parameter"}]
