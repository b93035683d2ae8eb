"""Fault injection on the database (issue 4): a private MariaDB is SIGKILLed mid-run (a crash, not
a clean stop) under a running `baton serve`, while jobs run and the API is polled and fed new
jobs; five seconds later mariadbd is started again on the same datadir and port. Once with the
local executor, once with the arq executor (one `baton worker`, a private redis-server).

What must hold (DESIGN.md §7, issue 4): during the outage every answer is a success or a 503
problem+json (DATABASE_UNAVAILABLE or DATABASE_BUSY, with Retry-After) — never a 500, never a
hang; the API recovers by itself once the database is back, without a server restart; every job
accepted with a 201 ends `completed` (attempts whose outcome could not be written end `lost` and
run again), none is left `running` or `pending`; a job whose POST got a 503 does not exist; no two
attempts of a job ever run at the same time.

The scenario runs once per executor (a module fixture, ~20 s each); each property is its own test,
so a bug in one does not hide the others. "At the same time" is checked by the jobs themselves, as
in test_arq_faults.py: each attempt holds an exclusive flock on a per-job file while it runs.

Both executors stop a command whose lease they cannot renew a heartbeat before the lease runs out
(the server's local executor by a timer per attempt, `baton worker` at its heartbeat), so the
attempt that replaces it after the outage never overlaps it."""

from __future__ import annotations

import fcntl
import shutil
import signal
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_PASSWORD, ServerProcess, pid_alive, wait_for
from tests.faults.harness import JOBS, ArqCluster, MariaDBProcess, RedisProcess, require_mariadb_server

pytestmark = pytest.mark.slow

OUTAGE_SECONDS = 5.0  # more than the lease (2 s): running jobs' leases run out while the database is down
LEASE_SECONDS = 2
RETRY = {"max_retries": 20, "retry_backoff_seconds": 0}  # a lost attempt runs again at once
OUTAGE_CODES = {"DATABASE_UNAVAILABLE", "DATABASE_BUSY"}
SLOW_ANSWER = 5.0  # seconds: connect_timeout and pool_timeout are 2 s; anything longer is a hang
RECOVERY_BOUND = 15.0  # seconds from mariadbd answering to the API answering normally
# long jobs start first and outlast the crash (2-3 s after they start) plus the outage
SHORT_JOBS, LONG_JOBS, LONG_SECONDS = 150, 3, 12


def job_script(workdir: Path, pause: float) -> list[str]:
    """A command that reports an attempt started while another attempt of its job still runs."""
    me = '$BATON_JOB_ID $BATON_JOB_ATTEMPT "$(date +%s.%N)"'
    script = (
        f"exec 9>>{workdir}/locks/$BATON_JOB_ID; "
        f"if ! flock -n 9; then echo {me} >> {workdir}/overlaps; exit 0; fi; "
        f"echo start {me} >> {workdir}/markers; "
        f"sleep {pause} 9>&-; "  # the sleep does not hold the lock: only this shell does
        f"echo end {me} >> {workdir}/markers"
    )
    return ["sh", "-c", script]


@dataclass
class Answer:
    at: float  # time.monotonic() when the request was sent
    what: str
    status: int | None  # None: no answer (transport error or client timeout)
    seconds: float
    problem: str | None = None  # what is wrong with it, if anything
    code: str | None = None  # problem code of a 503


def judge(what: str, response: httpx.Response) -> str | None:
    """What is wrong with an answer (None: a success, or a proper 503 for a database outage)."""
    if response.status_code == 503:
        if what == "GET /health":
            return "503 from /health, which does not need the database"
        if not response.headers.get("content-type", "").startswith("application/problem+json"):
            return f"503 without problem+json: {response.headers.get('content-type')}"
        body = response.json()
        if body.get("code") not in OUTAGE_CODES or body.get("status") != 503:
            return f"503 with {body}"
        if not response.headers.get("retry-after", "").isdigit():
            return "503 without Retry-After"
        if "Traceback" in response.text or "127.0.0.1" in response.text:
            return f"503 that leaks internals: {response.text[:300]}"
        return None
    expected = 201 if what.startswith("POST") else 200
    if response.status_code != expected:
        return f"{response.status_code}: {response.text[:300]}"
    return None


