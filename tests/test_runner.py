"""The runner's guarantees that only show with real processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
