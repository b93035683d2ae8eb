"""Registered Python tasks: callables a worker process runs in itself (no subprocess) for jobs
that name them (`{"task": "reports.build", "payload": {...}}`).

A module registers its tasks with the `task` decorator; a process imports the modules named by
BATON_TASKS (comma-separated) and those of the `baton.tasks` entry-point group when it starts.
The callable gets the job's payload (a dict) and returns something JSON can hold: that is the
execution's `result`, at most RESULT_LIMIT_BYTES once encoded (a larger or non-JSON result makes
the attempt fail: a cut-off JSON document would be worse than none)."""

from __future__ import annotations

import asyncio
import functools
import importlib
import inspect
import logging
import queue
import re
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future
from importlib.metadata import entry_points
from typing import Any

import orjson

from baton.backends import BackendError
from baton.models import ExecutionStatus, Outcome

__all__ = [
    "ENTRY_POINT_GROUP",
    "RESULT_LIMIT_BYTES",
    "TASK_NAME",
    "TaskRun",
    "load_tasks",
    "lookup",
    "registered",
    "result_outcome",
    "task",
]

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "baton.tasks"
RESULT_LIMIT_BYTES = 64 * 1024
# as the spec's TaskName: dotted identifiers
TASK_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
TASK_NAME_MAX = 200
ERROR_LIMIT = 2000
CANCEL_GRACE_SECONDS = 3.0  # as baton.runner's KILL_GRACE_SECONDS
THREADS = 64  # sync tasks at once per process; more wait for a thread (their timeouts still run)
_POOL: _DaemonThreads | None = None

_REGISTRY: dict[str, Callable[..., Any]] = {}


