"""A server killed while a workflow runs leaves no workflow stuck: the next server settles the
killed step by its retry policy and moves the workflow on to the end."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.conftest import wait_for
from tests.test_recovery import client_for, kill_quietly, make_server  # noqa: F401 (a fixture)

pytestmark = pytest.mark.slow
FLOWS = "/api/v1/workflows"


def test_a_killed_server_leaves_no_workflow_stuck(make_server, tmp_path: Path) -> None:  # noqa: F811
    pidfile = tmp_path / "attempt-pids"
    # the first attempt records its pid and sleeps; the second (after the kill) succeeds at once
    script = f"if [ -e {pidfile} ]; then exit 0; fi; echo $$ > {pidfile}; exec sleep 300"
    body = {
        "name": "survivor",
        "steps": [
            {
                "name": "slow",
                "job": {"command": ["sh", "-c", script], "max_retries": 1, "retry_backoff_seconds": 0},
            },
            {"name": "after", "job": {"command": ["true"]}, "depends_on": ["slow"]},
            {"name": "last", "job": {"command": ["true"]}, "depends_on": ["after"]},
        ],
    }
    first = make_server()
    with client_for(first) as client:
        created = client.post(FLOWS, json=body)
        assert created.status_code == 201, created.text
        workflow_id = created.json()["id"]
        wait_for(pidfile.exists)
    first.stop(signal.SIGKILL)
    kill_quietly(int(pidfile.read_text().split()[0]))  # the machine died with it

    second = make_server()
    with client_for(second) as client:

        def done():
            found = client.get(f"{FLOWS}/{workflow_id}").json()
            return found if found["status"] != "running" else None

        workflow = wait_for(done, timeout=30)
        assert workflow["status"] == "completed", workflow
        steps = {s["name"]: s for s in workflow["steps"]}
        assert steps["after"]["started_at"] >= steps["slow"]["finished_at"]
        assert steps["last"]["started_at"] >= steps["after"]["finished_at"]
        assert client.get(f"/api/v1/jobs/{steps['slow']['job_id']}").json()["attempt"] == 2
    second.stop()
