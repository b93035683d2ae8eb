"""Shared pieces of the security suite: the documented role → scope table, users of every role,
and jobs in the states the attacks need."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import yaml

from tests.conftest import REPO, LiveServer, wait_for_status

JOBS = "/api/v1/jobs"
FAR_FUTURE = (datetime.now(UTC) + timedelta(days=365)).isoformat()
SPEC_PATH = REPO / "openapi" / "baton.yaml"

# The contract (openapi/baton.yaml info.description and README "Access"), written out here on
# purpose: the matrix must not take its expectations from the code under test.
DOCUMENTED_SCOPES: dict[str, frozenset[str]] = {
    "admin": frozenset(
        {
            "admin", "jobs:read", "jobs:write", "metrics:read", "queues:write", "workers:read",
            "workers:write", "webhooks:read", "webhooks:write", "schedules:read", "schedules:write",
            "workflows:read", "workflows:write", "templates:read", "templates:write",
        }
    ),
    "manager": frozenset(
        {
            "jobs:read", "jobs:write", "metrics:read", "queues:write", "workers:read", "workers:write",
            "webhooks:read", "webhooks:write", "schedules:read", "schedules:write",
            "workflows:read", "workflows:write", "templates:read", "templates:write",
        }
    ),
    "member": frozenset(
        {
            "jobs:read", "jobs:write", "webhooks:read", "webhooks:write", "schedules:read", "schedules:write",
            "workflows:read", "workflows:write", "templates:read", "templates:write",
        }
    ),
    "viewer": frozenset({"jobs:read", "workers:read", "schedules:read", "workflows:read", "templates:read"}),
}  # fmt: skip
ROLES = tuple(DOCUMENTED_SCOPES)


def load_spec() -> dict:
    return yaml.safe_load(SPEC_PATH.read_text())


def missing_id() -> str:
    """A well-formed job id that no job has."""
    return str(uuid.uuid4())


def create_job(client: httpx.Client, **fields: object) -> dict:
    response = client.post(JOBS, json={"command": ["true"], **fields})
    assert response.status_code == 201, response.text
    return response.json()


def live_job(client: httpx.Client, **fields: object) -> dict:
    """A job that stays `scheduled` (so it can be patched and cancelled)."""
    job = create_job(client, run_at=FAR_FUTURE, **fields)
    assert job["status"] == "scheduled", job
    return job


def finished_job(client: httpx.Client, **fields: object) -> dict:
    """A job that ran once and completed: it has execution 1 and a log."""
    job = create_job(client, command=["echo", "security-suite-output"], **fields)
    return wait_for_status(client, job["id"], {"completed"})


def cancelled_job(client: httpx.Client, **fields: object) -> dict:
    """A terminal job without executions (retry and delete accept it)."""
    job = live_job(client, **fields)
    response = client.post(f"{JOBS}/{job['id']}/cancel")
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def tokens(server: LiveServer) -> dict[str, str]:
    """One access token per role (users created through the CLI)."""
    return {role: server.token(role) for role in ROLES}


@pytest.fixture(scope="module")
def clients(server: LiveServer, tokens: dict[str, str]) -> Iterator[dict[str, httpx.Client]]:
    made = {role: server.client(token) for role, token in tokens.items()}
    try:
        yield made
    finally:
        for client in made.values():
            client.close()


# lines the suite reports at the end of the run (counts the issue asks for)
SUMMARY: list[str] = []


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    # pytest may load this file as `security.conftest` while the tests import
    # `tests.security.conftest`: read the list the tests filled
    from tests.security import conftest as shared

    if shared.SUMMARY:
        terminalreporter.section("security suite")
        for line in shared.SUMMARY:
            terminalreporter.write_line(line)
