"""Headers on every answer: browser hardening, and CORS only for the configured origins."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from baton.settings import Settings, SettingsError
from tests.conftest import LiveServer, ThreadedServer, make_settings

HARDENING = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def check_hardened(response: httpx.Response) -> None:
    for name, value in HARDENING.items():
        assert response.headers.get(name) == value, (response.request.url, name)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_every_kind_of_answer_is_hardened(server: LiveServer, admin: httpx.Client) -> None:
    answers = [
        admin.get("/api/v1/jobs"),  # JSON
        admin.get("/api/v1/jobs/not-a-uuid"),  # problem from validation
        httpx.get(server.url + "/api/v1/jobs"),  # 401 from security
        admin.put("/api/v1/jobs", json={}),  # 405 from an outer middleware
        admin.post(
            "/api/v1/jobs", content=b"x" * (2 * 1024 * 1024), headers={"Content-Type": "application/json"}
        ),
        httpx.get(server.url + "/health"),
        httpx.get(server.url + "/openapi.json"),
    ]
    assert [a.status_code for a in answers] == [200, 400, 401, 405, 413, 200, 200]
    for answer in answers:
        check_hardened(answer)
        assert answer.headers["content-security-policy"].startswith("default-src 'none'")
    docs = httpx.get(server.url + "/docs/")
    assert docs.status_code == 200
    check_hardened(docs)
    assert "script-src 'self'" in docs.headers["content-security-policy"]  # Swagger UI still works
    assert "strict-transport-security" not in docs.headers  # plain HTTP: HSTS would be ignored anyway
    assert "access-control-allow-origin" not in answers[0].headers  # no CORS unless configured


def test_cors_for_allowed_origins_only(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "cors.db", cors_origins="https://ops.example, http://localhost:3000")
    with ThreadedServer(settings) as url:
        preflight = httpx.options(
            url + "/api/v1/jobs",
            headers={
                "Origin": "https://ops.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type, idempotency-key, x-api-key",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://ops.example"
        assert "POST" in preflight.headers["access-control-allow-methods"]
        assert "access-control-allow-credentials" not in preflight.headers
        simple = httpx.get(url + "/health", headers={"Origin": "http://localhost:3000"})
        assert simple.headers["access-control-allow-origin"] == "http://localhost:3000"
        assert "ETag" in simple.headers["access-control-expose-headers"]
        # a browser app can read its rate-limit allowance
        assert "X-RateLimit-Remaining" in simple.headers["access-control-expose-headers"]
        other = httpx.get(url + "/health", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
        refused = httpx.options(
            url + "/api/v1/jobs",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"BATON_CORS_ORIGINS": "*", "BATON_CORS_ALLOW_CREDENTIALS": "true"},
            "not with BATON_CORS_ORIGINS=*",
        ),
        ({"BATON_CORS_ORIGINS": "ops.example"}, "is not an origin"),
        ({"BATON_CORS_ORIGINS": "https://ops.example/path"}, "is not an origin"),
    ],
)
def test_unsafe_cors_settings_stop_start_up(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)
