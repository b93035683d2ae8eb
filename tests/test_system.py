"""Health, readiness, info, the served spec, Swagger UI, request ids and routing errors."""

from __future__ import annotations

import re

import httpx
import pytest
import yaml
from baton.backends.execution.local import host_labels
from sqlalchemy.engine import make_url

from tests.conftest import LiveServer, assert_problem


def test_health_needs_no_auth(server: LiveServer) -> None:
    response = httpx.get(f"{server.url}/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_checks_the_database(server: LiveServer) -> None:
    response = httpx.get(f"{server.url}/ready")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def test_info_names_backends_without_secrets(server: LiveServer) -> None:
    info = httpx.get(f"{server.url}/info").json()
    assert info["name"] == "baton" and info["api_version"] == "v1"
    dialect = server.settings.database_url.split("+")[0]
    assert info["storage"] == {"backend": dialect}
    assert info["executor"] == {"backend": "local", "concurrency": 4, "labels": host_labels()}
    text = str(info)
    assert server.settings.secret_key not in text
    url = make_url(server.settings.database_url)
    # no host, no password (a user name like "postgres" may well be part of "postgresql")
    for part in (url.host, url.password):
        assert not part or part not in text
    assert ".db" not in text and "baton_test" not in text  # no file or database name


def test_spec_served_as_json_and_yaml(server: LiveServer) -> None:
    as_json = httpx.get(f"{server.url}/openapi.json", timeout=30)  # the first one renders the spec
    assert as_json.status_code == 200 and as_json.json()["openapi"] == "3.0.3"
    as_yaml = httpx.get(f"{server.url}/openapi.yaml", timeout=30)
    assert as_yaml.status_code == 200
    assert yaml.safe_load(as_yaml.text)["paths"].keys() == as_json.json()["paths"].keys()


def test_swagger_ui_is_served_offline(server: LiveServer) -> None:
    page = httpx.get(f"{server.url}/docs/", follow_redirects=True)
    assert page.status_code == 200 and "swagger-ui" in page.text
    # the bundle comes from this server, not from a CDN
    assert "unpkg.com" not in page.text and "cdn" not in page.text.lower()
    bundle = httpx.get(f"{server.url}/docs/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.content) > 100_000


def test_redoc_is_served_offline_under_a_self_only_policy(server: LiveServer) -> None:
    page = httpx.get(f"{server.url}/redoc")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<redoc spec-url="openapi.json"' in page.text
    # every script is a file of this server: no CDN, nothing inline
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page.text, re.S)
    assert scripts and all('src="redoc/' in attrs and not body.strip() for attrs, body in scripts)
    assert "//" not in "".join(attrs for attrs, _ in scripts)
    policy = dict(
        part.strip().split(" ", 1)
        for part in page.headers["content-security-policy"].split(";")
        if part.strip()
    )
    assert policy["script-src"] == "'self'" and policy["connect-src"] == "'self'"
    assert policy["default-src"] == "'none'" and policy["img-src"] == "'self' data:"
    # styles: this server's, and the bundle's own fixed inline ones by hash, nothing else
    styles = policy["style-src"].split()
    assert styles[0] == "'self'" and all(s.startswith("'sha256-") for s in styles[1:])
    assert not any("unsafe" in value or "*" in value or "http" in value for value in policy.values())
    assert httpx.get(f"{server.url}/redoc/baton-redoc.css").headers["content-type"].startswith("text/css")
    bundle = httpx.get(f"{server.url}/redoc/redoc.standalone.js")
    assert bundle.status_code == 200 and len(bundle.content) > 500_000
    assert bundle.headers["content-type"].startswith(("application/javascript", "text/javascript"))
    assert "content-security-policy" in bundle.headers
    # the spec it renders is served beside it
    assert httpx.get(f"{server.url}/openapi.json").status_code == 200
    assert httpx.get(f"{server.url}/redoc/nothing.js").status_code == 404


def test_request_id_is_echoed_or_generated(server: LiveServer) -> None:
    echoed = httpx.get(f"{server.url}/health", headers={"X-Request-ID": "trace-abc.123"})
    assert echoed.headers["x-request-id"] == "trace-abc.123"
    unsafe = httpx.get(f"{server.url}/health", headers={"X-Request-ID": "bad id\twith spaces"})
    assert unsafe.headers["x-request-id"] != "bad id\twith spaces"
    assert len(unsafe.headers["x-request-id"]) == 16


def test_unknown_path_is_problem_json(server: LiveServer) -> None:
    assert_problem(httpx.get(f"{server.url}/api/v1/nothing-here"), 404, "NOT_FOUND")


def test_wrong_method_is_405_problem_json(server: LiveServer) -> None:
    response = httpx.put(f"{server.url}/health")
    body = assert_problem(response, 405, "METHOD_NOT_ALLOWED")
    assert body["instance"] == "/health"


def test_405_allow_lists_every_method_of_the_path(server: LiveServer) -> None:
    # Connexion adds one route per method, so Starlette named only the first route's methods
    jobs = httpx.request("OPTIONS", f"{server.url}/api/v1/jobs")
    assert_problem(jobs, 405, "METHOD_NOT_ALLOWED")
    assert set(jobs.headers["allow"].split(", ")) == {"GET", "HEAD", "POST"}
    one = httpx.request("PUT", f"{server.url}/api/v1/jobs/0190a8a4-4a5e-7b51-9a4c-3f0f7d1e2a11")
    assert set(one.headers["allow"].split(", ")) == {"GET", "HEAD", "DELETE", "PATCH"}


def test_unroutable_paths_still_get_problem_json(server: LiveServer) -> None:
    # a newline in the path does not match the mount's pattern: the outer app answers
    for path in ["/api/v1/jobs/a%0Ab/retry", "/%0A"]:
        assert_problem(httpx.post(f"{server.url}{path}"), 404, "NOT_FOUND")


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PATCH", "/api/v1/jobs/batch", "POST"),
        ("DELETE", "/api/v1/jobs/cancel", "POST"),
        ("GET", "/api/v1/jobs/batch", "POST"),
        ("PUT", "/api/v1/jobs", "GET, HEAD, POST"),
    ],
)
def test_a_fixed_path_answers_405_to_a_method_it_lacks(
    admin: httpx.Client, method: str, path: str, allow: str
) -> None:
    # PATCH /jobs/batch must not fall through to PATCH /jobs/{job_id} (a 400 for a bad id)
    response = admin.request(method, path, json={})
    assert_problem(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == allow
