"""`baton worker --server URL` (pull mode), with real processes: a `baton serve` whose local
executor serves only the `default` queue (`local://?queues=default`), and pull workers that reach
it over HTTP only (their environment names no database and no Redis). Jobs of the robots' queues
run on the pull workers: outputs, exit codes, retries, timeouts and cancels come through the API;
SIGTERM deregisters a worker and re-queues only what it had to stop; a SIGKILLed worker's job runs
again once its lease runs out; a server outage mid-job costs nothing.

The first tests need no server: the `queues=` option of the local executor's URL, the worker's
option checks, and its HTTP client against a scripted transport (retries, token renewal, a
report never recorded twice)."""

from __future__ import annotations

import json
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from baton.backends import BackendError
from baton.backends.execution.local import LocalSettings, host_labels

from baton.models import ExecutionStatus, Outcome
from baton.pull_worker import Credentials, PullOptions, PullWorker, _Job, pull_options
from baton.runner import CommandRun
from baton.settings import Settings
from tests.conftest import ADMIN_PASSWORD, ServerProcess, pid_alive, run_cli, wait_for, wait_for_status
from tests.faults.harness import JOBS, PullWorkerProcess

WORKERS = "/api/v1/workers"
ROBOT_PASSWORD = "robot-test-password"
TERMINAL = {"completed", "failed", "cancelled", "timed_out"}


# -- the local executor's queues= option -------------------------------------------------------------


def test_local_executor_url_names_the_queues_it_serves() -> None:
    assert LocalSettings.from_url("local://?concurrency=4").queues is None  # every queue
    settings = LocalSettings.from_url("local://?concurrency=3&queues=default,batch")
    assert (settings.concurrency, settings.queues) == (3, frozenset({"default", "batch"}))
    assert LocalSettings.from_url("local://?queues=a&queues=b,a").queues == frozenset({"b", "a"})
    for url, message in [
        ("local://?queues=Robots", "queues: 'Robots': a queue name is 1-64 of a-z 0-9 _ . -"),
        ("local://?queues=", "queues must name at least one queue (leave it out for all)"),
        ("local://?queues=,", "queues must name at least one queue"),
        ("local://?queue=x", "unknown option(s) queue"),
    ]:
        with pytest.raises(BackendError, match=r"executor URL .*: ") as error:
            LocalSettings.from_url(url)
        assert message in str(error.value)
        assert "\n" not in str(error.value)


# -- options and the HTTP client, without a server ------------------------------------------------


def options(**credentials: str) -> PullOptions:
    return PullOptions(
        server="http://baton.test",
        queues=["robots"],
        labels={},
        concurrency=1,
        name="t",
        credentials=Credentials(**credentials),
        lease_seconds=30,
    )


def test_pull_worker_options_are_checked_with_one_line_each() -> None:
    settings = Settings.from_env({})
    base = {
        "server": "https://baton.example:8000/",
        "queues": ["robots,lab", "robots"],
        "labels": ["gpu=true,os=linux", "site=a=b"],
        "concurrency": 3,
        "name": None,
        "api_key": "bt_secret",
        "token": None,
        "username": None,
        "password_env": "ROBOT_PW",
    }
    made = pull_options(settings, **base, environ={})
    assert made.server == "https://baton.example:8000"
    assert made.queues == ["robots", "lab"]
    assert made.labels == {"gpu": "true", "os": "linux", "site": "a=b"}
    assert made.credentials.api_key == "bt_secret" and "bt_secret" not in repr(made)
    login = pull_options(
        settings, **{**base, "api_key": None, "username": "robot"}, environ={"ROBOT_PW": "pw"}
    )
    assert (login.credentials.username, login.credentials.password) == ("robot", "pw")
    from_env = pull_options(settings, **{**base, "api_key": None}, environ={"BATON_TOKEN": "t"})
    assert from_env.credentials.token == "t"
    for change, environ, message in [
        ({"server": "baton.example"}, {}, "--server 'baton.example': expected http(s)://HOST[:PORT]"),
        ({"queues": ["Robots"]}, {}, "--queue 'Robots': a queue name is"),
        ({"labels": ["gpu"]}, {}, "--label 'gpu': expected KEY=VALUE"),
        ({"concurrency": 0}, {}, "--concurrency must be from 1 to 1024"),
        ({"api_key": None}, {}, "needs one kind of credentials"),
        ({"token": "t"}, {}, "got an API key and a token"),
        ({}, {"BATON_TOKEN": "t"}, "got an API key and a token"),
        ({"api_key": None, "username": "robot"}, {}, "--username robot: put the password in"),
    ]:
        with pytest.raises(BackendError) as error:
            pull_options(settings, **{**base, **change}, environ=environ)
        assert message in str(error.value) and "\n" not in str(error.value)


