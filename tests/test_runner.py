"""The runner's guarantees that only show with real processes, and the local executor's: its
run table keyed by (job, attempt), and its stop of commands whose lease was not renewed."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from baton.backends.execution.local import LEASE_LOST_REASON, LocalExecutor, LocalSettings

from baton.models import ExecutionStatus, Job, JobStatus, Outcome
from baton.timeutil import utcnow
from tests.conftest import wait_for

_RUN_SLEEP = """
import asyncio
from baton.runner import CommandRun
asyncio.run(CommandRun(["sleep", "300"], timeout=600, output_limit=1000).run())
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def test_a_command_dies_with_its_worker_when_the_worker_is_killed() -> None:
    # a SIGKILLed worker cannot stop its commands; one left running would overlap the attempt
    # that replaces it once the lease runs out
    worker = subprocess.Popen([sys.executable, "-c", _RUN_SLEEP])
    try:
        children: list[str] = []

        def started() -> bool:
            children[:] = subprocess.run(
                ["pgrep", "-P", str(worker.pid)], capture_output=True, text=True
            ).stdout.split()
            return bool(children)

        wait_for(started, timeout=10)
        worker.kill()
        worker.wait()
        wait_for(lambda: not any(_alive(int(pid)) for pid in children), timeout=5)
    finally:
        worker.kill()
        for pid in children:
            subprocess.run(["kill", "-9", pid], capture_output=True)


# -- the local executor's run table and lease watchdog (real commands, no database) ---------------


def _job(job_id: str, attempt: int, lease_seconds: float, command: list[str] | None = None) -> Job:
    now = utcnow()
    return Job(
        id=job_id,
        name="t",
        queue="default",
        command=command or ["sleep", "30"],
        priority=0,
        timeout_seconds=60,
        max_retries=0,
        retry_backoff_seconds=0,
        labels={},
        status=JobStatus.RUNNING,
        attempt=attempt,
        retries_used=0,
        run_at=now,
        owner_id="u",
        owner="u",
        created_at=now,
        updated_at=now,
        started_at=now,
        lease_expires_at=now + timedelta(seconds=lease_seconds),
    )


async def _executor(margin: float = 0.2) -> tuple[LocalExecutor, list[tuple[str, int, Outcome]]]:
    reports: list[tuple[str, int, Outcome]] = []

    async def report(job: Job, outcome: Outcome) -> None:
        reports.append((job.id, job.attempt, outcome))

    executor = LocalExecutor(LocalSettings(concurrency=4), output_limit=1000)
    executor.lease_margin = margin
    await executor.start(report)
    return executor, reports


async def _until(predicate, within: float = 10) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def test_an_unrenewed_command_stops_a_margin_before_its_lease_runs_out() -> None:
    # the database is away: nothing renews the lease, and once it runs out another process may
    # take the job over, so the command must be gone by then
    executor, reports = await _executor(margin=0.3)
    try:
        started = time.monotonic()
        await executor.submit(_job("a", 1, lease_seconds=1.0))
        await _until(lambda: reports)
        stopped_after = time.monotonic() - started
        job_id, attempt, outcome = reports[0]
        assert (job_id, attempt) == ("a", 1)
        assert outcome.status is ExecutionStatus.LOST
        assert outcome.error == LEASE_LOST_REASON
        assert not outcome.interrupted  # a lost attempt uses a retry, like one the reconciler settles
        assert 0.6 <= stopped_after < 1.0, stopped_after
    finally:
        await executor.stop()


async def test_renewed_leases_keep_a_command_running_and_lost_ones_are_not_renewed() -> None:
    executor, reports = await _executor(margin=0.2)
    try:
        await executor.submit(_job("a", 1, lease_seconds=0.6))
        await executor.submit(_job("b", 1, lease_seconds=0.6))
        for _ in range(8):  # 1.6 s: "a" renewed all along, "b" never
            await asyncio.sleep(0.2)
            executor.lease_renewed("a", 1, utcnow() + timedelta(seconds=0.6))
        assert [(job_id, outcome.status) for job_id, _, outcome in reports] == [("b", ExecutionStatus.LOST)]
        assert executor.running() == {"a": 1}
        assert executor.cancel("a", "test")
        await _until(lambda: len(reports) == 2)
        assert reports[1][2].status is ExecutionStatus.CANCELLED
    finally:
        await executor.stop()


async def test_an_old_attempt_never_touches_the_attempt_that_replaced_it() -> None:
    # attempt 1 was given up and its job re-queued; attempt 2 of the same job runs here while
    # attempt 1 is still being stopped and reported
    executor, reports = await _executor(margin=0.0)
    try:
        await executor.submit(_job("a", 1, lease_seconds=60, command=["sh", "-c", "sleep 0.3"]))
        await executor.submit(_job("a", 2, lease_seconds=60))
        assert executor.running() == {"a": 2}  # the lease to renew is the newer attempt's
        assert executor.free_slots() == 2
        # attempt 1 ends and is reported: attempt 2 stays in the table
        await _until(lambda: reports)
        assert [(r[0], r[1], r[2].status) for r in reports] == [("a", 1, ExecutionStatus.COMPLETED)]
        assert executor.running() == {"a": 2}
        # a stop meant for attempt 1 (e.g. the heartbeat found it reassigned) misses attempt 2
        assert not executor.cancel_attempt("a", 1, "reassigned")
        await asyncio.sleep(0.2)
        assert executor.running() == {"a": 2} and len(reports) == 1
        assert executor.cancel_attempt("a", 2, "cancelled")
        await _until(lambda: len(reports) == 2)
        assert (reports[1][1], reports[1][2].status) == (2, ExecutionStatus.CANCELLED)
    finally:
        await executor.stop()


async def test_a_run_that_ends_frees_its_slot_and_says_so() -> None:
    # the dispatcher claims the next due job when told, not at its next poll (0.5 s by default)
    executor, reports = await _executor(margin=0.0)
    freed: list[int] = []
    executor.slot_freed = lambda: freed.append(executor.free_slots())
    try:
        await executor.submit(_job("a", 1, lease_seconds=60, command=["true"]))
        await _until(lambda: freed)
        assert reports and freed == [executor.settings.concurrency]  # said once the slot was free
    finally:
        await executor.stop()


async def test_commands_start_with_their_own_argv0_and_fail_to_start_as_before(tmp_path: Path) -> None:
    from baton.runner import CommandRun

    shown = await CommandRun(["sh", "-c", 'echo "$0"', "name"], timeout=10, output_limit=100).run()
    assert (shown.status, shown.stdout) == (ExecutionStatus.COMPLETED, "name\n")
    (tmp_path / "plain").write_text("#!/bin/sh\n")
    (tmp_path / "dir").mkdir()
    for argv, error in [
        (["no-such-command-xyz"], "Command not found: no-such-command-xyz"),
        ([str(tmp_path / "plain")], f"Permission denied: {tmp_path / 'plain'}"),
        ([str(tmp_path / "missing")], f"Command not found: {tmp_path / 'missing'}"),
        ([str(tmp_path / "dir")], f"Permission denied: {tmp_path / 'dir'}"),
    ]:
        outcome = await CommandRun(argv, timeout=10, output_limit=100).run()
        assert (outcome.status, outcome.error, outcome.exit_code) == (ExecutionStatus.FAILED, error, None)
