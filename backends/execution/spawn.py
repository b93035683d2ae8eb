"""Start a command's process quickly, and so that it dies with this process.

- The kernel kills the command when its worker dies (PR_SET_PDEATHSIG, Linux): a worker killed with
  SIGKILL cannot stop its commands, and one left running would overlap the attempt that replaces it
  once the lease runs out. Set through `setpriv --pdeathsig KILL` (util-linux >= 2.33) when there
  is one; else by a `preexec_fn`, which makes Python fork the whole process and run Python in the
  child (no vfork): measured 9.5 ms a `true` against 3.4-5 ms through setpriv.
- Started with subprocess.Popen (vfork) and watched on the event loop through a pidfd and the
  pipes, where the loop's own subprocess support is slower: uvloop's (the server's loop) forks the
  whole process, 7-11 ms a `true` against 2-3 ms; asyncio's waits for each child on a thread.
  Without pidfd_open (not Linux, or a kernel before 5.3): asyncio.create_subprocess_exec.

All of the spawn blocks the event loop: that is the cost that matters, paid once per attempt."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import functools
import os
import shutil
import signal
import subprocess
from typing import Any, Protocol

__all__ = ["Child", "spawn"]

SAFE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class Child(Protocol):
    pid: int
    returncode: int | None
    stdout: asyncio.StreamReader | None
    stderr: asyncio.StreamReader | None

    async def wait(self) -> int: ...


async def spawn(argv: list[str], *, cwd: str, env: dict[str, str]) -> Child:
    """Start argv (no shell) in `cwd` with exactly `env`, stdin from /dev/null, stdout and stderr
    piped, in a process group of its own. FileNotFoundError / PermissionError / OSError as exec's."""
    argv, options = _with_parent_death_signal(argv, env.get("PATH", SAFE_PATH), cwd)
    if not hasattr(os, "pidfd_open"):
        return await asyncio.create_subprocess_exec(
            *argv,
            cwd=cwd,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,  # its own process group, so a kill reaches its children
            **options,
        )
    child = _PidfdChild(_popen(argv, cwd, env, options))
    try:
        await child.attach(asyncio.get_running_loop())
    except BaseException:
        child.kill()
        raise
    return child


def _popen(
    argv: list[str], cwd: str, env: dict[str, str], options: dict[str, Any]
) -> subprocess.Popen[bytes]:
    # blocking, but for as long as a vfork and an exec take: less than the loop's own spawn
    return subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, so a kill reaches its children
        **options,
    )


class _PidfdChild:
    """A Popen watched on the event loop: its pipes as StreamReaders, its exit through a pidfd."""

    def __init__(self, popen: subprocess.Popen[bytes]) -> None:
        self._popen = popen
        self.pid = popen.pid
        self.returncode: int | None = None
        self.stdout: asyncio.StreamReader | None = None
        self.stderr: asyncio.StreamReader | None = None
        self._pidfd: int | None = None
        self._exited: asyncio.Future[int] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._exited = loop.create_future()
        self._pidfd = os.pidfd_open(self.pid)
        loop.add_reader(self._pidfd, self._reap)
        self.stdout = await _reader(loop, self._popen.stdout)
        self.stderr = await _reader(loop, self._popen.stderr)

    def _reap(self) -> None:
        code = self._popen.poll()
        if code is None:  # readable means exited; a spurious wake-up waits for the next
            return
        self.returncode = code
        self.close()
        if self._exited is not None and not self._exited.done():
            self._exited.set_result(code)

    def kill(self) -> None:
        """Undo a start that could not be watched: kill its group, reap it, close what it held."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        self.close()
        self._popen.wait()
        for pipe in (self._popen.stdout, self._popen.stderr):
            if pipe is not None:
                pipe.close()

    def close(self) -> None:
        if self._pidfd is not None:
            if self._loop is not None:
                self._loop.remove_reader(self._pidfd)
            os.close(self._pidfd)
            self._pidfd = None

    async def wait(self) -> int:
        assert self._exited is not None
        return await asyncio.shield(self._exited)


async def _reader(loop: asyncio.AbstractEventLoop, pipe: Any) -> asyncio.StreamReader:
    reader = asyncio.StreamReader(limit=2**16, loop=loop)
    # the transport owns the pipe from now on, and closes it at its end
    protocol = lambda: asyncio.StreamReaderProtocol(reader, loop=loop)  # noqa: E731
    await loop.connect_read_pipe(protocol, _closed_once(loop, pipe))
    return reader


def _closed_once(loop: asyncio.AbstractEventLoop, pipe: Any) -> Any:
    """The pipe, as the loop's transport must get it to close its descriptor exactly once.
    uvloop closes the descriptor, then closes the file object it was given too (handle.pyx: a
    second close it expects to fail with EBADF). With other threads opening files meanwhile, one
    of them may have got that number: its file was closed under it (SQLite: "disk I/O error",
    or the process aborted). uvloop gets a file object that does not own the descriptor."""
    if not type(loop).__module__.startswith("uvloop"):
        return pipe  # asyncio's transport closes the file object, once
    fd = os.dup(pipe.fileno())
    pipe.close()
    return open(fd, "rb", buffering=0, closefd=False)  # uvloop closes the fd


def _with_parent_death_signal(argv: list[str], path: str, cwd: str) -> tuple[list[str], dict[str, Any]]:
    """argv and Popen options that make the command die with this process (_die_with_parent). The
    command is looked up here first when setpriv starts it, so that one missing or not executable
    fails as it would without it (FileNotFoundError, PermissionError), not as setpriv's exit status."""
    setpriv = _find_setpriv()
    if setpriv is None:
        return argv, {"preexec_fn": _die_with_parent}
    command = argv[0]
    if os.sep in command:
        candidates = [os.path.join(cwd, command)]
    else:
        candidates = [os.path.join(directory, command) for directory in path.split(os.pathsep) if directory]
    if not any(os.access(c, os.X_OK) and not os.path.isdir(c) for c in candidates):
        if any(os.path.exists(c) for c in candidates):  # exec says EACCES
            raise PermissionError(command)
        raise FileNotFoundError(command)
    return [setpriv, "--pdeathsig", "KILL", "--", *argv], {}


@functools.cache
def _find_setpriv() -> str | None:
    if _PRCTL is None:
        return None
    found = shutil.which("setpriv", path=SAFE_PATH)
    if found is None:
        return None
    try:
        usage = subprocess.run([found, "--help"], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return found if "--pdeathsig" in usage else None


def _die_with_parent() -> None:
    """In the child before exec: a worker killed with SIGKILL cannot stop its commands, and one
    left running would overlap the attempt that replaces it after the lease runs out; the kernel
    kills the command when its worker dies (Linux)."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _libc_prctl():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):  # not Linux: no such guarantee
        return None


_PR_SET_PDEATHSIG = 1
_PRCTL = _libc_prctl()
