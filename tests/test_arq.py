"""The arq executor through HTTP, with real processes: `baton serve` handing jobs out through a
private redis-server, and `baton worker` processes running them. Runs in CI; skipped locally only
when redis-server is not installed."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.conftest import pid_alive, run_cli, wait_for, wait_for_status
from tests.faults.harness import JOBS, ArqCluster, RedisProcess, wait_until_gone

pytestmark = pytest.mark.slow

TERMINAL = {"completed", "failed", "cancelled", "timed_out"}


@pytest.fixture(scope="module")
def redis_proc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisProcess]:
    proc = RedisProcess(tmp_path_factory.mktemp("redis")).start()
    yield proc
    proc.stop()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, redis_proc: RedisProcess) -> Iterator[ArqCluster]:
    cluster = ArqCluster(tmp_path_factory.mktemp("arq"), redis_proc).start()
    cluster.add_worker(concurrency=4)
    cluster.add_worker(concurrency=4)
    yield cluster
    cluster.stop()
    assert "Traceback" not in cluster.logs(), cluster.logs()


@pytest.fixture(scope="module")
def api(cluster: ArqCluster) -> Iterator[httpx.Client]:
    with cluster.client() as client:
        yield client


def submit(api: httpx.Client, command: list[str], **fields: object) -> dict:
    response = api.post(JOBS, json={"command": command, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def executions(api: httpx.Client, job_id: str) -> list[dict]:
    response = api.get(f"{JOBS}/{job_id}/executions")
    assert response.status_code == 200, response.text
    return response.json()["data"]


def all_terminal(api: httpx.Client, ids: list[str], timeout: float = 60) -> list[dict]:
    def check() -> list[dict] | None:
        jobs = [api.get(f"{JOBS}/{job_id}").json() for job_id in ids]
        return jobs if all(job["status"] in TERMINAL for job in jobs) else None

    return wait_for(check, timeout=timeout, interval=0.2)


def test_jobs_run_on_workers_with_their_outputs(api: httpx.Client, cluster: ArqCluster) -> None:
    assert api.get("/info").json()["executor"]["backend"] == "arq"
    health = api.get("/health/details").json()
    assert health["status"] == "ok" and health["checks"]["executor"]["backend"] == "arq"
    script = 'echo "out $BATON_JOB_ID $BATON_JOB_ATTEMPT"; echo err >&2'
    ids = [submit(api, ["sh", "-c", script])["id"] for _ in range(12)]
    jobs = all_terminal(api, ids)
    assert {job["status"] for job in jobs} == {"completed"}
    workers = set()
    for job in jobs:
        assert job["attempt"] == 1 and job["exit_code"] == 0
        [run] = executions(api, job["id"])
        assert run["status"] == "completed"
        assert run["stdout"] == f"out {job['id']} 1\n" and run["stderr"] == "err\n"
        assert run["worker"].startswith("arq:")
        workers.add(run["worker"])
    print(f"12 jobs ran on {len(workers)} worker(s)")


def test_priority_then_run_at_then_submission_order(
    api: httpx.Client, cluster: ArqCluster, tmp_path: Path
) -> None:
    # a queue no worker serves yet: every job is handed out before the one worker starts
    order = tmp_path / "order"
    priorities = [3, 9, 0, 9, 5, 3, 7, 0, 9, 5]
    ids = [
        submit(api, ["sh", "-c", f"echo {i} >> {order}"], queue="ordered", priority=p)["id"]
        for i, p in enumerate(priorities)
    ]
    queued = cluster.redis.client()
    wait_for(lambda: queued.zcard("baton:ordered") == len(ids), timeout=20)
    worker = cluster.add_worker(queue="ordered", concurrency=1)
    try:
        all_terminal(api, ids)
        ran = [int(line) for line in order.read_text().split()]
        expected = sorted(range(len(priorities)), key=lambda i: (-priorities[i], i))
        assert ran == expected
    finally:
        assert worker.stop() == 0


def test_failing_job_is_retried_by_its_policy(api: httpx.Client) -> None:
    always = submit(
        api, ["sh", "-c", "echo try $BATON_JOB_ATTEMPT; exit 3"], max_retries=2, retry_backoff_seconds=0
    )
    second = submit(
        api, ["sh", "-c", 'test "$BATON_JOB_ATTEMPT" -ge 2'], max_retries=3, retry_backoff_seconds=1
    )
    failed = wait_for_status(api, always["id"], {"failed"}, timeout=60)
    assert (failed["attempt"], failed["retries_used"], failed["exit_code"]) == (3, 2, 3)
    runs = executions(api, always["id"])
    assert [(r["attempt"], r["status"], r["stdout"]) for r in runs] == [
        (n, "failed", f"try {n}\n") for n in (1, 2, 3)
    ]
    done = wait_for_status(api, second["id"], {"completed"}, timeout=60)
    assert (done["attempt"], done["retries_used"]) == (2, 1)  # after a 1 s backoff (scheduled)
    assert [r["status"] for r in executions(api, second["id"])] == ["failed", "completed"]


def test_a_job_for_later_is_handed_out_once_its_time_comes(api: httpx.Client) -> None:
    """Scheduled, promoted once its run_at has come, then handed out to a worker through Redis
    (the dispatcher reads the due jobs while it promotes, and again once some were promoted)."""
    run_at = datetime.now(UTC) + timedelta(seconds=1.5)
    job = submit(api, ["true"], run_at=run_at.isoformat().replace("+00:00", "Z"))
    assert job["status"] == "scheduled"
    done = wait_for_status(api, job["id"], {"completed"}, timeout=30)
    started = datetime.fromisoformat(done["started_at"].replace("Z", "+00:00"))
    assert run_at <= started < run_at + timedelta(seconds=5)


def test_cancel_kills_the_command_on_its_worker(api: httpx.Client, tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    job = submit(api, ["sh", "-c", f"echo $$ > {pidfile}.tmp; mv {pidfile}.tmp {pidfile}; exec sleep 300"])
    wait_for(lambda: pidfile.exists(), timeout=30)
    pid = int(pidfile.read_text())
    assert pid_alive(pid)
    started = time.monotonic()
    assert api.post(f"{JOBS}/{job['id']}/cancel").json()["status"] == "cancelled"
    wait_until_gone(pid, timeout=10)
    print(f"cancel -> process gone in {time.monotonic() - started:.2f}s")
    run = wait_for(lambda: (r := executions(api, job["id"])[0])["status"] != "running" and r, timeout=10)
    assert run["status"] == "cancelled"
    assert api.get(f"{JOBS}/{job['id']}").json()["status"] == "cancelled"


def test_redis_flushall_mid_run_loses_no_job(api: httpx.Client, cluster: ArqCluster, tmp_path: Path) -> None:
    ran = tmp_path / "ran"
    ids = [
        submit(api, ["sh", "-c", f"echo $BATON_JOB_ID >> {ran}; sleep 0.2"], queue="default")["id"]
        for _ in range(40)
    ]
    wait_for(lambda: ran.exists() and len(ran.read_text().split()) >= 4, timeout=30)
    cluster.redis.client().flushall()
    jobs = all_terminal(api, ids, timeout=90)
    assert {job["status"] for job in jobs} == {"completed"}
    assert sorted(ran.read_text().split()) == sorted(ids)  # each once: none lost, none twice


def test_killed_worker_job_is_recovered_by_its_lease(
    api: httpx.Client, cluster: ArqCluster, tmp_path: Path
) -> None:
    pids = tmp_path / "pids"
    script = f'echo $$ >> {pids}; if [ "$BATON_JOB_ATTEMPT" = 1 ]; then exec sleep 300; fi; echo second'
    victim = cluster.add_worker(queue="fragile", concurrency=1)
    job = submit(api, ["sh", "-c", script], queue="fragile", max_retries=1, retry_backoff_seconds=0)
    wait_for(lambda: pids.exists() and pids.read_text().strip(), timeout=30)
    first_pid = int(pids.read_text().split()[0])
    victim.stop(signal.SIGKILL)
    wait_until_gone(first_pid, timeout=5)  # the command died with its worker
    rescuer = cluster.add_worker(queue="fragile", concurrency=1)
    try:
        done = wait_for_status(api, job["id"], {"completed"}, timeout=60)
        assert (done["attempt"], done["retries_used"]) == (2, 1)
        runs = executions(api, job["id"])
        assert [r["status"] for r in runs] == ["lost", "completed"]
        assert "stopped answering" in runs[0]["error"] and runs[1]["stdout"] == "second\n"
        assert runs[0]["worker"] != runs[1]["worker"]
    finally:
        assert rescuer.stop() == 0


def test_sigterm_requeues_running_jobs_without_using_a_retry(
    api: httpx.Client, cluster: ArqCluster, tmp_path: Path
) -> None:
    marker = tmp_path / "started"
    script = f'if [ "$BATON_JOB_ATTEMPT" = 1 ]; then touch {marker}; exec sleep 300; fi; echo again'
    first = cluster.add_worker(queue="graceful", concurrency=1)
    job = submit(api, ["sh", "-c", script], queue="graceful", max_retries=0)
    wait_for(marker.exists, timeout=30)
    assert first.stop(signal.SIGTERM) == 0
    requeued = api.get(f"{JOBS}/{job['id']}").json()
    assert (requeued["status"], requeued["attempt"], requeued["retries_used"]) == ("pending", 1, 0)
    second = cluster.add_worker(queue="graceful", concurrency=1)
    try:
        done = wait_for_status(api, job["id"], {"completed"}, timeout=60)
        assert (done["attempt"], done["retries_used"]) == (2, 0)
        runs = executions(api, job["id"])
        assert [r["status"] for r in runs] == ["lost", "completed"]
        assert runs[0]["error"] == "Interrupted: the worker shut down"
    finally:
        assert second.stop() == 0


def test_api_answers_while_redis_is_down_and_jobs_run_when_it_is_back(
    api: httpx.Client, cluster: ArqCluster
) -> None:
    cluster.redis.stop()
    try:
        started = time.monotonic()
        job = submit(api, ["echo", "after the outage"])
        assert api.get(f"{JOBS}/{job['id']}").json()["status"] == "pending"
        assert api.get("/ready").status_code == 200
        # jobs wait in the database meanwhile: degraded, not unavailable
        health = api.get("/health/details")
        assert health.status_code == 200 and health.json()["status"] == "degraded"
        assert health.json()["checks"]["executor"]["status"] == "error"
        assert time.monotonic() - started < 8
        time.sleep(1.5)  # a few dispatch ticks and a reconcile fail meanwhile
        assert api.get(f"{JOBS}/{job['id']}").json()["status"] == "pending"
    finally:
        cluster.redis.start()  # empty: a crash without persistence
    done = wait_for_status(api, job["id"], {"completed"}, timeout=60)
    assert executions(api, done["id"])[0]["stdout"] == "after the outage\n"
    for worker in cluster.workers:
        if worker.alive():
            assert "Traceback" not in worker.log()


def test_robots_and_arq_workers_share_one_server(api: httpx.Client) -> None:
    """With the arq executor, a queue no arq worker serves is a robot's: its job waits in the
    database (handed to Redis, taken by nobody there) until a pull worker claims it over HTTP,
    while the arq workers go on running the default queue."""
    robot = api.post("/api/v1/workers", json={"name": "arm-1", "queues": ["robots"], "capacity": 1}).json()
    robot_job = submit(api, ["robot-task"], queue="robots")
    default_job = submit(api, ["sh", "-c", "echo arq"])
    assert all_terminal(api, [default_job["id"]])[0]["status"] == "completed"
    time.sleep(1)  # arq workers had every chance to take the robot's job: they must not
    assert api.get(f"{JOBS}/{robot_job['id']}").json()["status"] == "pending"
    claimed = api.post(f"/api/v1/workers/{robot['id']}/claim", json={"wait_seconds": 2}).json()["jobs"]
    assert [job["id"] for job in claimed] == [robot_job["id"]]
    done = api.post(
        f"{JOBS}/{robot_job['id']}/complete",
        json={"worker_id": robot["id"], "attempt": claimed[0]["attempt"], "exit_code": 0, "stdout": "moved"},
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed"
    (execution,) = executions(api, robot_job["id"])
    assert execution["worker"] == robot["id"] and execution["stdout"] == "moved"
    assert executions(api, default_job["id"])[0]["worker"] != robot["id"]


def test_worker_needs_the_arq_executor(tmp_path: Path) -> None:
    result = run_cli(
        "worker",
        extra_env={
            "BATON_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db",
            "BATON_EXECUTOR_URL": "local://?concurrency=2",
        },
    )
    assert result.returncode == 2 and "arq://" in result.stderr, result.stderr
    result = run_cli("worker", "--queue", "Bad Name", extra_env={"BATON_EXECUTOR_URL": "arq://localhost/0"})
    assert result.returncode == 2 and "queue name" in result.stderr, result.stderr
    result = run_cli("worker", extra_env={"BATON_EXECUTOR_URL": "arq://localhost/0?nope=1"})
    assert result.returncode == 2 and "unknown option(s) nope" in result.stderr, result.stderr


def test_a_hand_out_wakes_an_idle_worker_without_waiting_for_its_poll(
    api: httpx.Client, cluster: ArqCluster
) -> None:
    # a worker that polls Redis once a minute: the server's hand-out message makes it look now
    worker = cluster.add_worker(queue="nudged", concurrency=1, env={"BATON_WORKER_POLL_SECONDS": "60"})
    try:
        first = submit(api, ["true"], queue="nudged")
        # whether or not its first poll came before this hand-out, it has polled once it ran it
        wait_for_status(api, first["id"], {"completed"}, timeout=90)
        # now it is waiting out its minute: without the message the job would wait for it
        second = submit(api, ["true"], queue="nudged")
        wait_for_status(api, second["id"], {"completed"}, timeout=40)
    finally:
        worker.stop()
