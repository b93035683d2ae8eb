"""Run one command: argv without a shell, in a fresh directory, with a clean environment, a
timeout, and its whole process group killed when it must stop."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from baton.backends.execution.spawn import Child, spawn
from baton.backends.logs import LogWriter
from baton.models import ExecutionStatus, Outcome

__all__ = ["CommandRun", "OutputTail", "make_workroot"]

SAFE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
KILL_GRACE_SECONDS = 3.0
_CHUNK = 65536


@dataclass
class OutputTail:
    """Keeps the last `limit` bytes of a stream; `truncated` tells whether any were dropped."""

    limit: int
    data: bytearray = field(default_factory=bytearray)
    truncated: bool = False

    def feed(self, chunk: bytes) -> None:
        self.data += chunk
        excess = len(self.data) - self.limit
        if excess > 0:
            del self.data[:excess]
            self.truncated = True

    def text(self) -> str:
        data = bytes(self.data)
        if self.truncated:
            # the cut may have split a UTF-8 sequence: drop its orphaned continuation bytes
            skip = 0
            while skip < min(3, len(data)) and 0x80 <= data[skip] <= 0xBF:
                skip += 1
            data = data[skip:]
        # NUL cannot be stored by every database; show it as the replacement character
        return data.decode("utf-8", errors="replace").replace("\x00", "\ufffd")


class CommandRun:
    """One attempt of a command. `stop()` ends it early (cancel, shutdown, lost lease)."""

    def __init__(
        self,
        argv: list[str],
        *,
        timeout: float,
        output_limit: int,
        workroot: str | None = None,
        env: dict[str, str] | None = None,
        log: LogWriter | None = None,
    ) -> None:
        self.argv = argv
        self.timeout = timeout
        self.output_limit = output_limit
        self.workroot = workroot
        self.extra_env = env or {}
        self.log = log
        self._stop = asyncio.Event()
        self._stop_status = ExecutionStatus.CANCELLED
        self._stop_reason = ""

    def stop(self, status: ExecutionStatus, reason: str) -> None:
        if not self._stop.is_set():
            self._stop_status, self._stop_reason = status, reason
            self._stop.set()

    async def run(self) -> Outcome:
        workdir = tempfile.mkdtemp(prefix="job-", dir=self.workroot)
        try:
            return await self._run_in(workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
            if self.log is not None:
                self.log.close()

    async def _run_in(self, workdir: str) -> Outcome:
        env = {"PATH": SAFE_PATH, "HOME": workdir, "TMPDIR": workdir, "LANG": "C.UTF-8", **self.extra_env}
        try:
            proc = await spawn(self.argv, cwd=workdir, env=env)
        except FileNotFoundError:
            return Outcome(ExecutionStatus.FAILED, error=f"Command not found: {self.argv[0]}")
        except PermissionError:
            return Outcome(ExecutionStatus.FAILED, error=f"Permission denied: {self.argv[0]}")
        except OSError as exc:
            return Outcome(ExecutionStatus.FAILED, error=f"Cannot start {self.argv[0]}: {exc.strerror}")

        stdout, stderr = OutputTail(self.output_limit), OutputTail(self.output_limit)
        readers = [
            asyncio.create_task(self._pump(proc.stdout, stdout, "stdout")),
            asyncio.create_task(self._pump(proc.stderr, stderr, "stderr")),
        ]
        exited = asyncio.create_task(proc.wait())
        stopped = asyncio.create_task(self._stop.wait())
        status: ExecutionStatus | None = None
        error: str | None = None
        try:
            done, _ = await asyncio.wait(
                {exited, stopped}, timeout=self.timeout, return_when=asyncio.FIRST_COMPLETED
            )
            if exited not in done:
                if stopped in done:
                    status, error = self._stop_status, self._stop_reason
                else:
                    status = ExecutionStatus.TIMED_OUT
                    error = f"Timed out after {self.timeout:g} seconds"
                await self._terminate(proc, exited)
        except asyncio.CancelledError:
            await self._terminate(proc, exited)
            raise
        finally:
            stopped.cancel()
            # whatever the main process left behind in its group must not outlive the attempt
            _killpg(proc.pid, signal.SIGKILL)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*readers, return_exceptions=True), 5)
            for reader in readers:
                reader.cancel()

        code = proc.returncode
        if status is None:
            if code == 0:
                status = ExecutionStatus.COMPLETED
            else:
                status = ExecutionStatus.FAILED
                error = _describe_exit(code)
        return Outcome(
            status,
            exit_code=code
            if code is not None and code >= 0 and status != ExecutionStatus.TIMED_OUT
            else None,
            stdout=stdout.text(),
            stderr=stderr.text(),
            stdout_truncated=stdout.truncated,
            stderr_truncated=stderr.truncated,
            error=error,
        )

    async def _pump(self, stream: asyncio.StreamReader | None, tail: OutputTail, name: str) -> None:
        if stream is None:
            return
        while chunk := await stream.read(_CHUNK):
            tail.feed(chunk)
            if self.log is not None:
                self.log.write(name, chunk)

    @staticmethod
    async def _terminate(proc: Child, exited: asyncio.Task) -> None:
        _killpg(proc.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(asyncio.shield(exited), KILL_GRACE_SECONDS)
        except TimeoutError:
            _killpg(proc.pid, signal.SIGKILL)
            await exited


def make_workroot() -> str:
    """A directory for this process's job directories, named after its pid. Roots of processes
    that no longer exist (a server killed with SIGKILL cannot clean up) are removed first."""
    base = Path(tempfile.gettempdir())
    for root in base.glob("baton-*-*"):
        pid = root.name.split("-")[1]
        if pid.isdigit() and not _pid_exists(int(pid)) and root.is_dir():
            shutil.rmtree(root, ignore_errors=True)
    return tempfile.mkdtemp(prefix=f"baton-{os.getpid()}-", dir=base)


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _killpg(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


def _describe_exit(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"Killed by {name}"
    return f"Exited with status {code}"
