"""Response headers every answer carries: browser hardening, and CORS for the origins allowed in
settings (no wildcard together with credentials: Settings refuses that)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from baton.settings import Settings

__all__ = ["SecurityHeadersMiddleware", "cors_middleware_options"]

# an API answers data, never pages: nothing may be framed, sniffed or loaded from it
_API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# Swagger UI (served from this server, with an inline start-up script and inline styles)
_DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# ReDoc (baton/redoc.py): its bundle and stylesheet from this server and nothing else, no inline
# script (the page has none); images also as data: URIs (icons inside the bundle). Its styles:
# styled-components adds empty <style> elements and fills them through the CSSOM (which
# style-src does not govern), and ReDoc adds one fixed stylesheet (perfect-scrollbar's). Those two
# are allowed by hash, so no other inline style is; a new vendored bundle may need new hashes
# (baton/static/redoc/README.md says how to check).
REDOC_STYLE_HASHES = (
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # the empty string
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",  # perfect-scrollbar's CSS, redoc 2.5.4
)
_REDOC_POLICY = (
    f"default-src 'none'; script-src 'self'; style-src 'self' {' '.join(REDOC_STYLE_HASHES)}; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'none'"
)
# The dashboard (baton/ui.py): its own modules, stylesheet and icon, and calls to this server only
# ('self' covers the same host's ws:/wss: for the event WebSocket in CSP Level 3; a browser that
# refuses it makes the dashboard fall back to long-polling the event list). No inline script or
# style, no eval, no frames, no form posts: forms are handled by the modules.
_UI_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
_COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        policy = (
            _DOCS_POLICY
            if path == "/docs" or path.startswith("/docs/")
            else _REDOC_POLICY
            if path == "/redoc" or path.startswith("/redoc/")
            else _UI_POLICY
            if path == "/ui" or path.startswith("/ui/")
            else _API_POLICY
        )
        extra = [(b"content-security-policy", policy.encode())]
        if scope.get("scheme") == "https":
            extra.append((b"strict-transport-security", b"max-age=31536000"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                added = [(name, value) for name, value in _COMMON + extra if name not in names]
                message["headers"] = [*message.get("headers", []), *added]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def cors_middleware_options(settings: Settings) -> dict | None:
    """Keyword arguments for Starlette's CORSMiddleware, or None when no origin is allowed."""
    origins = [origin for origin in settings.cors_origins.split(",") if origin]
    if not origins:
        return None
    return {
        "allow_origins": origins,
        "allow_credentials": settings.cors_allow_credentials,
        "allow_methods": ["GET", "POST", "PUT", "PATCH", "DELETE"],
        "allow_headers": [
            "Authorization",
            "Content-Type",
            "If-Match",
            "If-None-Match",
            "Idempotency-Key",
            "Range",
            "X-API-Key",
            "X-Request-ID",
        ],
        "expose_headers": [
            "ETag",
            "Location",
            "Retry-After",
            "X-Request-ID",
            "Content-Range",
            "Baton-Log-Size",
            "Baton-Log-Complete",
            "Idempotent-Replayed",
            "X-RateLimit-Limit",
            "X-RateLimit-Remaining",
            "X-RateLimit-Reset",
            "RateLimit-Policy",
        ],
        "max_age": 600,
    }
