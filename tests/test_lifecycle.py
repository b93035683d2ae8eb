"""Jobs really running: success, failure, retries with backoff, timeouts, cancel of a running
process and its children, the clean environment, output capping, delayed starts."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.conftest import assert_problem, pid_alive, wait_for, wait_for_status

JOBS = "/api/v1/jobs"
TERMINAL = {"completed", "failed", "cancelled", "timed_out"}


def submit(client: httpx.Client, command: list[str], **fields: object) -> dict:
    response = client.post(JOBS, json={"command": command, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def executions(client: httpx.Client, job_id: str) -> list[dict]:
    return client.get(f"{JOBS}/{job_id}/executions").json()["data"]


def parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def test_successful_job_records_its_output(admin: httpx.Client) -> None:
    job = submit(admin, ["sh", "-c", "echo out; echo err >&2"])
    done = wait_for_status(admin, job["id"], TERMINAL)
    assert done["status"] == "completed" and done["exit_code"] == 0 and done["error"] is None
    assert done["attempt"] == 1 and done["started_at"] and done["finished_at"]
    [run] = executions(admin, job["id"])
    assert run["attempt"] == 1 and run["status"] == "completed" and run["exit_code"] == 0
    assert run["stdout"] == "out\n" and run["stderr"] == "err\n"
    assert run["stdout_truncated"] is False and run["duration_seconds"] >= 0
    assert run["worker"].startswith("local:")


def test_non_zero_exit_fails_without_retries(admin: httpx.Client) -> None:
    job = submit(admin, ["sh", "-c", "exit 7"])
    done = wait_for_status(admin, job["id"], TERMINAL)
    assert done["status"] == "failed" and done["exit_code"] == 7
    assert done["error"] == "Exited with status 7"
    assert [r["status"] for r in executions(admin, job["id"])] == ["failed"]


def test_failures_retry_with_exponential_backoff(admin: httpx.Client) -> None:
    job = submit(
        admin, ["sh", "-c", "echo try $BATON_JOB_ATTEMPT; exit 1"], max_retries=2, retry_backoff_seconds=1
    )
    done = wait_for_status(admin, job["id"], TERMINAL, timeout=30)
    assert done["status"] == "failed" and done["attempt"] == 3 and done["retries_used"] == 2
    runs = executions(admin, job["id"])
    assert [r["attempt"] for r in runs] == [1, 2, 3]
    assert [r["stdout"] for r in runs] == ["try 1\n", "try 2\n", "try 3\n"]
    first_gap = parse(runs[1]["started_at"]) - parse(runs[0]["finished_at"])
    second_gap = parse(runs[2]["started_at"]) - parse(runs[1]["finished_at"])
    assert first_gap >= timedelta(seconds=1)  # base delay
    assert second_gap >= timedelta(seconds=2)  # doubled


def test_a_retry_that_succeeds_completes_the_job(admin: httpx.Client, tmp_path: Path) -> None:
    marker = tmp_path / "second-time"
    script = f"if [ -e {marker} ]; then echo ok; else touch {marker}; exit 1; fi"
    job = submit(admin, ["sh", "-c", script], max_retries=3, retry_backoff_seconds=0)
    done = wait_for_status(admin, job["id"], TERMINAL)
    assert done["status"] == "completed" and done["attempt"] == 2 and done["error"] is None
    assert [r["status"] for r in executions(admin, job["id"])] == ["failed", "completed"]


def test_timeout_kills_the_process(admin: httpx.Client, tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    job = submit(admin, ["sh", "-c", f"echo $$ > {pidfile}; echo started; exec sleep 60"], timeout_seconds=1)
    done = wait_for_status(admin, job["id"], TERMINAL, timeout=15)
    assert done["status"] == "timed_out" and done["exit_code"] is None
    assert done["error"] == "Timed out after 1 seconds"
    [run] = executions(admin, job["id"])
    assert run["status"] == "timed_out" and run["stdout"] == "started\n"
    assert not pid_alive(int(pidfile.read_text()))


def test_timeout_is_retried_by_policy(admin: httpx.Client) -> None:
    job = submit(admin, ["sleep", "30"], timeout_seconds=1, max_retries=1, retry_backoff_seconds=0)
    done = wait_for_status(admin, job["id"], TERMINAL, timeout=20)
    assert done["status"] == "timed_out" and done["attempt"] == 2
    assert [r["status"] for r in executions(admin, job["id"])] == ["timed_out", "timed_out"]


def test_cancel_running_job_kills_its_process_group(admin: httpx.Client, tmp_path: Path) -> None:
    parent, child = tmp_path / "parent", tmp_path / "child"
    script = f"sleep 300 & echo $! > {child}; echo $$ > {parent}; wait"
    job = submit(admin, ["sh", "-c", script], max_retries=3)
    wait_for(lambda: child.exists() and parent.exists() and child.read_text().strip())
    assert admin.get(f"{JOBS}/{job['id']}").json()["status"] == "running"
    response = admin.post(f"{JOBS}/{job['id']}/cancel")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    pids = [int(child.read_text()), int(parent.read_text())]
    wait_for(lambda: not any(pid_alive(pid) for pid in pids), timeout=10)
    run = wait_for(lambda: (r := executions(admin, job["id"])[0])["status"] != "running" and r)
    assert run["status"] == "cancelled" and run["error"] == "Cancelled by admin"
    # a cancel is final: no automatic retry even with retries left
    final = admin.get(f"{JOBS}/{job['id']}").json()
    assert final["status"] == "cancelled" and final["attempt"] == 1
    assert_problem(admin.post(f"{JOBS}/{job['id']}/cancel"), 409, "INVALID_JOB_STATE")


def test_retry_runs_a_finished_job_as_a_new_attempt(admin: httpx.Client) -> None:
    job = submit(admin, ["sh", "-c", "echo run $BATON_JOB_ATTEMPT; exit 1"], max_retries=0)
    wait_for_status(admin, job["id"], TERMINAL)
    retried = admin.post(f"{JOBS}/{job['id']}/retry").json()
    assert retried["retries_used"] == 0 and retried["finished_at"] is None
    done = wait_for(
        lambda: (
            (j := admin.get(f"{JOBS}/{job['id']}").json())["attempt"] == 2 and j["status"] in TERMINAL and j
        )
    )
    assert done["status"] == "failed"
    assert [r["stdout"] for r in executions(admin, job["id"])] == ["run 1\n", "run 2\n"]


def test_commands_get_a_clean_environment_and_directory(admin: httpx.Client, monkeypatch) -> None:
    os.environ["BATON_TEST_LEAK_CANARY"] = "server-secret-value"
    try:
        job = submit(admin, ["sh", "-c", "env; echo cwd=$(pwd); ls -A | wc -l"])
        wait_for_status(admin, job["id"], TERMINAL)
    finally:
        del os.environ["BATON_TEST_LEAK_CANARY"]
    out = executions(admin, job["id"])[0]["stdout"]
    assert "server-secret-value" not in out and "SECRET_KEY" not in out
    names = {
        line.split("=", 1)[0] for line in out.splitlines() if "=" in line and not line.startswith("cwd=")
    }
    assert names <= {
        "PATH",
        "HOME",
        "TMPDIR",
        "LANG",
        "BATON_JOB_ID",
        "BATON_JOB_ATTEMPT",
        "PWD",
        "SHLVL",
        "_",
    }
    cwd = next(line for line in out.splitlines() if line.startswith("cwd="))[4:]
    assert Path(cwd).name.startswith("job-") and out.rstrip().endswith("0")  # fresh, empty
    assert Path(cwd).parent.name.startswith(f"baton-{os.getpid()}-")  # this server's work root
    assert not Path(cwd).exists()  # removed afterwards


def test_commands_run_without_a_shell(admin: httpx.Client, tmp_path: Path) -> None:
    target = tmp_path / "should-not-exist"
    job = submit(admin, ["echo", f"$(touch {target})", ";", "rm", "-rf", "/"])
    wait_for_status(admin, job["id"], TERMINAL)
    assert executions(admin, job["id"])[0]["stdout"] == f"echo $(touch {target}) ; rm -rf /\n"[5:]
    assert not target.exists()


def test_output_is_capped_to_its_tail(admin: httpx.Client, server) -> None:
    limit = server.settings.output_limit_bytes
    job = submit(admin, ["sh", "-c", f"head -c {limit * 3} /dev/zero | tr '\\0' a; echo END"])
    wait_for_status(admin, job["id"], TERMINAL)
    run = executions(admin, job["id"])[0]
    assert run["stdout_truncated"] is True and run["stderr_truncated"] is False
    assert len(run["stdout"].encode()) <= limit and run["stdout"].endswith("aEND\n")


def test_binary_and_invalid_utf8_output_is_stored_safely(admin: httpx.Client) -> None:
    job = submit(admin, ["printf", "ok\\377\\000\\351t\\360\\237\\232\\200"])
    wait_for_status(admin, job["id"], TERMINAL)
    assert executions(admin, job["id"])[0]["stdout"] == "ok\ufffd\ufffd\ufffdt🚀"


@pytest.mark.parametrize(
    ("command", "error"),
    [
        (["definitely-not-a-command-xyz"], "Command not found: definitely-not-a-command-xyz"),
        (["{tmp}/not-executable"], "Permission denied: {tmp}/not-executable"),
    ],
)
def test_unstartable_commands_fail_cleanly(
    admin: httpx.Client, tmp_path: Path, command: list[str], error: str
) -> None:
    (tmp_path / "not-executable").write_text("#!/bin/sh\n")
    command = [part.format(tmp=tmp_path) for part in command]
    error = error.format(tmp=tmp_path)
    job = submit(admin, command)
    done = wait_for_status(admin, job["id"], TERMINAL)
    assert done["status"] == "failed" and done["error"] == error and done["exit_code"] is None


def test_run_at_delays_the_start(admin: httpx.Client) -> None:
    start = datetime.now(UTC) + timedelta(seconds=1.5)
    job = submit(admin, ["true"], run_at=start.isoformat())
    assert job["status"] == "scheduled"
    done = wait_for_status(admin, job["id"], TERMINAL, timeout=15)
    assert done["status"] == "completed"
    assert parse(executions(admin, job["id"])[0]["started_at"]) >= start


def test_work_roots_of_dead_servers_are_swept(tmp_path: Path) -> None:
    import subprocess
    import tempfile

    from tests.conftest import ThreadedServer, make_settings

    gone = subprocess.Popen(["true"])
    gone.wait()  # a pid that no longer exists
    stale = Path(tempfile.gettempdir()) / f"baton-{gone.pid}-leftover"
    (stale / "job-x").mkdir(parents=True)
    (stale / "job-x" / "big.tmp").write_bytes(b"x" * 1000)
    live = Path(tempfile.mkdtemp(prefix=f"baton-{os.getpid()}-"))  # a live process's root stays
    try:
        with ThreadedServer(make_settings(tmp_path / "sweep.db")):
            assert not stale.exists()
            assert live.exists()
    finally:
        live.rmdir()