class Prober(threading.Thread):
    """Round after round: GET /health, /ready, /api/v1/jobs and POST one job (named probe-N)."""

    def __init__(self, url: str, token: str, command: list[str]) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.token = token
        self.command = command
        self.answers: list[Answer] = []
        self.accepted: dict[str, str] = {}  # job name -> id, for the POSTs answered 201
        self.refused: list[str] = []  # job names of the POSTs answered 503
        self.halt = threading.Event()

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.url, headers=headers, timeout=10) as client:
            n = 0
            while not self.halt.is_set():
                n += 1
                name = f"probe-{n}"
                self.ask(client, "GET /health", "GET", "/health")
                self.ask(client, "GET /ready", "GET", "/ready")
                self.ask(client, "GET /api/v1/jobs", "GET", JOBS, params={"limit": 5})
                body = {"name": name, "command": self.command, **RETRY}
                response = self.ask(client, "POST /api/v1/jobs", "POST", JOBS, json=body)
                if response is not None and response.status_code == 201:
                    self.accepted[name] = response.json()["id"]
                elif response is not None and response.status_code == 503:
                    self.refused.append(name)
                self.halt.wait(0.05)

    def ask(self, client: httpx.Client, what: str, method: str, path: str, **kwargs) -> httpx.Response | None:
        started = time.monotonic()
        try:
            response = client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            seconds = time.monotonic() - started
            self.answers.append(Answer(started, what, None, seconds, f"no answer: {type(exc).__name__}"))
            return None
        seconds = time.monotonic() - started
        answer = Answer(started, what, response.status_code, seconds, judge(what, response))
        if answer.problem is None and seconds > SLOW_ANSWER:
            answer.problem = f"took {seconds:.1f}s"
        if response.status_code == 503 and answer.problem is None:
            answer.code = response.json()["code"]
        self.answers.append(answer)
        return response


