"""Request body size limit, answered with 413 problem+json before a large body is buffered.

Chunked bodies (no Content-Length) are read here up to the limit and handed on with a
Content-Length, because Connexion 3.3 takes a request without one as having no body."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from baton.problems import send_problem

__all__ = ["BodySizeLimitMiddleware", "replay_body"]


def replay_body(body: bytes, receive: Receive) -> Receive:
    """A receive channel that hands out an already-read body once, then defers to `receive`
    (for the disconnect message)."""
    replayed = False

    async def replaying() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replaying


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length")
        if declared is not None:
            if not declared.isdigit() or int(declared) > self.max_bytes:
                await self._reject(scope, send)
                return
            await self.app(scope, receive, send)
            return
        if b"chunked" not in headers.get(b"transfer-encoding", b"").lower():
            await self.app(scope, receive, send)
            return

        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._reject(scope, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        scope = dict(scope)
        scope["headers"] = [
            *((k, v) for k, v in scope["headers"] if k not in {b"transfer-encoding", b"content-length"}),
            (b"content-length", str(len(body)).encode()),
        ]
        await self.app(scope, replay_body(body, receive), send)

    async def _reject(self, scope: Scope, send: Send) -> None:
        await send_problem(
            send,
            413,
            "BODY_TOO_LARGE",
            f"The request body exceeds {self.max_bytes} bytes",
            instance=scope.get("path"),
            headers={"Connection": "close"},
        )
