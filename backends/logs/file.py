"""Logs as files: DIR/<job id>/<attempt>.<stream>.log, appended as the command writes."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
from pathlib import Path

from baton.backends import BackendError
from baton.backends.logs import STREAMS

__all__ = ["FileLogStore", "FileLogWriter"]


class FileLogWriter:
    def __init__(self, directory: Path, attempt: int, max_bytes: int) -> None:
        self._directory = directory
        self._attempt = attempt
        self._max_bytes = max_bytes
        self._fds: dict[str, int] = {}
        self._written = dict.fromkeys(STREAMS, 0)
        self._dropped = dict.fromkeys(STREAMS, 0)
        self._closed = False

    def _fd(self, stream: str) -> int:
        fd = self._fds.get(stream)
        if fd is None:
            self._directory.mkdir(parents=True, exist_ok=True)
            path = self._directory / f"{self._attempt}.{stream}.log"
            # O_TRUNC: a re-run of the same attempt number (after a lost worker) starts afresh
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND | os.O_CLOEXEC, 0o640)
            self._fds[stream] = fd
        return fd

    def write(self, stream: str, data: bytes) -> None:
        if self._closed or not data:
            return
        room = self._max_bytes - self._written[stream]
        if room < len(data):
            self._dropped[stream] += len(data) - max(room, 0)
            data = data[: max(room, 0)]
        if data:
            # a page-cache write: short enough to do on the event loop
            os.write(self._fd(stream), data)
            self._written[stream] += len(data)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for stream, dropped in self._dropped.items():
            if dropped:
                note = f"\n[baton: log cut at {self._max_bytes} bytes; {dropped} more bytes were dropped]\n"
                os.write(self._fd(stream), note.encode())
        for fd in self._fds.values():
            with contextlib.suppress(OSError):
                os.close(fd)


class FileLogStore:
    def __init__(self, url: str, root: Path, max_bytes: int) -> None:
        self.url = url
        self.root = root
        self.max_bytes = max_bytes

    @classmethod
    def from_url(cls, url: str, *, max_bytes: int) -> FileLogStore:
        # file://./logs and file://logs are relative to the working directory, file:///var/x absolute
        raw = url.partition("://")[2]
        if not raw or "?" in raw or "#" in raw:
            raise BackendError(f"log URL {url!r}: expected file://DIR or file:///ABSOLUTE/DIR, no options")
        root = Path(raw).expanduser()
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BackendError(f"log URL {url!r}: cannot create {root}: {exc.strerror}") from None
        if not os.access(root, os.W_OK | os.X_OK):
            raise BackendError(f"log URL {url!r}: {root} is not writable")
        return cls(url, root.resolve(), max_bytes)

    def _directory(self, job_id: str) -> Path:
        # ids are validated UUIDs; refuse anything else rather than build a path from it
        if not job_id or not all(c in "0123456789abcdef-" for c in job_id):
            raise ValueError(f"not a job id: {job_id!r}")
        return self.root / job_id

    def _path(self, job_id: str, attempt: int, stream: str) -> Path:
        if stream not in STREAMS:
            raise ValueError(f"not a stream: {stream!r}")
        return self._directory(job_id) / f"{int(attempt)}.{stream}.log"

    def writer(self, job_id: str, attempt: int) -> FileLogWriter:
        return FileLogWriter(self._directory(job_id), attempt, self.max_bytes)

    async def size(self, job_id: str, attempt: int, stream: str) -> int:
        try:
            return self._path(job_id, attempt, stream).stat().st_size
        except FileNotFoundError:
            return 0

    async def read(self, job_id: str, attempt: int, stream: str, start: int, end: int) -> bytes:
        path = self._path(job_id, attempt, stream)

        def read() -> bytes:
            try:
                with path.open("rb") as fh:
                    fh.seek(start)
                    return fh.read(max(0, end - start))
            except FileNotFoundError:
                return b""

        return await asyncio.to_thread(read)

    async def delete(self, job_id: str) -> None:
        await asyncio.to_thread(shutil.rmtree, self._directory(job_id), True)

    def describe(self) -> dict[str, object]:
        return {"backend": "file", "directory": str(self.root), "max_bytes_per_stream": self.max_bytes}