def _job(worker: PullWorker, deadline_in: float = 60) -> _Job:
    worker.worker_id = "0190a8a4-4a5e-7b51-9a4c-3f0f7d1e2a11"
    return _Job("job-1", 1, CommandRun(["true"], timeout=1, output_limit=10), time.monotonic() + deadline_in)


async def test_a_report_goes_through_outages_and_is_never_recorded_twice() -> None:
    # down, then 503 with Retry-After, then the server records it but the answer is lost: the
    # next try gets 409 (already recorded) and the worker stops there
    calls: list[httpx.Request] = []
    recorded: list[dict] = []

    def server(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ConnectError("connection refused")
        if len(calls) == 2:
            return httpx.Response(503, json={"code": "DATABASE_UNAVAILABLE"}, headers={"Retry-After": "0"})
        if len(calls) == 3:
            recorded.append(json.loads(request.content))
            raise httpx.ReadTimeout("the answer was lost")
        return httpx.Response(409, json={"code": "LEASE_LOST", "detail": "Job job-1 is completed"})

    worker = PullWorker(options(api_key="bt_key"), transport=httpx.MockTransport(server))
    outcome = Outcome(ExecutionStatus.COMPLETED, exit_code=0, stdout="done\n", stderr="")
    await worker._report(_job(worker), outcome)
    await worker.api.close()
    assert [request.url.path for request in calls] == ["/api/v1/jobs/job-1/complete"] * 4
    assert all(request.headers["x-api-key"] == "bt_key" for request in calls)
    assert len(recorded) == 1
    assert recorded[0] == {
        "worker_id": worker.worker_id,
        "attempt": 1,
        "exit_code": 0,
        "stdout": "done\n",
        "stderr": "",
    }


async def test_a_report_that_cannot_get_through_is_given_up_when_the_lease_runs_out() -> None:
    calls: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ConnectError("connection refused")

    worker = PullWorker(options(api_key="k"), transport=httpx.MockTransport(server))
    started = time.monotonic()
    await worker._report(_job(worker, deadline_in=2), Outcome(ExecutionStatus.FAILED, exit_code=3))
    await worker.api.close()
    assert time.monotonic() - started < 3
    assert calls and all(request.url.path == "/api/v1/jobs/job-1/fail" for request in calls)


async def test_login_tokens_are_refreshed_and_a_refused_refresh_logs_in_again() -> None:
    seen: list[tuple[str, str | None]] = []
    issued = iter(range(1, 100))
    revoked: set[str] = set()  # access and refresh tokens the server no longer accepts

    def tokens() -> httpx.Response:
        n = next(issued)
        pair = {"access_token": f"a{n}", "refresh_token": f"r{n}", "token_type": "bearer"}
        return httpx.Response(200, json={**pair, "expires_in": 900})

    def server(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        body = json.loads(request.content) if request.content else {}
        seen.append((path, request.headers.get("authorization") or body.get("refresh_token")))
        if path == "/api/v1/auth/login":
            assert body == {"username": "robot", "password": "pw"}
            return tokens()
        if path == "/api/v1/auth/refresh":
            refused = body["refresh_token"] in revoked
            return httpx.Response(401, json={"code": "TOKEN_REUSED"}) if refused else tokens()
        if request.headers["authorization"].removeprefix("Bearer ") in revoked:
            return httpx.Response(401, json={"code": "TOKEN_INVALID"})
        return httpx.Response(200, json={})

    worker = PullWorker(options(username="robot", password="pw"), transport=httpx.MockTransport(server))

    async def heartbeat() -> int:
        return (await worker.api.request("POST", "/workers/x/heartbeat", {})).status_code

    assert await heartbeat() == 200
    revoked.add("a1")
    assert await heartbeat() == 200  # refreshed
    revoked.update({"a2", "r2"})
    assert await heartbeat() == 200  # the refresh token is refused too: logged in again
    await worker.api.close()
    assert seen == [
        ("/api/v1/auth/login", None),
        ("/api/v1/workers/x/heartbeat", "Bearer a1"),
        ("/api/v1/workers/x/heartbeat", "Bearer a1"),
        ("/api/v1/auth/refresh", "r1"),
        ("/api/v1/workers/x/heartbeat", "Bearer a2"),
        ("/api/v1/workers/x/heartbeat", "Bearer a2"),
        ("/api/v1/auth/refresh", "r2"),
        ("/api/v1/auth/login", None),
        ("/api/v1/workers/x/heartbeat", "Bearer a3"),
    ]


# -- real processes -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    workdir = tmp_path_factory.mktemp("pull-mode")
    server = ServerProcess(
        workdir / "baton.db",
        workdir / "server.log",
        BATON_ADMIN_PASSWORD=ADMIN_PASSWORD,
        BATON_EXECUTOR_URL="local://?concurrency=2&queues=default",
        BATON_WORKER_HEARTBEAT_SECONDS="1",
    ).start()
    result = run_cli(
        "user",
        "create",
        "robot",
        "--role",
        "manager",
        extra_env={
            "BATON_DATABASE_URL": server.env["BATON_DATABASE_URL"],
            "BATON_NEW_PASSWORD": ROBOT_PASSWORD,
        },
    )
    assert result.returncode == 0, result.stderr
    yield server
    if server.proc is not None and server.proc.poll() is None:
        server.stop(signal.SIGKILL)


def login(server: ServerProcess, username: str, password: str) -> str:
    response = httpx.post(
        f"{server.url}/api/v1/auth/login", json={"username": username, "password": password}, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


@pytest.fixture(scope="module")
def api(server: ServerProcess) -> Iterator[httpx.Client]:
    token = login(server, "admin", ADMIN_PASSWORD)
    with httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    ) as client:
        yield client


@pytest.fixture(scope="module")
def api_key(server: ServerProcess) -> str:
    """A key of the robot account with the one scope a pull worker needs."""
    token = login(server, "robot", ROBOT_PASSWORD)
    response = httpx.post(
        f"{server.url}/api/v1/api-keys",
        json={"name": "pull worker", "scopes": ["workers:write"]},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return response.json()["key"]


class Workers:
    """Pull worker processes of one test; all killed at its end, their logs checked."""

    def __init__(self, server: ServerProcess, workdir: Path) -> None:
        self.server = server
        self.workdir = workdir
        self.started: list[PullWorkerProcess] = []

    def start(
        self,
        queue: str,
        *,
        api_key: str | None = None,
        username: str = "robot",
        password: str = ROBOT_PASSWORD,
        **kwargs: object,
    ) -> PullWorkerProcess:
        if api_key is not None:
            credentials, secrets = [], {"BATON_API_KEY": api_key}
        else:
            credentials, secrets = ["--username", username], {"BATON_PASSWORD": password}
        worker = PullWorkerProcess(
            self.server.url,
            self.workdir / f"pull-worker-{len(self.started)}.log",
            queue=queue,
            credentials=credentials,
            secrets=secrets,
            **kwargs,
        ).start()
        self.started.append(worker)
        return worker

    def logs(self) -> str:
        return "\n".join(f"--- pull worker {i}\n{w.log()}" for i, w in enumerate(self.started))


@pytest.fixture
def workers(server: ServerProcess, tmp_path: Path) -> Iterator[Workers]:
    made = Workers(server, tmp_path)
    yield made
    for worker in made.started:
        if worker.alive():
            worker.stop(signal.SIGKILL)
    assert "Traceback" not in made.logs(), made.logs()


@pytest.fixture(scope="module")
def robots(server: ServerProcess, api_key: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    """One pull worker on queue `robots` for the tests that only need one, with an API key."""
    made = Workers(server, tmp_path_factory.mktemp("robots"))
    worker = made.start("robots", api_key=api_key, concurrency=3, extra_args=["--label", "site=lab"])
    worker_id = worker.registered()
    yield worker, worker_id
    worker.stop(signal.SIGKILL)
    assert "Traceback" not in made.logs(), made.logs()


def submit(api: httpx.Client, queue: str, command: list[str], **fields: object) -> dict:
    response = api.post(JOBS, json={"queue": queue, "command": command, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def executions(api: httpx.Client, job_id: str) -> list[dict]:
    response = api.get(f"{JOBS}/{job_id}/executions")
    assert response.status_code == 200, response.text
    return response.json()["data"]


def pid_from(path: Path) -> int:
    return int(wait_for(lambda: path.exists() and path.read_text().strip(), timeout=20))


@pytest.mark.slow
def test_jobs_of_robot_queues_run_on_the_pull_worker_and_only_there(api: httpx.Client, robots: tuple) -> None:
    _, worker_id = robots
    assert api.get("/info").json()["executor"] == {
        "backend": "local",
        "concurrency": 2,
        "queues": ["default"],
        "labels": host_labels(),
    }
    script = 'echo "out $BATON_JOB_ID $BATON_JOB_ATTEMPT"; echo err >&2; test -z "$BATON_DATABASE_URL"'
    robot_job = submit(api, "robots", ["sh", "-c", script], labels={"site": "lab"})
    local_job = submit(api, "default", ["echo", "here"])
    done = wait_for_status(api, robot_job["id"], TERMINAL)
    assert done["status"] == "completed", done
    assert done["exit_code"] == 0
    [execution] = executions(api, robot_job["id"])
    assert execution["worker"] == worker_id
    assert (execution["status"], execution["exit_code"]) == ("completed", 0)
    assert execution["stdout"] == f"out {robot_job['id']} 1\n"
    assert execution["stderr"] == "err\n"
    # the server's own executor ran the default queue's job
    assert wait_for_status(api, local_job["id"], TERMINAL)["status"] == "completed"
    assert executions(api, local_job["id"])[0]["worker"].startswith("local:")
    # registered with what the command line said; online by its heartbeats
    worker = api.get(f"{WORKERS}/{worker_id}").json()
    assert (worker["queues"], worker["labels"], worker["capacity"]) == (["robots"], {"site": "lab"}, 3)
    assert worker["status"] == "online"


@pytest.mark.slow
def test_the_server_leaves_a_robots_queue_alone_while_no_worker_serves_it(api: httpx.Client) -> None:
    queue = f"nobody-{uuid.uuid4().hex[:8]}"
    job = submit(api, queue, ["true"])
    time.sleep(1.5)  # many dispatch ticks (BATON_POLL_SECONDS is 0.05 here)
    assert api.get(f"{JOBS}/{job['id']}").json()["status"] == "pending"
    assert api.post(f"{JOBS}/{job['id']}/cancel").status_code == 200


@pytest.mark.slow
def test_failures_and_timeouts_go_through_the_retry_policy(api: httpx.Client, robots: tuple) -> None:
    failing = submit(
        api, "robots", ["sh", "-c", "echo nope >&2; exit 3"], max_retries=1, retry_backoff_seconds=0
    )
    slow = submit(api, "robots", ["sleep", "30"], timeout_seconds=1)
    missing = submit(api, "robots", ["no-such-command-here"])
    assert wait_for_status(api, failing["id"], TERMINAL, timeout=30)["status"] == "failed"
    attempts = executions(api, failing["id"])
    assert [(e["attempt"], e["status"], e["exit_code"], e["stderr"]) for e in attempts] == [
        (1, "failed", 3, "nope\n"),
        (2, "failed", 3, "nope\n"),
    ]
    assert api.get(f"{JOBS}/{failing['id']}").json()["retries_used"] == 1
    assert wait_for_status(api, slow["id"], TERMINAL, timeout=30)["status"] == "timed_out"
    [timed_out] = executions(api, slow["id"])
    assert (timed_out["status"], timed_out["exit_code"]) == ("timed_out", None)
    assert "Timed out after 1 seconds" in timed_out["error"]
    assert wait_for_status(api, missing["id"], TERMINAL, timeout=30)["status"] == "failed"
    assert executions(api, missing["id"])[0]["error"] == "Command not found: no-such-command-here"


@pytest.mark.slow
def test_cancel_kills_the_command_on_the_pull_worker(
    api: httpx.Client, robots: tuple, tmp_path: Path
) -> None:
    pidfile = tmp_path / "pid"
    job = submit(api, "robots", ["sh", "-c", f"echo $$ > {pidfile}; exec sleep 300"])
    wait_for_status(api, job["id"], {"running"})
    pid = pid_from(pidfile)
    assert pid_alive(pid)
    cancelled_at = time.monotonic()
    assert api.post(f"{JOBS}/{job['id']}/cancel").json()["status"] == "cancelled"
    # the worker learns it at its next lease extension (every third of its 6 s lease)
    wait_for(lambda: not pid_alive(pid), timeout=10)
    killed_after = time.monotonic() - cancelled_at
    wait_for(lambda: executions(api, job["id"])[0]["status"] == "cancelled", timeout=10)
    assert api.get(f"{JOBS}/{job['id']}").json()["status"] == "cancelled"
    print(f"\ncancel to the command's end on the pull worker: {killed_after:.2f}s")


@pytest.mark.slow
def test_sigterm_deregisters_and_requeues_only_what_it_stopped(
    api: httpx.Client, workers: Workers, tmp_path: Path
) -> None:
    queue = f"term-{uuid.uuid4().hex[:8]}"
    worker = workers.start(queue)  # logs in with a username and password
    worker_id = worker.registered()
    quick = submit(api, queue, ["echo", "quick"])
    assert wait_for_status(api, quick["id"], TERMINAL)["status"] == "completed"
    pidfile = tmp_path / "pid"
    long = submit(api, queue, ["sh", "-c", f"echo $$ > {pidfile}; exec sleep 300"], max_retries=2)
    wait_for_status(api, long["id"], {"running"})
    pid = pid_from(pidfile)
    stopped_at = time.monotonic()
    assert worker.stop(signal.SIGTERM, timeout=40) == 0, worker.log()
    exit_seconds = time.monotonic() - stopped_at
    assert not pid_alive(pid)
    assert api.get(f"{WORKERS}/{worker_id}").status_code == 404
    # the stopped job is pending again, without using a retry; the finished one is untouched
    requeued = api.get(f"{JOBS}/{long['id']}").json()
    assert (requeued["status"], requeued["retries_used"]) == ("pending", 0)
    [interrupted] = executions(api, long["id"])
    assert interrupted["status"] == "lost" and "deregistered" in interrupted["error"]
    assert api.get(f"{JOBS}/{quick['id']}").json()["status"] == "completed"
    assert len(executions(api, quick["id"])) == 1
    assert "deregistered worker" in worker.log()
    api.post(f"{JOBS}/{long['id']}/cancel")
    print(f"\nSIGTERM to exit 0 of the pull worker (one command stopped): {exit_seconds:.2f}s")


@pytest.mark.slow
def test_after_an_operators_drain_running_jobs_finish_then_the_worker_leaves(
    api: httpx.Client, workers: Workers
) -> None:
    queue = f"drain-{uuid.uuid4().hex[:8]}"
    worker = workers.start(queue)
    worker_id = worker.registered()
    job = submit(api, queue, ["sh", "-c", "sleep 2; echo finished"])
    wait_for_status(api, job["id"], {"running"})
    assert api.post(f"{WORKERS}/{worker_id}/drain").json()["state"] == "draining"
    waiting = submit(api, queue, ["true"])  # drained: nobody takes it
    assert worker.proc is not None
    assert worker.proc.wait(30) == 0, worker.log()
    done = api.get(f"{JOBS}/{job['id']}").json()
    assert (done["status"], executions(api, job["id"])[0]["stdout"]) == ("completed", "finished\n")
    assert api.get(f"{JOBS}/{waiting['id']}").json()["status"] == "pending"
    assert api.get(f"{WORKERS}/{worker_id}").status_code == 404
    api.post(f"{JOBS}/{waiting['id']}/cancel")


@pytest.mark.slow
def test_a_sigkilled_workers_job_runs_again_once_its_lease_runs_out(
    api: httpx.Client, workers: Workers, tmp_path: Path
) -> None:
    queue = f"kill-{uuid.uuid4().hex[:8]}"
    lease = 2
    first = workers.start(queue, lease_seconds=lease, concurrency=1)
    first.registered()
    pidfile, marker = tmp_path / "pid", tmp_path / "ran-once"
    script = f"if [ -e {marker} ]; then echo second; exit 0; fi; touch {marker}; echo $$ > {pidfile}; "
    script += "exec sleep 300"
    job = submit(api, queue, ["sh", "-c", script], max_retries=1, retry_backoff_seconds=0)
    wait_for_status(api, job["id"], {"running"})
    pid = pid_from(pidfile)
    first.stop(signal.SIGKILL)
    killed_at = time.monotonic()
    wait_for(lambda: not pid_alive(pid), timeout=5)  # PR_SET_PDEATHSIG
    wait_for_status(api, job["id"], {"pending", "scheduled"}, timeout=15)
    requeued_after = time.monotonic() - killed_at
    second = workers.start(queue, lease_seconds=lease, concurrency=1)
    done = wait_for_status(api, job["id"], TERMINAL, timeout=30)
    assert done["status"] == "completed", done
    attempts = executions(api, job["id"])
    assert [(e["attempt"], e["status"]) for e in attempts] == [(1, "lost"), (2, "completed")]
    assert "lease expired" in attempts[0]["error"]
    assert attempts[1]["stdout"] == "second\n" and attempts[1]["worker"] == second.registered()
    print(f"\nSIGKILL of the pull worker to its job pending again ({lease} s lease): {requeued_after:.2f}s")


@pytest.mark.slow
def test_a_revoked_key_stops_the_worker_and_its_commands(
    server: ServerProcess, api: httpx.Client, workers: Workers, tmp_path: Path
) -> None:
    token = login(server, "robot", ROBOT_PASSWORD)
    auth = {"Authorization": f"Bearer {token}"}
    created = httpx.post(
        f"{server.url}/api/v1/api-keys",
        json={"name": "short-lived", "scopes": ["workers:write"]},
        headers=auth,
    ).json()
    queue = f"revoked-{uuid.uuid4().hex[:8]}"
    worker = workers.start(queue, api_key=created["key"])
    worker.registered()
    pidfile = tmp_path / "pid"
    submit(api, queue, ["sh", "-c", f"echo $$ > {pidfile}; exec sleep 300"])
    pid = pid_from(pidfile)
    revoked = httpx.delete(f"{server.url}/api/v1/api-keys/{created['id']}", headers=auth)
    assert revoked.status_code == 204, revoked.text
    assert worker.proc is not None
    assert worker.proc.wait(30) == 2  # by itself: its next heartbeat is refused
    assert not pid_alive(pid)
    assert "refused the API key (401" in worker.log()


@pytest.mark.slow
def test_a_server_outage_mid_job_costs_nothing(tmp_path: Path) -> None:
    # the server is SIGKILLed while the pull worker runs a job, which ends during the outage;
    # the worker keeps trying its report and delivers it once the server is back
    server = ServerProcess(
        tmp_path / "baton.db",
        tmp_path / "server.log",
        BATON_ADMIN_PASSWORD=ADMIN_PASSWORD,
        BATON_EXECUTOR_URL="local://?concurrency=1&queues=default",
    ).start()
    made = Workers(server, tmp_path)
    try:
        token = login(server, "admin", ADMIN_PASSWORD)
        with httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as api:
            # the worker reports for as long as its lease lasts: a restart took over 19 s on a
            # busy machine, so a lease that outlasts a slow one
            worker = made.start("robots", username="admin", password=ADMIN_PASSWORD, lease_seconds=60)
            worker.registered()
            started = tmp_path / "started"
            job = submit(api, "robots", ["sh", "-c", f"touch {started}; sleep 3; echo done"])
            wait_for(started.exists, timeout=20)
            server.stop(signal.SIGKILL)
            down_at = time.monotonic()
            time.sleep(4)  # the command ends while the server is down
            server.start()
            back_after = time.monotonic() - down_at
            done = wait_for_status(api, job["id"], TERMINAL, timeout=30)
            assert done["status"] == "completed", made.logs()
            [execution] = executions(api, job["id"])
            assert (execution["status"], execution["stdout"]) == ("completed", "done\n")
            assert "trying again" in worker.log()
            print(f"\nserver down for {back_after:.1f}s mid-job: the report got through once it was back")
    finally:
        for worker in made.started:
            if worker.alive():
                worker.stop(signal.SIGKILL)
        if server.proc is not None and server.proc.poll() is None:
            server.stop(signal.SIGKILL)
    assert "Traceback" not in made.logs(), made.logs()
