"""Backend-neutral errors. Services and backends raise these; the app maps them once to
RFC 9457 problem+json (baton/problems.py)."""

from __future__ import annotations

__all__ = [
    "BatonError",
    "Conflict",
    "Forbidden",
    "InvalidInput",
    "NotAcceptable",
    "NotFound",
    "PreconditionFailed",
    "ServiceUnavailable",
    "TooManyRequests",
    "Unauthorized",
    "Unprocessable",
]


class BatonError(Exception):
    status = 500
    code = "INTERNAL_ERROR"
    title = "Internal Server Error"

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code
        self.errors = errors
        self.headers = headers or {}


class InvalidInput(BatonError):
    status, code, title = 400, "VALIDATION_ERROR", "Bad Request"


class Unauthorized(BatonError):
    status, code, title = 401, "UNAUTHORIZED", "Unauthorized"


class Forbidden(BatonError):
    status, code, title = 403, "FORBIDDEN", "Forbidden"


class NotFound(BatonError):
    status, code, title = 404, "NOT_FOUND", "Not Found"


class NotAcceptable(BatonError):
    status, code, title = 406, "NOT_ACCEPTABLE", "Not Acceptable"


class Conflict(BatonError):
    status, code, title = 409, "CONFLICT", "Conflict"


class PreconditionFailed(BatonError):
    status, code, title = 412, "PRECONDITION_FAILED", "Precondition Failed"


class Unprocessable(BatonError):
    """Well-formed and valid input that cannot be applied: the result would be an invalid resource."""

    status, code, title = 422, "UNPROCESSABLE_CONTENT", "Unprocessable Content"


class TooManyRequests(BatonError):
    status, code, title = 429, "RATE_LIMITED", "Too Many Requests"


class ServiceUnavailable(BatonError):
    status, code, title = 503, "SERVICE_UNAVAILABLE", "Service Unavailable"
