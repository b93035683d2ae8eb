"""Idempotency-Key (IETF draft-ietf-httpapi-idempotency-key-header) for the operations whose spec
declares that header: the first request's response is stored per principal and key; the same
key with the same request replays it, with another request gets 422, and while the first is
still running gets 409. Only validated, authenticated requests take part (this runs after
Connexion's security and validation); answers of 500 and above are not kept, so a retry runs."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from baton.context import services_from_scope
from baton.limits import replay_body
from baton.problems import send_problem
from baton.timeutil import utcnow

__all__ = ["IdempotencyMiddleware", "idempotent_operations"]

HEADER = b"idempotency-key"
TTL = timedelta(hours=24)
# response headers worth replaying; per-request ones (X-Request-ID, Date) are not
_REPLAYED = {"content-type", "location", "etag", "cache-control"}


def idempotent_operations(spec: dict[str, Any]) -> set[str]:
    """operationIds whose parameters include the Idempotency-Key header."""
    found = set()
    for item in spec["paths"].values():
        shared = item.get("parameters", [])
        for operation in item.values():
            if not isinstance(operation, dict) or "operationId" not in operation:
                continue
            for param in [*shared, *operation.get("parameters", [])]:
                param = _resolve(spec, param)
                if param.get("in") == "header" and param.get("name", "").lower() == HEADER.decode():
                    found.add(operation["operationId"])
    return found


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:  # local references only, as the spec uses
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, operations: set[str]) -> None:
        self.app = app
        self.operations = operations

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        extensions = scope.get("extensions", {})
        operation = extensions.get("connexion_routing", {}).get("operation_id")
        key = dict(scope.get("headers", [])).get(HEADER)
        token_info = extensions.get("connexion_context", {}).get("token_info")
        if scope["type"] != "http" or operation not in self.operations or not key or not token_info:
            await self.app(scope, receive, send)
            return

        storage = services_from_scope(scope).storage
        principal = token_info["principal"].user_id
        key_text = key.decode("latin-1")
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
        fingerprint = hashlib.sha256(
            b"\0".join(
                [scope["method"].encode(), scope["path"].encode(), scope.get("query_string", b""), body]
            )
        ).hexdigest()

        now = utcnow()
        record = await storage.claim_idempotency_key(principal, key_text, fingerprint, now, now + TTL)
        if record is not None:
            await self._answer_repeat(scope, send, record, fingerprint)
            return

        # the answer is held back until it is recorded: a client that repeats the request the
        # moment it has the answer must get the replay, not a 409 "still in flight"
        start: Message = {}
        held: list[Message] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            held.append(message)

        try:
            await self.app(scope, replay_body(body, receive), capture)
        except BaseException:
            await storage.release_idempotency_key(principal, key_text)
            raise
        status = start.get("status", 500)
        if status >= 500:
            await storage.release_idempotency_key(principal, key_text)
        else:
            headers = {
                name.decode("latin-1").lower(): value.decode("latin-1")
                for name, value in start.get("headers", [])
                if name.decode("latin-1").lower() in _REPLAYED
            }
            chunks = [m.get("body", b"") for m in held if m["type"] == "http.response.body"]
            await storage.complete_idempotency_key(
                principal, key_text, status, headers, b"".join(chunks).decode()
            )
        for message in held:
            await send(message)

    @staticmethod
    async def _answer_repeat(scope: Scope, send: Send, record: Any, fingerprint: str) -> None:
        if record.fingerprint != fingerprint:
            await send_problem(
                send,
                422,
                "IDEMPOTENCY_KEY_REUSED",
                "This Idempotency-Key was used for a different request; use a new key",
                instance=scope["path"],
            )
        elif record.state != "done":
            await send_problem(
                send,
                409,
                "IDEMPOTENCY_KEY_IN_FLIGHT",
                "A request with this Idempotency-Key is still being processed; retry shortly",
                instance=scope["path"],
                headers={"Retry-After": "1"},
            )
        else:
            headers = [(k.encode(), v.encode()) for k, v in (record.headers or {}).items()]
            body = (record.body or "").encode()
            headers += [(b"idempotent-replayed", b"true"), (b"content-length", str(len(body)).encode())]
            await send({"type": "http.response.start", "status": record.status_code, "headers": headers})
            await send({"type": "http.response.body", "body": body})
