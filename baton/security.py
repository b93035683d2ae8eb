"""How Connexion's security reaches the auth service: the callbacks the spec's securitySchemes
name (`x-tokenInfoFunc`, `x-apikeyInfoFunc`), and the answer to an API key sent where only a
bearer token will do. The HTTP side of authentication; the rules are baton/auth.py's."""

from __future__ import annotations

from typing import Any

from connexion.exceptions import OAuthScopeProblem

from baton.context import services_from_scope
from baton.problems import send_problem
from baton.spec import operation_scopes

__all__ = ["BearerOnlyMiddleware", "api_key_info", "token_info"]


class BearerOnlyMiddleware:
    """An API key sent to an operation that takes only bearer tokens (managing keys, logout) gets
    403 BEARER_TOKEN_REQUIRED. Connexion's security would answer 401 "No authorization token
    provided", which sends the caller looking for a broken header. The key is not looked at, so
    the answer tells nothing about it. Runs before security, after the outer rate limit."""

    def __init__(self, app: Any, operations: frozenset[str]) -> None:
        self.app = app
        self.operations = operations

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            operation = scope.get("extensions", {}).get("connexion_routing", {}).get("operation_id")
            names = {name for name, _ in scope.get("headers", [])}
            if operation in self.operations and b"x-api-key" in names and b"authorization" not in names:
                detail = "An API key cannot do this (manage API keys, log out): send a bearer token"
                await send_problem(send, 403, "BEARER_TOKEN_REQUIRED", detail, instance=scope["path"])
                return
        await self.app(scope, receive, send)


async def api_key_info(api_key: str, request: Any) -> dict[str, Any]:
    """Connexion's x-apikeyInfoFunc: resolve an X-API-Key to a principal, and hold it to the
    scopes the operation declares for OAuth2 (OpenAPI 3.0 gives API-key requirements none)."""
    principal = await services_from_scope(request.scope).auth.authenticate_api_key(api_key)
    operation = request.scope.get("extensions", {}).get("connexion_routing", {}).get("operation_id")
    required = operation_scopes().get(operation, frozenset())
    if not required <= principal.scopes:
        raise OAuthScopeProblem(token_scopes=sorted(principal.scopes), required_scopes=sorted(required))
    return {"sub": principal.user_id, "scope": sorted(principal.scopes), "principal": principal}


async def token_info(token: str, request: Any) -> dict[str, Any]:
    """Connexion's x-tokenInfoFunc: resolve the bearer token to a principal and its scopes."""
    principal = await services_from_scope(request.scope).auth.authenticate(token)
    return {"sub": principal.user_id, "scope": sorted(principal.scopes), "principal": principal}
