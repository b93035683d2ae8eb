"""End-to-end throughput and dispatch latency of trivial jobs: Baton with the local executor,
Baton with the arq executor and 2 `baton worker` processes, and raw arq (no Baton) on the same
private Redis, measured in the same run on this machine, with the ratios the issue asks for.

Baton: a real `baton serve` on 127.0.0.1 with a temporary SQLite (or --database) database; N jobs (`true`)
submitted through the API by a few concurrent clients (batches of --batch through POST
/api/v1/jobs/batch: the API's own cost per request is bench/api.py's business); throughput is N
over first submit -> last job finished. Dispatch latency is created_at -> started_at of each job:
under that load it is mostly time spent waiting for a free slot, so each Baton setup is also
measured idle: --idle jobs submitted one at a time, each once the previous one ended.

Raw arq: N jobs enqueued with arq's own enqueue_job into one queue and run by 2 arq worker
processes (max_jobs = the Baton workers' concurrency, the same poll delay, results kept), each
running the same subprocess `true` as Baton (asyncio.create_subprocess_exec, output captured);
latency is enqueue -> function start.

With --task, Baton's jobs are the registered task `bench.noop` (bench/noop_tasks.py: a no-op
coroutine run in the worker process, no subprocess), end to end through the API, against raw arq
running a no-op coroutine.

    python bench/arq_throughput.py [--jobs 500] [--clients 8] [--concurrency 8] [--batch 50]
                                   [--database sqlite|mariadb|postgresql] [--task] [--idle 20] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import ServerProcess
from tests.faults.harness import RedisProcess, WorkerProcess, arq_url

PASSWORD = "bench-password-123"
POLL = 0.02  # worker poll delay, Baton's and raw arq's alike
IDLE_RAW = 20  # raw arq jobs run one at a time


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


COMMAND_JOB = {"command": ["true"], "queue": "bench"}
TASK_JOB = {"task": "bench.noop", "queue": "bench"}


async def baton_run(
    url: str, jobs: int, clients: int, batch: int, job: dict, idle: int
) -> tuple[float, list[float], list[float]]:
    """(jobs/s from first submit to the last job finished, dispatch latencies in ms under that
    load, dispatch latencies in ms of `idle` jobs run one at a time). batch > 1: submit through
    POST /api/v1/jobs/batch, that many a request, instead of one POST per job."""
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        login = await http.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})
        http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        remaining = list(range(jobs))
        if "task" in job:
            await _wait_until_known(http, job["task"])
        await _run_one(http, {**job, "queue": "warmup"})  # the first job pays for imports and caches

        async def submitter() -> None:
            while remaining:
                if batch > 1:
                    count = min(batch, len(remaining))
                    del remaining[:count]
                    response = await http.post("/api/v1/jobs/batch", json={"jobs": [job] * count})
                else:
                    remaining.pop()
                    response = await http.post("/api/v1/jobs", json=job)
                response.raise_for_status()

        start = datetime.now(UTC)
        await asyncio.gather(*(submitter() for _ in range(clients)))
        while True:
            # how often this looks does not change the figure: the end is the last finished_at
            live = await http.get(
                "/api/v1/jobs", params={"queue": "bench", "status": "pending,running,scheduled", "limit": 1}
            )
            if not live.json()["data"]:
                break
            await asyncio.sleep(0.1)

        latencies, last, cursor = [], start, None
        while True:
            params = {"queue": "bench", "limit": 100, **({"cursor": cursor} if cursor else {})}
            body = (await http.get("/api/v1/jobs", params=params)).json()
            for done in body["data"]:
                assert done["status"] == "completed", done
                latencies.append(_latency_ms(done))
                last = max(last, datetime.fromisoformat(done["finished_at"]))
            cursor = body["pagination"]["next_cursor"]
            if not cursor:
                break
        idle_latencies = []
        for _ in range(idle):
            await asyncio.sleep(0.05)  # nothing runs, nothing is being submitted
            idle_latencies.append(_latency_ms(await _run_one(http, {**job, "queue": "idle"})))
    return jobs / (last - start).total_seconds(), latencies, idle_latencies


def _latency_ms(job: dict) -> float:
    created = datetime.fromisoformat(job["created_at"])
    started = datetime.fromisoformat(job["started_at"])
    return (started - created).total_seconds() * 1000


async def _run_one(http: httpx.AsyncClient, job: dict) -> dict:
    response = await http.post("/api/v1/jobs", json=job)
    response.raise_for_status()
    job_id = response.json()["id"]
    while (done := (await http.get(f"/api/v1/jobs/{job_id}")).json())["status"] != "completed":
        assert done["status"] in {"pending", "running", "scheduled"}, done
        await asyncio.sleep(0.01)
    return done


async def _wait_until_known(http: httpx.AsyncClient, task: str) -> None:
    """arq workers announce their tasks once started: until then the task is 422 UNKNOWN_TASK.
    The probe is a job far in the future, on a queue of its own, cancelled at once."""
    probe = {"task": task, "queue": "probe", "run_at": "2999-01-01T00:00:00Z"}
    deadline = time.monotonic() + 60
    while (response := await http.post("/api/v1/jobs", json=probe)).status_code == 422:
        if time.monotonic() > deadline:
            raise RuntimeError(f"no worker registered {task}: {response.text}")
        await asyncio.sleep(0.1)
    response.raise_for_status()
    await http.post(f"/api/v1/jobs/{response.json()['id']}/cancel")


def bench_baton(
    workdir: Path,
    executor_url: str,
    jobs: int,
    clients: int,
    workers: int,
    concurrency: int,
    database: str,
    batch: int,
    task: bool,
    idle: int,
):
    extra = {}
    if task:  # the server's local executor and the workers import bench/noop_tasks.py
        extra["BATON_TASKS"] = "noop_tasks"
        extra["PYTHONPATH"] = str(Path(__file__).resolve().parent)
    if database != "sqlite":
        from tests.databases import create_database

        extra["BATON_DATABASE_URL"] = create_database(database, workdir)
    server = ServerProcess(
        workdir / "bench.db",
        workdir / "server.log",
        **extra,
        BATON_EXECUTOR_URL=executor_url,
        BATON_ADMIN_PASSWORD=PASSWORD,
        # production-like, not the tests' short lease and 20 polls a second of every loop
        BATON_LEASE_SECONDS="30",
        BATON_HEARTBEAT_SECONDS="5",
        BATON_POLL_SECONDS="0.5",
    ).start()
    started: list[WorkerProcess] = []
    try:
        env = {**server.env, "BATON_WORKER_POLL_SECONDS": str(POLL)}
        for i in range(workers):
            started.append(
                WorkerProcess(
                    env, workdir / f"worker-{i}.log", queue="bench,idle,warmup", concurrency=concurrency
                ).start()
            )
        return asyncio.run(
            baton_run(server.url, jobs, clients, batch, TASK_JOB if task else COMMAND_JOB, idle)
        )
    finally:
        for worker in started:
            worker.stop()
        server.stop()
        if "BATON_DATABASE_URL" in extra:
            from tests.databases import drop_database

            drop_database(extra["BATON_DATABASE_URL"])


# -- raw arq -----------------------------------------------------------------------------------


async def _trivial(ctx: dict, enqueued_ms: int) -> None:
    await ctx["redis"].rpush("bench:latency", int(time.time() * 1000) - enqueued_ms)


async def _command(ctx: dict, enqueued_ms: int) -> int:
    """What a user of arq alone writes to run `true`: the same subprocess Baton runs, output kept."""
    await ctx["redis"].rpush("bench:latency", int(time.time() * 1000) - enqueued_ms)
    proc = await asyncio.create_subprocess_exec(
        "true",
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
    )
    await proc.communicate()
    await ctx["redis"].incr("bench:done")
    return proc.returncode


async def _noop(ctx: dict, enqueued_ms: int) -> None:
    await ctx["redis"].rpush("bench:latency", int(time.time() * 1000) - enqueued_ms)
    await ctx["redis"].incr("bench:done")


def _raw_worker(port: int, max_jobs: int) -> None:
    from arq.connections import RedisSettings
    from arq.worker import Worker, func

    worker = Worker(
        functions=[func(_command, name="command"), func(_noop, name="noop")],
        queue_name="raw:bench",
        redis_settings=RedisSettings(host="127.0.0.1", port=port),
        max_jobs=max_jobs,
        poll_delay=POLL,
        keep_result=3600,
    )
    import logging

    logging.getLogger("arq").setLevel(logging.WARNING)
    worker.run()


async def raw_arq(
    port: int, jobs: int, workers: int, max_jobs: int, function: str
) -> tuple[float, list[float], list[float]]:
    from arq.connections import RedisSettings, create_pool

    pool = await create_pool(RedisSettings(host="127.0.0.1", port=port))
    await pool.delete("bench:latency", "bench:done")
    procs = [
        multiprocessing.get_context("spawn").Process(target=_raw_worker, args=(port, max_jobs), daemon=True)
        for _ in range(workers)
    ]
    for proc in procs:
        proc.start()
    await asyncio.sleep(2)  # let them start polling
    try:
        start = time.perf_counter()
        for _ in range(jobs):
            await pool.enqueue_job(function, int(time.time() * 1000), _queue_name="raw:bench")
        await _until_done(pool, jobs)
        finished = time.perf_counter()
        latencies = [float(x) for x in await pool.lrange("bench:latency", 0, -1)]
        idle = []
        for _ in range(IDLE_RAW):
            await asyncio.sleep(0.05)
            await pool.delete("bench:latency", "bench:done")
            await pool.enqueue_job(function, int(time.time() * 1000), _queue_name="raw:bench")
            await _until_done(pool, 1)
            idle += [float(x) for x in await pool.lrange("bench:latency", 0, -1)]
    finally:
        for proc in procs:
            proc.terminate()
            proc.join(10)
        await pool.aclose()
    return jobs / (finished - start), latencies, idle


async def _until_done(pool, count: int) -> None:
    while True:
        if int(await pool.get("bench:done") or 0) >= count:
            return
        await asyncio.sleep(0.005)


def report(name: str, rate: float, latencies: list[float], idle: list[float]) -> None:
    p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
    line = f"{name:<34} {rate:8.1f} jobs/s   dispatch latency p50 {p50:7.1f} ms  p99 {p99:7.1f} ms"
    if idle:
        line += f"   idle p50 {statistics.median(idle):6.1f} ms  p99 {percentile(idle, 0.99):6.1f} ms"
    print(line, flush=True)


def run_round(args: argparse.Namespace, root: Path, redis_proc: RedisProcess) -> dict[str, float]:
    """Each setup once: jobs/s of "local", "arq" and "raw"."""
    rates = {}
    for kind, name, url, workers, concurrency in (
        (
            "local",
            f"baton local (concurrency {args.concurrency * 2})",
            f"local://?concurrency={args.concurrency * 2}",
            0,
            0,
        ),
        ("arq", f"baton arq (2 workers x {args.concurrency})", arq_url(redis_proc), 2, args.concurrency),
    ):
        workdir = root / kind
        workdir.mkdir(parents=True)
        result = bench_baton(
            workdir,
            url,
            args.jobs,
            args.clients,
            workers,
            concurrency,
            args.database,
            args.batch,
            args.task,
            args.idle,
        )
        report(name, *result)
        rates[kind] = result[0]
    raw_name = f"raw arq (2 workers x {args.concurrency}, {'no-op' if args.task else '`true`'})"
    result = asyncio.run(
        raw_arq(redis_proc.port, args.jobs, 2, args.concurrency, "noop" if args.task else "command")
    )
    report(raw_name, *result)
    rates["raw"] = result[0]
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=8, help="slots per worker / local executor")
    parser.add_argument("--database", choices=["sqlite", "mariadb", "postgresql"], default="sqlite")
    parser.add_argument(
        "--batch", type=int, default=50, help="submit N jobs a request (POST /jobs/batch); 1: one POST each"
    )
    parser.add_argument("--idle", type=int, default=20, help="jobs run one at a time for the idle latency")
    parser.add_argument(
        "--task", action="store_true", help="Baton runs the registered no-op task bench.noop, not `true`"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of all three setups; medians are printed"
    )
    args = parser.parse_args()
    how = f"batches of {args.batch}" if args.batch > 1 else "one POST per job"
    what = "registered no-op task" if args.task else "`true` command"
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    print(
        f"{args.jobs} trivial jobs each (Baton: {what}); Baton: {args.database}, "
        f"{args.clients} submitting clients, {how}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        redis_dir = root / "redis"
        redis_dir.mkdir()
        redis_proc = RedisProcess(redis_dir).start()
        try:
            # alternate the setups round by round, so that load from elsewhere on the machine
            # falls on each alike; the ratios are taken within a round, their medians printed
            ratios: dict[str, list[float]] = {"arq": [], "local": []}
            for round_number in range(1, args.rounds + 1):
                print(f"round {round_number} of {args.rounds}", flush=True)
                rates = run_round(args, root / f"round-{round_number}", redis_proc)
                ratios["arq"].append(rates["arq"] / rates["raw"])
                ratios["local"].append(rates["local"] / rates["raw"])
        finally:
            redis_proc.stop()
    for kind in ("arq", "local"):
        each = ", ".join(f"{r:.2f}" for r in ratios[kind])
        median = statistics.median(ratios[kind])
        print(f"Baton {kind} / raw arq throughput: {median:.2f} (median; rounds: {each})")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