def task(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated callable (sync or async, taking the payload) under `name`."""
    if len(name) > TASK_NAME_MAX or not TASK_NAME.fullmatch(name):
        raise ValueError(f"{name!r}: a task name is dotted identifiers, e.g. reports.build")

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        existing = _REGISTRY.get(name)
        if existing is not None and existing is not fn:
            # two callables under one name would run one or the other depending on import order
            raise ValueError(f"task {name!r} is registered twice ({_where(existing)} and {_where(fn)})")
        _REGISTRY[name] = fn
        return fn

    return register


def registered() -> list[str]:
    """The task names this process can run, sorted."""
    return sorted(_REGISTRY)


def lookup(name: str) -> Callable[..., Any] | None:
    return _REGISTRY.get(name)


def load_tasks(modules: str | None, *, entry_points_too: bool = True) -> list[str]:
    """Import BATON_TASKS's modules (comma-separated) and the entry-point group's; a module that
    cannot be imported stops the process at start rather than failing each of its jobs later."""
    for name in _split(modules or ""):
        try:
            importlib.import_module(name)
        except Exception as exc:
            raise BackendError(f"BATON_TASKS: cannot import {name}: {type(exc).__name__}: {exc}") from exc
    if entry_points_too:
        for point in entry_points(group=ENTRY_POINT_GROUP):
            try:
                point.load()
            except Exception as exc:
                raise BackendError(
                    f"entry point {point.name} ({ENTRY_POINT_GROUP}): {type(exc).__name__}: {exc}"
                ) from exc
    return registered()


def _split(text: str) -> Iterable[str]:
    return filter(None, (part.strip() for part in text.split(",")))


def _where(fn: Callable[..., Any]) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', '?')}"


class TaskRun:
    """One attempt of a registered task, with the interface of baton.runner.CommandRun: `run()`
    returns its Outcome, `stop()` ends it early (cancel, shutdown, lost lease)."""

    def __init__(self, name: str, payload: dict[str, Any] | None, *, timeout: float) -> None:
        self.name = name
        self.payload = payload if payload is not None else {}
        self.timeout = timeout
        self._stop = asyncio.Event()
        self._stop_status = ExecutionStatus.CANCELLED
        self._stop_reason = ""

    def stop(self, status: ExecutionStatus, reason: str) -> None:
        if not self._stop.is_set():
            self._stop_status, self._stop_reason = status, reason
            self._stop.set()

    async def run(self) -> Outcome:
        fn = lookup(self.name)
        if fn is None:
            # validated at submit against the fleet, but this worker may not be the one that has it
            error = f"Task {self.name!r} is not registered on this worker"
            return Outcome(ExecutionStatus.FAILED, error=error)
        if _is_async(fn):
            call = asyncio.ensure_future(fn(self.payload))
        else:
            # a sync task runs in a thread: the timeout and a cancel end the attempt at once, but
            # Python cannot kill a thread, so the call itself runs on to its end (documented). Its
            # own pool: tasks that hang must not starve the loop's default executor
            loop = asyncio.get_running_loop()
            call = loop.run_in_executor(_threads(), functools.partial(fn, self.payload))
        # whatever it raises after it was given up on is not "never retrieved"
        call.add_done_callback(_retrieve)
        stopped = asyncio.ensure_future(self._stop.wait())
        try:
            done, _ = await asyncio.wait(
                {call, stopped}, timeout=self.timeout, return_when=asyncio.FIRST_COMPLETED
            )
        except asyncio.CancelledError:
            call.cancel()
            raise
        finally:
            stopped.cancel()
        if call not in done:
            call.cancel()
            # a cancelled coroutine gets a moment to run its cleanup (finally:, async with)
            # before the attempt is reported over, as a command gets between SIGTERM and SIGKILL
            await asyncio.wait({call}, timeout=CANCEL_GRACE_SECONDS)
            if stopped in done:
                return Outcome(self._stop_status, error=self._stop_reason)
            return Outcome(ExecutionStatus.TIMED_OUT, error=f"Timed out after {self.timeout:g} seconds")
        try:
            value = call.result()
        except asyncio.CancelledError:
            return Outcome(ExecutionStatus.FAILED, error="The task was cancelled from inside")
        except Exception as exc:
            # the type and message are the job's error; the traceback only goes to this worker's
            # log, at debug level (a task's failure is the job's business, not the worker's)
            log.info("task %s raised %s", self.name, type(exc).__name__)
            log.debug("task %s raised", self.name, exc_info=True)
            return Outcome(ExecutionStatus.FAILED, error=_clip(f"{type(exc).__name__}: {exc}"))
        return result_outcome(value)


def _is_async(fn: Callable[..., Any]) -> bool:
    while isinstance(fn, functools.partial):
        fn = fn.func
    # an instance whose class has `async def __call__` is awaited too
    return inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(type(fn).__call__)


def _retrieve(call: asyncio.Future[Any]) -> None:
    if not call.cancelled():
        call.exception()


class _DaemonThreads(Executor):
    """A thread pool for sync tasks whose threads are daemons. A ThreadPoolExecutor's threads are
    joined when the interpreter exits, so one sync task that never returns kept a stopped
    `baton worker` (or server) alive until it did: SIGTERM seemed ignored. Up to `size` threads,
    each kept for the next call; calls beyond wait in the queue."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._threads = 0
        self._idle = 0  # threads waiting for a call that no submit has reserved yet
        self._lock = threading.Lock()
        self._calls: queue.SimpleQueue[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]]
        self._calls = queue.SimpleQueue()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self._calls.put((future, functools.partial(fn, **kwargs) if kwargs else fn, args))
        with self._lock:
            if self._idle:
                self._idle -= 1
            elif self._threads < self._size:
                self._threads += 1
                name = f"baton-task-{self._threads}"
                threading.Thread(target=self._work, name=name, daemon=True).start()
        return future

    def _work(self) -> None:
        while True:
            future, fn, args = self._calls.get()
            if future.set_running_or_notify_cancel():
                try:
                    result = fn(*args)
                except BaseException as exc:
                    future.set_exception(exc)
                else:
                    future.set_result(result)
            with self._lock:
                self._idle += 1


def _threads() -> _DaemonThreads:
    global _POOL
    if _POOL is None:
        _POOL = _DaemonThreads(THREADS)
    return _POOL


def result_outcome(value: Any) -> Outcome:
    """A completed attempt with `value` as its result, or a failed one if it cannot be kept."""
    try:
        encoded = orjson.dumps(value)
    except TypeError as exc:
        return Outcome(ExecutionStatus.FAILED, error=_clip(f"The task's result is not JSON: {exc}"))
    if len(encoded) > RESULT_LIMIT_BYTES:
        return Outcome(
            ExecutionStatus.FAILED,
            error=f"The task's result is {len(encoded)} bytes of JSON; at most {RESULT_LIMIT_BYTES} are kept",
        )
    # the decoded form: what the database stores and the API returns (tuples become lists...)
    return Outcome(ExecutionStatus.COMPLETED, result=orjson.loads(encoded))


def _clip(text: str) -> str:
    return text if len(text) <= ERROR_LIMIT else text[: ERROR_LIMIT - 1] + "…"
