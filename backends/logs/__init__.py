"""Log role: where the full output of every attempt goes, and the URL registry.

The database keeps only each execution's tail; a log store keeps everything, and serves byte
ranges of it while the attempt still runs. Every process that runs jobs must reach the same store."""

from __future__ import annotations

from typing import Protocol

from baton.backends import BackendError, BackendSpec, load_class

__all__ = ["STREAMS", "LogStore", "LogWriter", "create_log_store"]

STREAMS = ("stdout", "stderr")


class LogWriter(Protocol):
    def write(self, stream: str, data: bytes) -> None:
        """Append output of `stream`; output past the store's per-stream cap is dropped."""

    def close(self) -> None:
        """Finish the log (noting what was dropped); writes after this are ignored."""


class LogStore(Protocol):
    url: str

    def writer(self, job_id: str, attempt: int) -> LogWriter:
        """A writer for one attempt's streams (a new attempt's log starts empty)."""

    async def size(self, job_id: str, attempt: int, stream: str) -> int:
        """Bytes stored so far (0 when the attempt wrote nothing)."""

    async def read(self, job_id: str, attempt: int, stream: str, start: int, end: int) -> bytes:
        """Bytes `start` up to (not including) `end`, fewer if the log is shorter."""

    async def delete(self, job_id: str) -> None:
        """Forget every log of the job."""

    def describe(self) -> dict[str, object]: ...


REGISTRY: dict[str, BackendSpec] = {
    "file": BackendSpec("baton.backends.logs.file:FileLogStore"),
}


def create_log_store(url: str, *, max_bytes: int) -> LogStore:
    scheme, sep, _ = url.partition("://")
    if not sep:
        raise BackendError(f"log URL {url!r}: expected scheme://…, e.g. file://./baton-logs")
    cls = load_class("log", url, scheme, REGISTRY)
    return cls.from_url(url, max_bytes=max_bytes)
