"""Webhook receivers for tests and benchmarks: threaded HTTP servers on 127.0.0.1 that record every
request (with when it started and ended) and answer as each path is told to.

`Receiver.script(path, 500, 500, 500)` answers the next three requests to `path` with 500, then
200 again; `hang` holds requests to a path until `release` is set (or 30 s); `delay` slows every
answer. An application behind the receiver dedupes by `webhook-id`, as Standard Webhooks asks."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["Received", "Receiver", "receiver"]


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    started: float  # time.monotonic() when the request arrived
    ended: float = 0.0  # and when it was answered

    @property
    def message_id(self) -> str:
        return self.headers.get("webhook-id", "")


@dataclass
class Receiver:
    port: int = 0
    received: list[Received] = field(default_factory=list)
    delay: float = 0.0  # seconds before every answer
    hang: set[str] = field(default_factory=set)  # paths whose requests wait for `release`
    release: threading.Event = field(default_factory=threading.Event)
    _scripts: dict[str, deque[tuple[int, dict[str, str]]]] = field(default_factory=lambda: defaultdict(deque))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def script(self, path: str, *statuses: int, **headers: str) -> None:
        """Answer the next requests to `path` with these statuses (then 200)."""
        with self._lock:
            self._scripts[path].extend((status, headers) for status in statuses)

    def got(self, path: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if r.path == path]

    def delivered(self, path: str) -> list[Received]:
        """What the application behind the path saw: answered 2xx, each message id once."""
        seen: set[str] = set()
        unique = []
        for request in self.got(path):
            if getattr(request, "status", 200) < 300 and request.message_id not in seen:
                seen.add(request.message_id)
                unique.append(request)
        return unique

    def _answer_for(self, path: str) -> tuple[int, dict[str, str]]:
        with self._lock:
            queue = self._scripts.get(path)
            return queue.popleft() if queue else (200, {})


@contextmanager
def receiver(**options: object) -> Iterator[Receiver]:
    state = Receiver(**options)  # type: ignore[arg-type]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # headers and body go out in two writes: with Nagle's algorithm the second waits for the
        # sender's delayed ACK (40 ms a message), as no real web server makes it wait
        disable_nagle_algorithm = True

        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            started = time.monotonic()
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            record = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body, started)
            with state._lock:
                state.received.append(record)
            if self.path in state.hang:
                state.release.wait(30)
            if state.delay:
                time.sleep(state.delay)
            status, headers = state._answer_for(self.path)
            record.status = status  # type: ignore[attr-defined]
            answer = b'{"ok": true}' if status < 300 else b'{"error": "scripted"}'
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name.replace("_", "-"), value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
            finally:  # also when the sender is gone (timed out, or killed)
                record.ended = time.monotonic()

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 256

        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a sender that gave up (a timeout) is expected

    server = Server(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