@dataclass
class Run:
    """What one run of the scenario saw."""

    executor: str
    workdir: Path
    answers: list[Answer] = field(default_factory=list)
    accepted: dict[str, str] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    submitted: list[str] = field(default_factory=list)  # ids of the jobs submitted before the crash
    crashed: float = 0.0
    restarted: float = 0.0
    long_ids: list[str] = field(default_factory=list)
    running_at_crash: set[str] = field(default_factory=set)  # long jobs whose command ran at the crash
    outlived_lease: set[str] = field(default_factory=set)  # ... and still ran just before the restart
    recovered: float | None = None  # None: the API never answered normally again
    finished: float | None = None  # None: jobs were still live at the end
    server_alive_after: bool = False
    jobs: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (name, status)
    executions: dict[str, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    overlaps: list[str] = field(default_factory=list)
    markers: list[list[str]] = field(default_factory=list)
    figures: dict[str, object] = field(default_factory=dict)

    def logs(self) -> str:
        parts = []
        for name in sorted(self.workdir.glob("*.log")):
            parts.append(f"--- {name.name}\n{name.read_text(errors='replace')[-8000:]}")
        return "\n".join(parts)

    def executions_of(self, job_id: str) -> str:
        return "\n".join(f"    {row}" for row in self.executions[job_id])


def count_live(api: httpx.Client) -> int:
    page = api.get(JOBS, params={"status": "scheduled,pending,running", "limit": 100}, timeout=10)
    assert page.status_code == 200, page.text
    return len(page.json()["data"])


def count_completed(api: httpx.Client) -> int:
    page = api.get(JOBS, params={"status": "completed", "limit": 100}, timeout=10)
    return len(page.json()["data"]) if page.status_code == 200 else 0


def api_ok(api: httpx.Client) -> bool:
    """The API answers normally again: ready, and a list of jobs."""
    try:
        return (
            api.get("/ready", timeout=5).status_code == 200
            and api.get(JOBS, params={"limit": 1}, timeout=5).status_code == 200
        )
    except httpx.HTTPError:
        return False


def submit_batch(api: httpx.Client, count: int, command: list[str], **fields: object) -> list[str]:
    response = api.post(f"{JOBS}/batch", json={"jobs": [{"command": command, **fields}] * count})
    assert response.status_code == 201, response.text
    return [result["job"]["id"] for result in response.json()["results"]]


def commands_running(workdir: Path, job_ids: list[str]) -> set[str]:
    """The jobs an attempt of which is running now: their command holds the job's lock."""
    running = set()
    for job_id in job_ids:
        with open(workdir / "locks" / job_id, "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                running.add(job_id)
            else:
                fcntl.flock(lock, fcntl.LOCK_UN)
    return running


def read_database(run: Run, database: MariaDBProcess) -> None:
    with database.connect() as conn, conn.cursor() as cursor:
        cursor.execute(f"SELECT id, name, status FROM {database.database}.jobs")
        run.jobs = {job_id: (name, status) for job_id, name, status in cursor.fetchall()}
        cursor.execute(
            f"SELECT job_id, attempt, status, worker, started_at, finished_at, error "
            f"FROM {database.database}.executions ORDER BY job_id, attempt"
        )
        for job_id, *rest in cursor.fetchall():
            run.executions[job_id].append(tuple(rest))


def scenario(executor: str, workdir: Path) -> Run:
    """Start everything, crash and restart mariadbd mid-run; return what was seen. Only setting up
    raises: what goes wrong after the crash is recorded for the tests to judge."""
    require_mariadb_server()
    (workdir / "locks").mkdir()
    run = Run(executor, workdir)
    dbdir = Path(tempfile.mkdtemp(prefix="baton-mdb-"))  # short: mariadbd's socket path must fit 108 bytes
    database = MariaDBProcess(dbdir)
    redis_proc: RedisProcess | None = None
    cluster: ArqCluster | None = None
    server: ServerProcess | None = None
    prober: Prober | None = None
    try:
        began = time.monotonic()
        database.initialise()
        run.figures["private mariadbd initialised and started"] = f"{time.monotonic() - began:.1f}s"
        # fail fast while the database is down: no connect or pool wait longer than 2 s
        database_url = database.url(connect_timeout=2, pool_timeout=2)
        if executor == "arq":
            redis_proc = RedisProcess(workdir).start()
            cluster = ArqCluster(
                workdir,
                redis_proc,
                database_url=database_url,
                lease_seconds=LEASE_SECONDS,
                heartbeat_seconds=0.3,
            )
            server = cluster.start().server
            cluster.add_worker(concurrency=8)
        else:
            server = ServerProcess(
                workdir / "unused.db",
                workdir / "server.log",
                BATON_DATABASE_URL=database_url,
                BATON_EXECUTOR_URL="local://?concurrency=8",
                BATON_ADMIN_PASSWORD=ADMIN_PASSWORD,
                BATON_LEASE_SECONDS=str(LEASE_SECONDS),
                BATON_HEARTBEAT_SECONDS="0.3",
            ).start()
        assert server.proc is not None
        login = httpx.post(
            f"{server.url}/api/v1/auth/login",
            json={"username": "admin", "password": ADMIN_PASSWORD},
            timeout=30,
        )
        assert login.status_code == 200, login.text
        token = login.json()["access_token"]
        with httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
        ) as api:
            # a few jobs that run through the whole outage (priority 9: they start first) ...
            long_command = job_script(workdir, LONG_SECONDS)
            run.long_ids = submit_batch(api, LONG_JOBS, long_command, priority=9, **RETRY)
            run.submitted += run.long_ids
            # ... and many short ones: some done before the crash, most after
            run.submitted += submit_batch(api, SHORT_JOBS, job_script(workdir, 0.2), **RETRY)
            prober = Prober(server.url, token, job_script(workdir, 0.2))
            prober.start()
            wait_for(lambda: count_completed(api) >= 20, timeout=30, interval=0.1)
            run.figures["jobs live at the crash (counted up to 100)"] = count_live(api)

            run.running_at_crash = commands_running(workdir, run.long_ids)
            run.crashed = time.monotonic()
            database.kill(signal.SIGKILL)
            time.sleep(OUTAGE_SECONDS)
            # nothing can start an attempt now (no database), so peeking at the locks disturbs nothing
            run.outlived_lease = commands_running(workdir, run.long_ids)
            database.start()
            run.restarted = time.monotonic()
            try:
                wait_for(lambda: api_ok(api), timeout=30, interval=0.1)
                run.recovered = time.monotonic()
            except AssertionError:
                pass
            time.sleep(2)  # keep probing after the recovery: it must stay recovered
            prober.halt.set()
            prober.join(30)
            try:
                wait_for(lambda: count_live(api) == 0, timeout=60, interval=0.5)
                run.finished = time.monotonic()
            except AssertionError:
                pass
        run.server_alive_after = server.proc.poll() is None and pid_alive(server.proc.pid)
        read_database(run, database)
    finally:
        if prober is not None:
            prober.halt.set()
            prober.join(30)
            run.answers, run.accepted, run.refused = prober.answers, prober.accepted, prober.refused
        if cluster is not None:
            cluster.stop()
        elif server is not None and server.proc is not None and server.proc.poll() is None:
            server.stop(signal.SIGKILL)
        if redis_proc is not None:
            redis_proc.stop()
        database.kill(signal.SIGKILL)
        (workdir / "mysqld.log").write_text(database.log())
        shutil.rmtree(dbdir, ignore_errors=True)
    if (workdir / "overlaps").exists():
        run.overlaps = [line for line in (workdir / "overlaps").read_text().splitlines() if line]
    if (workdir / "markers").exists():
        run.markers = [line.split() for line in (workdir / "markers").read_text().splitlines()]
    report(run)
    return run


def report(run: Run) -> None:
    """The figures for the issue note (shown with -s, or on failure)."""
    outage = [a for a in run.answers if a.status == 503]
    slowest = max(run.answers, key=lambda a: a.seconds, default=None)
    ends = defaultdict(int)
    for kind, job_id, *_ in run.markers:
        ends[job_id] += kind == "end"
    figures = {
        **run.figures,
        "outage (SIGKILL to mariadbd answering again)": f"{run.restarted - run.crashed:.1f}s",
        "API requests during the run (GET /health, /ready, /jobs; POST /jobs)": len(run.answers),
        "503 problem+json answers": f"{len(outage)} ({', '.join(sorted({a.code or '?' for a in outage}))})",
        "  POST /jobs answered 503 (those jobs must not exist)": len(run.refused),
        "  POST /jobs answered 201 while probing": len(run.accepted),
        "answers that were neither a success nor a proper 503": sum(
            a.problem is not None for a in run.answers
        ),
        "slowest answer": f"{slowest.seconds * 1000:.0f} ms ({slowest.what} -> {slowest.status})"
        if slowest
        else "-",
        "API answering normally after mariadbd was back": f"{run.recovered - run.restarted:.2f}s"
        if run.recovered
        else "NEVER",
        "every job terminal, after mariadbd was back": f"{run.finished - run.restarted:.1f}s"
        if run.finished
        else "NOT within 60 s",
        f"long jobs running at the crash / {OUTAGE_SECONDS:g}s later (lease {LEASE_SECONDS}s)": (
            f"{len(run.running_at_crash)} / {len(run.outlived_lease)}"
        ),
        "jobs": len(run.jobs),
        "completed": sum(status == "completed" for _, status in run.jobs.values()),
        "attempts": sum(len(rows) for rows in run.executions.values()),
        "lost attempts (outcome not written, or lease run out)": sum(
            row[1] == "lost" for rows in run.executions.values() for row in rows
        ),
        "jobs run again": sum(len(rows) > 1 for rows in run.executions.values()),
        "commands run to the end more than once": sum(n > 1 for n in ends.values()),
        "attempts started while another attempt of the job still ran": len(run.overlaps),
    }
    print(f"\nMariaDB SIGKILLed mid-run and restarted after {OUTAGE_SECONDS:g}s, {run.executor} executor:")
    for name, value in figures.items():
        print(f"  {name}: {value}")


@pytest.fixture(scope="module", params=["local", "arq"])
def run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    yield scenario(request.param, tmp_path_factory.mktemp(f"db-restart-{request.param}"))


def test_api_answers_success_or_503_problem_during_the_outage(run: Run) -> None:
    bad = [a for a in run.answers if a.problem is not None]
    assert not bad, [f"{a.what} at +{a.at - run.crashed:.1f}s: {a.problem}" for a in bad[:10]]
    outage = [a for a in run.answers if a.status == 503]
    assert outage, "no 503 while the database was down"
    assert {a.code for a in outage} <= OUTAGE_CODES
    assert run.refused, "no POST /jobs was refused while the database was down"
    # /health does not need the database; everything else did answer 503 at some point
    assert {a.what for a in outage} == {"GET /ready", "GET /api/v1/jobs", "POST /api/v1/jobs"}
    # 503s only while the database was down (a request sent just before the kill may get one)
    end = run.recovered if run.recovered is not None else float("inf")
    assert all(run.crashed - 1 <= a.at <= end for a in outage)
    assert max(a.seconds for a in run.answers) <= SLOW_ANSWER


def test_api_recovers_by_itself(run: Run) -> None:
    assert run.recovered is not None, (
        f"the API did not answer normally 30 s after mariadbd was back\n{run.logs()}"
    )
    assert run.recovered - run.restarted <= RECOVERY_BOUND
    after = [a for a in run.answers if a.at > run.recovered]
    assert after, "no request after the recovery"
    assert all(a.status in {200, 201} for a in after), [(a.what, a.status) for a in after if a.status >= 300]
    assert run.server_alive_after, "the server process died"


def test_every_accepted_job_completes_and_refused_ones_do_not_exist(run: Run) -> None:
    expected = set(run.submitted) | set(run.accepted.values())
    assert run.finished is not None, f"jobs still live 60 s after the restart\n{run.logs()}"
    assert set(run.jobs) == expected, (
        f"missing: {sorted(expected - set(run.jobs))[:5]}, unexpected: {sorted(set(run.jobs) - expected)[:5]}"
    )
    probes = {name for name, _ in run.jobs.values() if name.startswith("probe-")}
    assert probes == set(run.accepted)
    assert not probes & set(run.refused), "a POST answered 503 created its job"
    stuck = {job_id: status for job_id, (_, status) in run.jobs.items() if status != "completed"}
    assert not stuck, f"{len(stuck)} job(s) not completed: {list(stuck.items())[:5]}"
    for job_id in expected:
        attempts = run.executions[job_id]
        assert [row[0] for row in attempts] == list(range(1, len(attempts) + 1)), run.executions_of(job_id)
        statuses = [row[1] for row in attempts]
        assert statuses[-1] == "completed", run.executions_of(job_id)
        assert all(status == "lost" for status in statuses[:-1]), run.executions_of(job_id)
    ends = {job_id for kind, job_id, *_ in run.markers if kind == "end"}
    # an attempt that overlapped another skipped its work (test_no_two_attempts_of_a_job_run_at_once
    # judges those): every other completed job's command ran to the end
    overlapped = {line.split()[0] for line in run.overlaps}
    assert ends | overlapped == expected, "a job completed whose command never ran to the end"


def test_commands_stop_before_their_lease_runs_out(run: Run) -> None:
    """A job whose lease cannot be renewed is taken over once it runs out, so its command must be
    gone by then (docs/workers.md: a worker or server that loses the database does exactly that)."""
    assert run.long_ids and run.running_at_crash == set(run.long_ids), (
        "the long jobs were not running at the crash"
    )
    assert not run.outlived_lease, (
        f"{len(run.outlived_lease)} command(s) still ran {OUTAGE_SECONDS:g}s into the outage, "
        f"{OUTAGE_SECONDS - LEASE_SECONDS:g}s past their lease"
    )


def test_no_two_attempts_of_a_job_run_at_once(run: Run) -> None:
    details = [f"{line}\n{run.executions_of(line.split()[0])}" for line in run.overlaps[:3]]
    assert not run.overlaps, "attempts started while another attempt of the job still ran:\n" + "\n".join(
        details
    )
