"""A server that dies leaves no job running forever: at the next start (or when its lease runs
out) the job is re-queued or failed by its retry policy. A graceful stop re-queues for free."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_PASSWORD, ServerProcess, pid_alive, wait_for

pytestmark = pytest.mark.slow
JOBS = "/api/v1/jobs"


def client_for(server: ServerProcess) -> httpx.Client:
    token = httpx.post(
        f"{server.url}/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}
    ).json()["access_token"]
    return httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def kill_quietly(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.fixture
def make_server(tmp_path: Path):
    started: list[ServerProcess] = []

    def make(**env: str) -> ServerProcess:
        server = ServerProcess(
            tmp_path / "baton.db", tmp_path / "server.log", BATON_ADMIN_PASSWORD=ADMIN_PASSWORD, **env
        )
        started.append(server)
        return server.start()

    yield make
    for server in started:
        if server.proc and server.proc.poll() is None:
            server.stop(signal.SIGKILL)


def start_long_job(client: httpx.Client, tmp_path: Path, **fields: object) -> tuple[str, Path]:
    pidfile = tmp_path / "attempt-pids"
    script = f"echo $$ >> {pidfile}; exec sleep 300"
    job = client.post(JOBS, json={"command": ["sh", "-c", script], **fields}).json()
    wait_for(lambda: client.get(f"{JOBS}/{job['id']}").json()["status"] == "running" and pidfile.exists())
    return job["id"], pidfile


def test_killed_server_job_is_requeued_by_its_retry_policy(make_server, tmp_path: Path) -> None:
    first = make_server()
    with client_for(first) as client:
        job_id, pidfile = start_long_job(client, tmp_path, max_retries=1, retry_backoff_seconds=0)
    first.stop(signal.SIGKILL)
    kill_quietly(int(pidfile.read_text().split()[0]))  # the machine died with it

    second = make_server()
    with client_for(second) as client:
        job = wait_for(
            lambda: (
                (j := client.get(f"{JOBS}/{job_id}").json())["attempt"] == 2
                and j["status"] == "running"
                and j
            ),
            timeout=20,
        )
        assert job["retries_used"] == 1
        runs = client.get(f"{JOBS}/{job_id}/executions").json()["data"]
        assert [r["status"] for r in runs] == ["lost", "running"]
        assert "stopped answering" in runs[0]["error"]
        assert client.post(f"{JOBS}/{job_id}/cancel").json()["status"] == "cancelled"
    second.stop()
    assert "Traceback" not in second.log()


def test_killed_server_job_without_retries_fails(make_server, tmp_path: Path) -> None:
    first = make_server()
    with client_for(first) as client:
        job_id, pidfile = start_long_job(client, tmp_path, max_retries=0)
    first.stop(signal.SIGKILL)
    kill_quietly(int(pidfile.read_text().split()[0]))

    second = make_server()
    with client_for(second) as client:
        job = wait_for(lambda: (j := client.get(f"{JOBS}/{job_id}").json())["status"] == "failed" and j)
        assert job["attempt"] == 1 and "stopped answering (lease expired)" in job["error"]
        assert client.get(f"{JOBS}/{job_id}/executions").json()["data"][0]["status"] == "lost"
    second.stop()


def test_graceful_stop_requeues_without_using_a_retry(make_server, tmp_path: Path) -> None:
    marker = tmp_path / "ran-once"
    first = make_server()
    with client_for(first) as client:
        script = f"if [ -e {marker} ]; then echo second; exit 0; fi; touch {marker}; exec sleep 300"
        job = client.post(JOBS, json={"command": ["sh", "-c", script], "max_retries": 0}).json()
        wait_for(lambda: marker.exists())
    # uvicorn shuts down gracefully, then re-raises SIGTERM so the exit status tells why it stopped
    assert first.stop(signal.SIGTERM) in {0, -signal.SIGTERM}

    second = make_server()
    with client_for(second) as client:
        done = wait_for(
            lambda: (j := client.get(f"{JOBS}/{job['id']}").json())["status"] == "completed" and j
        )
        assert done["attempt"] == 2 and done["retries_used"] == 0
        runs = client.get(f"{JOBS}/{job['id']}/executions").json()["data"]
        assert [r["status"] for r in runs] == ["lost", "completed"]
        assert runs[0]["error"] == "Interrupted: the server shut down" and runs[1]["stdout"] == "second\n"
    second.stop()


def test_two_server_processes_run_each_job_exactly_once(make_server, tmp_path: Path) -> None:
    # a long lease: a heartbeat delayed by a loaded machine must not re-run a job here (lease
    # expiry is what the tests above are about)
    server = make_server(
        BATON_WORKERS="2", BATON_EXECUTOR_URL="local://?concurrency=3", BATON_LEASE_SECONDS="15"
    )
    ran = tmp_path / "ran"
    with client_for(server) as client:
        ids = [
            client.post(JOBS, json={"command": ["sh", "-c", f"echo $BATON_JOB_ID >> {ran}"]}).json()["id"]
            for _ in range(40)
        ]

        def all_done() -> list[dict]:
            page = client.get(JOBS, params={"limit": 100, "status": "completed"}).json()["data"]
            return page if len(page) == len(ids) else []

        done = wait_for(all_done, timeout=60)
        assert all(job["attempt"] == 1 for job in done)
        lines = ran.read_text().split()
        assert sorted(lines) == sorted(ids)  # each job ran once: none lost, none twice
        workers = {client.get(f"{JOBS}/{i}/executions").json()["data"][0]["worker"] for i in ids}
        print(f"40 jobs over {len(workers)} server processes")

        # a cancel reaches the job whichever process answers the request
        pidfile = tmp_path / "pid"
        job = client.post(JOBS, json={"command": ["sh", "-c", f"echo $$ > {pidfile}; exec sleep 300"]}).json()
        wait_for(lambda: pidfile.exists() and pidfile.read_text().strip())
        assert client.post(f"{JOBS}/{job['id']}/cancel").json()["status"] == "cancelled"
        pid = int(pidfile.read_text())
        wait_for(lambda: not pid_alive(pid), timeout=10)
    server.stop()
    assert "Traceback" not in server.log()
