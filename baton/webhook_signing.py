"""Standard Webhooks signatures (https://www.standardwebhooks.com/) and the payload size cap.

A secret is `whsec_` + base64 of 24 to 64 random bytes (Baton makes 32). Each delivery attempt
carries `webhook-id` (the same on every retry, so receivers can drop duplicates),
`webhook-timestamp` (unix seconds of this attempt, so a retry a day later still passes the
receiver's 5-minute freshness check) and `webhook-signature`: `v1,` + base64 HMAC-SHA256 of
`{id}.{timestamp}.{body}`, once per secret, space-separated, so a receiver that holds either the
old or the new secret accepts the message while a secret is being rotated."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets as _secrets
from collections.abc import Sequence

__all__ = [
    "MAX_PAYLOAD_BYTES",
    "SECRET_PREFIX",
    "PayloadTooLarge",
    "check_payload_size",
    "generate_secret",
    "parse_secret",
    "sign",
    "signature_headers",
]

SECRET_PREFIX = "whsec_"
MAX_PAYLOAD_BYTES = 64 * 1024  # events are small; a bigger one must be trimmed by its producer
_SECRET_BYTES = 32
_MIN_SECRET_BYTES, _MAX_SECRET_BYTES = 24, 64
# ids go in a header and into the signed text, whose parts are separated by dots
_MESSAGE_ID = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_:-]{0,255}")


class PayloadTooLarge(ValueError):
    """A webhook body is over MAX_PAYLOAD_BYTES; the caller must send less (e.g. ids, not objects)."""


def generate_secret() -> str:
    """A new signing secret, `whsec_` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(_secrets.token_bytes(_SECRET_BYTES)).decode("ascii")


def parse_secret(secret: str) -> bytes:
    """The key bytes of a `whsec_…` secret; ValueError when it is not one."""
    if not isinstance(secret, str) or not secret.startswith(SECRET_PREFIX):
        raise ValueError(f"a webhook secret starts with {SECRET_PREFIX}")
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("a webhook secret is whsec_ followed by base64") from None
    if not _MIN_SECRET_BYTES <= len(key) <= _MAX_SECRET_BYTES:
        raise ValueError(
            f"a webhook secret holds {_MIN_SECRET_BYTES} to {_MAX_SECRET_BYTES} bytes, this one {len(key)}"
        )
    return key


def sign(secrets: Sequence[str], msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value: one `v1,<base64>` per secret, space-separated."""
    if not secrets:
        raise ValueError("at least one secret is needed to sign")
    if not _MESSAGE_ID.fullmatch(msg_id):
        raise ValueError(f"{msg_id!r} is not a webhook message id (letters, digits, _ - :)")
    signed = f"{msg_id}.{int(timestamp)}.".encode() + body
    return " ".join(
        "v1," + base64.b64encode(hmac.new(parse_secret(s), signed, hashlib.sha256).digest()).decode("ascii")
        for s in secrets
    )


def signature_headers(secrets: Sequence[str], msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers for one attempt."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(timestamp)),
        "webhook-signature": sign(secrets, msg_id, timestamp, body),
    }


def check_payload_size(body: bytes) -> bytes:
    """`body`, or PayloadTooLarge when it is over MAX_PAYLOAD_BYTES."""
    if len(body) > MAX_PAYLOAD_BYTES:
        raise PayloadTooLarge(
            f"a webhook body may hold at most {MAX_PAYLOAD_BYTES} bytes, this one {len(body)}; "
            "send identifiers the receiver can fetch instead of whole objects"
        )
    return body
