"""Signed webhook attempts against real receivers on 127.0.0.1, checked the way a receiver would
(the `standardwebhooks` package); the retry policy's arithmetic is in test_webhook_retry.py."""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import json
import shutil
import ssl
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from baton import __version__
from baton.netguard import TargetPolicy, parse_networks
from baton.settings import Settings
from baton.webhook_delivery import BODY_HEAD_BYTES, AttemptResult, WebhookSender
from baton.webhook_retry import Outcome, RetryPolicy, classify
from baton.webhook_signing import (
    MAX_PAYLOAD_BYTES,
    PayloadTooLarge,
    check_payload_size,
    generate_secret,
    parse_secret,
    sign,
)

LOOPBACK = TargetPolicy(allow_http=True, allow_networks=parse_networks("127.0.0.0/8"))
BODY = json.dumps({"type": "job.completed", "data": {"id": "0190-abc", "status": "completed"}}).encode()


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A threaded HTTP server on 127.0.0.1 that records what it is sent; the path picks the answer:
    /ok/…, /redirect/…, /hang/…, /big/…, /status/CODE[/RETRY-AFTER]."""

    port: int = 0
    scheme: str = "http"
    received: list[Received] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    sni_names: list[str | None] = field(default_factory=list)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def got(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]


def start_receiver(tls: ssl.SSLContext | None = None) -> tuple[Receiver, ThreadingHTTPServer]:
    receiver = Receiver(scheme="https" if tls else "http")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def answer(self, status: int, body: bytes = b"", **headers: str) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            receiver.received.append(
                Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            kind, *rest = self.path.strip("/").split("/")
            if kind == "ok":
                self.answer(200, b'{"thanks": true}')
            elif kind == "redirect":
                self.answer(302, Location=receiver.url("/ok/redirected"))
            elif kind == "hang":
                receiver.release.wait(10)
                self.answer(200)
            elif kind == "big":
                self.answer(200, b"x" * 100_000)
            elif kind == "status":
                extra = {"Retry_After": rest[1]} if len(rest) > 1 else {}
                self.answer(int(rest[0]), b"nope", **extra)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128  # the default 5 drops connections a burst of deliveries opens

        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client that gave up (the timeout test) is expected here

    server = Server(("127.0.0.1", 0), Handler)
    if tls is not None:
        tls.sni_callback = lambda sock, name, ctx: receiver.sni_names.append(name)  # type: ignore[assignment]
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    receiver.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver, server


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    receiver, server = start_receiver()
    yield receiver
    receiver.release.set()
    server.shutdown()
    server.server_close()


def unique(prefix: str) -> str:
    return f"/{prefix}/{uuid.uuid4().hex}"


def verify(secret: str, received: Received) -> object:
    return Webhook(secret).verify(received.body, received.headers)


async def test_a_receiver_verifies_the_signature_with_standard_webhooks(receiver: Receiver) -> None:
    secret, path = generate_secret(), unique("ok")
    async with WebhookSender(LOOPBACK) as sender:
        result = await sender.send(receiver.url(path), BODY, msg_id="msg_1", secrets=[secret])
    assert result.ok and result.status == 200 and result.error is None
    assert result.body_head == b'{"thanks": true}' and result.remote_address == "127.0.0.1"
    assert 0 < result.duration < 5
    [got] = receiver.got(path)
    assert verify(secret, got) == json.loads(BODY)
    assert got.body == BODY
    assert got.headers["content-type"] == "application/json"
    assert got.headers["user-agent"] == f"Baton-Webhooks/{__version__}"
    assert got.headers["host"] == f"127.0.0.1:{receiver.port}"
    assert got.headers["webhook-id"] == "msg_1"
    assert abs(int(got.headers["webhook-timestamp"]) - time.time()) < 60
    assert got.headers["webhook-signature"].startswith("v1,")


async def test_tampering_a_wrong_secret_and_a_stale_timestamp_are_rejected(receiver: Receiver) -> None:
    secret, fresh, stale = generate_secret(), unique("ok"), unique("ok")
    async with WebhookSender(LOOPBACK) as sender:
        await sender.send(receiver.url(fresh), BODY, msg_id="msg_2", secrets=[secret])
        await sender.send(
            receiver.url(stale), BODY, msg_id="msg_3", secrets=[secret], timestamp=int(time.time()) - 301
        )
    [got] = receiver.got(fresh)
    verify(secret, got)  # the untouched message passes
    tampered = Received(got.path, got.headers, got.body.replace(b"completed", b"failed"))
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        verify(secret, tampered)
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        verify(generate_secret(), got)
    replayed_id = Received(got.path, {**got.headers, "webhook-id": "msg_other"}, got.body)
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        verify(secret, replayed_id)
    [old] = receiver.got(stale)
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify(secret, old)


async def test_both_secrets_verify_during_a_rotation(receiver: Receiver) -> None:
    old, new, path = generate_secret(), generate_secret(), unique("ok")
    async with WebhookSender(LOOPBACK) as sender:
        await sender.send(receiver.url(path), BODY, msg_id="msg_4", secrets=[old, new])
    [got] = receiver.got(path)
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    assert verify(old, got) == verify(new, got) == json.loads(BODY)
    with pytest.raises(WebhookVerificationError):
        verify(generate_secret(), got)


def resolver_for(answers: dict[str, list[str]]):
    async def resolve(host: str, port: int) -> list[str]:
        return answers[host]

    return resolve


async def test_a_name_resolving_to_loopback_is_refused_at_send_time_unless_allowed(
    receiver: Receiver,
) -> None:
    resolver = resolver_for({"hooks.example.test": ["127.0.0.1"]})
    path = unique("ok")
    url = receiver.url(path, host="hooks.example.test")
    async with WebhookSender(TargetPolicy(allow_http=True), resolver=resolver) as strict:
        refused = await strict.send(url, BODY, msg_id="msg_5", secrets=[generate_secret()])
    assert refused.status is None and refused.error_kind == "unsafe_target"
    assert refused.error == (
        "refused: hooks.example.test resolves to 127.0.0.1, a loopback address; "
        "set BATON_WEBHOOK_ALLOW_NETWORKS to allow it"
    )
    assert receiver.got(path) == []  # nothing was sent
    settings = Settings.from_env(
        {"BATON_WEBHOOK_ALLOW_HTTP": "true", "BATON_WEBHOOK_ALLOW_NETWORKS": "127.0.0.0/8"}
    )
    async with WebhookSender.from_settings(settings, resolver=resolver) as allowed:
        result = await allowed.send(url, BODY, msg_id="msg_5", secrets=[generate_secret()])
    assert result.status == 200, result
    [got] = receiver.got(path)
    assert got.headers["host"] == f"hooks.example.test:{receiver.port}"  # the name, not the address


async def test_a_literal_private_address_is_refused_without_traffic(receiver: Receiver) -> None:
    path = unique("ok")
    async with WebhookSender(TargetPolicy(allow_http=True)) as strict:
        result = await strict.send(
            receiver.url(path, host="0x7f.1"), BODY, msg_id="m", secrets=[generate_secret()]
        )
    assert result.error_kind == "unsafe_target" and "127.0.0.1 is a loopback" in (result.error or "")
    assert classify(result.status) is Outcome.RETRY
    assert receiver.got(path) == []


async def test_a_redirect_is_not_followed_and_fails_the_attempt(receiver: Receiver) -> None:
    path = unique("redirect")
    before = len(receiver.got("/ok/redirected"))
    async with WebhookSender(LOOPBACK) as sender:
        result = await sender.send(receiver.url(path), BODY, msg_id="msg_6", secrets=[generate_secret()])
    assert result.status == 302 and not result.ok and result.error_kind == "redirect"
    assert result.location == receiver.url("/ok/redirected")
    assert result.error == f"redirected to {receiver.url('/ok/redirected')}; redirects are not followed"
    assert result.describe().startswith("HTTP 302: redirected to http://127.0.0.1:")
    assert len(receiver.got(path)) == 1 and len(receiver.got("/ok/redirected")) == before
    assert RetryPolicy().decide(result, 1).outcome is Outcome.RETRY


async def test_a_hanging_receiver_times_out_without_holding_up_other_deliveries(receiver: Receiver) -> None:
    timeout = 0.5
    secret = generate_secret()
    async with WebhookSender(LOOPBACK, timeout=timeout) as sender:

        async def timed(path: str) -> tuple[AttemptResult, float]:
            result = await sender.send(receiver.url(path), BODY, msg_id="msg_7", secrets=[secret])
            return result, time.monotonic() - started

        started = time.monotonic()
        outcomes = await asyncio.gather(timed(unique("hang")), *(timed(unique("ok")) for _ in range(8)))
    (hung, hung_at), *others = outcomes
    assert hung.status is None and hung.error_kind == "timeout"
    assert hung.error == "timed out after 0.5 s"
    assert timeout * 0.9 <= hung.duration < timeout + 2
    assert classify(hung.status) is Outcome.RETRY
    for result, finished_at in others:
        assert result.status == 200
        assert finished_at < hung_at and finished_at < timeout  # none waited for the hanging one


async def test_only_the_head_of_a_big_answer_is_kept(receiver: Receiver) -> None:
    async with WebhookSender(LOOPBACK) as sender:
        result = await sender.send(receiver.url(unique("big")), BODY, msg_id="m", secrets=[generate_secret()])
    assert result.status == 200 and result.body_head == b"x" * BODY_HEAD_BYTES


async def test_retry_after_is_read_from_the_answer(receiver: Receiver) -> None:
    async with WebhookSender(LOOPBACK) as sender:
        busy = await sender.send(
            receiver.url("/status/503/120"), BODY, msg_id="m", secrets=[generate_secret()]
        )
        gone = await sender.send(receiver.url("/status/410"), BODY, msg_id="m", secrets=[generate_secret()])
    assert (busy.status, busy.retry_after, busy.body_head, busy.error) == (503, 120.0, b"nope", None)
    assert busy.describe() == "HTTP 503"
    assert (gone.status, gone.retry_after) == (410, None)
    assert RetryPolicy().decide(gone, 1).outcome is Outcome.DISABLE


async def test_a_closed_port_is_a_network_error(receiver: Receiver) -> None:
    closed, _ = start_receiver()
    _.shutdown()
    _.server_close()
    async with WebhookSender(LOOPBACK) as sender:
        result = await sender.send(closed.url("/ok/x"), BODY, msg_id="m", secrets=[generate_secret()])
    assert result.status is None and result.error_kind == "network"
    assert (result.error or "").startswith("could not connect:")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=hooks.example.test",
         "-addext", "subjectAltName=DNS:hooks.example.test"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


async def test_tls_goes_to_the_checked_address_but_verifies_the_host_name(
    certificate: tuple[Path, Path],
) -> None:
    cert, key = certificate
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    receiver, server = start_receiver(server_tls)
    trusting = ssl.create_default_context(cafile=str(cert))
    resolver = resolver_for({"hooks.example.test": ["127.0.0.1"], "other.example.test": ["127.0.0.1"]})
    secret = generate_secret()
    try:
        async with WebhookSender(LOOPBACK, resolver=resolver, ssl_context=trusting) as sender:
            good = await sender.send(
                receiver.url("/ok/tls", host="hooks.example.test"), BODY, msg_id="m", secrets=[secret]
            )
            # same address, but the certificate does not name this host (or the bare address)
            wrong_name = await sender.send(
                receiver.url("/ok/other", host="other.example.test"), BODY, msg_id="m", secrets=[secret]
            )
            bare = await sender.send(receiver.url("/ok/bare"), BODY, msg_id="m", secrets=[secret])
    finally:
        server.shutdown()
        server.server_close()
    assert good.status == 200 and good.remote_address == "127.0.0.1"
    assert "hooks.example.test" in receiver.sni_names
    [got] = receiver.got("/ok/tls")
    assert got.headers["host"] == f"hooks.example.test:{receiver.port}"
    verify(secret, got)
    for failed in (wrong_name, bare):
        assert failed.status is None and failed.error_kind == "network"
        assert "CERTIFICATE_VERIFY_FAILED" in (failed.error or ""), failed.error
    assert receiver.got("/ok/other") == receiver.got("/ok/bare") == []


def test_secrets_are_standard_webhooks_secrets() -> None:
    secret = generate_secret()
    assert secret.startswith("whsec_") and len(parse_secret(secret)) == 32
    assert generate_secret() != secret
    assert base64.b64decode(secret[6:]) == parse_secret(secret)
    for bad, reason in [
        ("abc", "starts with whsec_"),
        ("whsec_" + base64.b64encode(b"x" * 16).decode(), "24 to 64 bytes, this one 16"),
        ("whsec_not base64!", "followed by base64"),
    ]:
        with pytest.raises(ValueError, match=reason):
            parse_secret(bad)


def test_signatures_match_the_reference_implementation() -> None:
    secret, body, timestamp = generate_secret(), b'{"a": "\xc3\xa4"}', 1_700_000_000
    expected = Webhook(secret).sign("msg_x", datetime.fromtimestamp(timestamp, UTC), body.decode())
    assert sign([secret], "msg_x", timestamp, body) == expected
    assert sign([secret], "msg_x", timestamp + 1, body) != expected
    with pytest.raises(ValueError, match="at least one secret"):
        sign([], "msg_x", timestamp, body)
    with pytest.raises(ValueError, match="not a webhook message id"):
        sign([secret], "msg.x y", timestamp, body)


async def test_the_payload_cap(receiver: Receiver) -> None:
    assert check_payload_size(b"x" * MAX_PAYLOAD_BYTES) == b"x" * MAX_PAYLOAD_BYTES
    with pytest.raises(PayloadTooLarge, match=f"at most {MAX_PAYLOAD_BYTES} bytes, this one 65537"):
        check_payload_size(b"x" * (MAX_PAYLOAD_BYTES + 1))
    path = unique("ok")
    async with WebhookSender(LOOPBACK) as sender:
        with pytest.raises(PayloadTooLarge):
            await sender.send(receiver.url(path), b"x" * (MAX_PAYLOAD_BYTES + 1), msg_id="m", secrets=["x"])
    assert receiver.got(path) == []


def test_a_sender_takes_its_timeout_from_the_settings() -> None:
    settings = Settings.from_env({"BATON_WEBHOOK_TIMEOUT_SECONDS": "3"})
    sender = WebhookSender.from_settings(settings)
    assert sender.timeout == 3.0 and sender.policy == TargetPolicy()
    assert not sender.policy.allows(ipaddress.ip_address("127.0.0.1"))
