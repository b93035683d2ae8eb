"""Test harness: each test module gets a real uvicorn server on 127.0.0.1 (a thread in this
process) with its own SQLite database, response validation on, and fast background loops."""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpcore
import httpx
import pytest
import uvicorn

from baton.app import create_app
from baton.settings import Settings
from tests.databases import create_database, drop_database

ADMIN_PASSWORD = "admin-test-password"
# rate limits on, so every test passes through them, but out of the way; tests/test_ratelimit.py
# tightens them
GENEROUS_LIMITS = ",".join(
    f"{tier}=1000000" for tier in ("admin", "manager", "member", "viewer", "anonymous", "login")
)
# Argon2 at its cheapest: a login costs ~1 ms, not ~150 ms of CPU (what the suite's logins added
# up to on CI); test_auth.py checks the production default
TEST_HASH_COST = "t=1,m=1024,p=1"
USER_PASSWORD = "user-test-password"
REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_settings(db_path: Path | None = None, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": f"sqlite+aiosqlite:///{db_path}",
        "executor_url": "local://?concurrency=4",
        "admin_password": ADMIN_PASSWORD,
        "secret_key": "test-secret-key-that-is-long-enough-0123456789",
        "validate_responses": True,
        "poll_seconds": 0.05,
        "heartbeat_seconds": 0.2,
        "lease_seconds": 2,
        "rate_limits": GENEROUS_LIMITS,
        "password_hash_cost": TEST_HASH_COST,
        # job logs beside the database, never in the working directory
        "log_url": f"file://{db_path.parent / 'job-logs'}"
        if db_path
        else f"file://{tempfile.mkdtemp(prefix='baton-test-logs-')}",
    }
    values.update(overrides)
    return Settings.from_env({}, **values)


@dataclass
class LiveServer:
    url: str
    settings: Settings
    tokens: dict[str, str] = field(default_factory=dict)
    thread: ThreadedServer | None = None  # the server itself, for tests that reach into it

    @property
    def services(self):
        """The running app's services (what its lifespan yielded)."""
        assert self.thread is not None
        return self.thread.services

    def client(self, token: str | None = None, **kwargs: object) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30, **kwargs)

    def login(self, username: str, password: str) -> dict:
        response = httpx.post(
            f"{self.url}/api/v1/auth/login", json={"username": username, "password": password}
        )
        assert response.status_code == 200, response.text
        return response.json()

    def token(self, role: str = "admin") -> str:
        """An access token for a user of that role (created once per server)."""
        if role not in self.tokens:
            if role == "admin":
                self.tokens[role] = self.login("admin", ADMIN_PASSWORD)["access_token"]
            else:
                self.tokens[role] = self.make_user(f"{role}-user", role)
        return self.tokens[role]

    def make_user(self, username: str, role: str) -> str:
        """Create a user as the admin, through the API; return an access token. The admin logs in
        afresh (a test may have ended the module's admin session), and where it cannot (a test
        changed its password), the CLI creates the user: each CLI call costs a process start,
        ~1 s of CPU, which added up over the suite."""
        login = httpx.post(
            f"{self.url}/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}
        )
        if login.status_code == 200:
            response = httpx.post(
                f"{self.url}/api/v1/users",
                json={"username": username, "password": USER_PASSWORD, "role": role},
                headers={"Authorization": f"Bearer {login.json()['access_token']}"},
            )
            assert response.status_code == 201, response.text
        else:
            result = run_cli(
                "user", "create", username, "--role", role,
                settings=self.settings, extra_env={"BATON_NEW_PASSWORD": USER_PASSWORD},
            )  # fmt: skip
            assert result.returncode == 0, result.stderr
        return self.login(username, USER_PASSWORD)["access_token"]


def run_cli(
    *args: str, settings: Settings | None = None, extra_env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BATON_")}
    if settings is not None:
        env["BATON_DATABASE_URL"] = settings.database_url
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "baton", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


class ThreadedServer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.port = free_port()
        # keep-alive far past any test's pause: uvicorn's 5 s default closed a module's idle pooled
        # connection just as the next test reused it (ReadError: connection reset by peer)
        config = uvicorn.Config(
            create_app(settings),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on",
            timeout_keep_alive=600,
            ws_per_message_deflate=settings.ws_compression,  # as `baton serve` does
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("test server did not start")
            time.sleep(0.02)
        offline(self)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)

    @property
    def services(self):
        """The running app's services (what its lifespan yielded), for fault injection."""
        return self.server.lifespan.state["baton"]


async def offline_resolver(host: str, port: int) -> list[str]:
    """Tests never look names up: the machine's resolver is not on it, and webhook URLs that fuzzers
    and suites make up must not leave it. `localhost` is what it always is."""
    if host == "localhost" or host.endswith(".localhost"):
        return ["127.0.0.1"]
    raise socket.gaierror(socket.EAI_NONAME, f"{host}: tests look up no names")


class LoopbackOnly(httpcore.AsyncNetworkBackend):
    """Connects to loopback addresses only: a webhook URL with a public address (fuzzers make
    them up, and the SSRF guard rightly allows them) must not send traffic off the machine."""

    def __init__(self) -> None:
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout=None, local_address=None, socket_options=None):  # noqa: ASYNC109
        if not ipaddress.ip_address(host).is_loopback:
            raise httpcore.ConnectError(f"{host}: tests connect only to this machine")
        return await self.inner.connect_tcp(host, port, timeout, local_address, socket_options)

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def offline(threaded: ThreadedServer) -> None:
    """Give the server's webhook deliveries a sender that looks up no name and reaches only this
    machine (see offline_resolver, LoopbackOnly)."""
    from baton.webhook_delivery import WebhookSender

    worker = threaded.services.dispatcher.deliveries
    worker.sender = WebhookSender.from_settings(
        threaded.settings, resolver=offline_resolver, network=LoopbackOnly()
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """The HTTP suite's server, on SQLite unless BATON_TEST_DATABASE names mariadb or postgresql
    (a fresh database per test module, dropped afterwards)."""
    kind = os.environ.get("BATON_TEST_DATABASE", "sqlite")
    database_url = create_database(kind, tmp_path_factory.mktemp("db"))
    # a test module may adjust its server: SERVER_SETTINGS = {"setting": value}
    overrides = getattr(request.module, "SERVER_SETTINGS", {})
    settings = make_settings(database_url=database_url, **overrides)
    try:
        threaded = ThreadedServer(settings)
        with threaded as url:
            yield LiveServer(url, settings, thread=threaded)
    finally:
        drop_database(database_url)


@pytest.fixture(scope="module")
def admin(server: LiveServer) -> Iterator[httpx.Client]:
    with server.client(server.token("admin")) as client:
        yield client


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie has exited; its parent just has not reaped it yet
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split(") ")[1].startswith("Z"))


def wait_for(predicate, timeout: float = 20, interval: float = 0.05):
    """Poll until predicate() returns something truthy; return it, or fail with the last value."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s (last value: {last!r})")


def wait_for_status(client: httpx.Client, job_id: str, statuses: set[str], timeout: float = 20) -> dict:
    def check():
        job = client.get(f"/api/v1/jobs/{job_id}").json()
        return job if job["status"] in statuses else None

    return wait_for(check, timeout)


def assert_problem(response: httpx.Response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["request_id"] == response.headers["x-request-id"]
    assert "Traceback" not in response.text
    if code is not None:
        assert body["code"] == code, body
    return body


class ServerProcess:
    """`baton serve` as a real child process, for tests that kill or restart the server."""

    def __init__(self, db_path: Path, log_path: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("BATON_")},
            "BATON_DATABASE_URL": f"sqlite+aiosqlite:///{db_path}",
            "BATON_SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "BATON_LEASE_SECONDS": "2",
            "BATON_HEARTBEAT_SECONDS": "0.3",
            "BATON_POLL_SECONDS": "0.05",
            "BATON_LOG_LEVEL": "warning",
            "BATON_LOG_URL": f"file://{db_path.parent / 'job-logs'}",
            "BATON_RATE_LIMITS": GENEROUS_LIMITS,
            "BATON_PASSWORD_HASH_COST": TEST_HASH_COST,
            **env,
        }
        self.proc: subprocess.Popen[bytes] | None = None
        self.command = [sys.executable, "-m", "baton"]  # what `serve --port N` is passed to

    def start(self, timeout: float = 90) -> ServerProcess:  # a fresh MariaDB migrates slowly when busy
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [*self.command, "serve", "--port", str(self.port)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )

        def up() -> bool:
            assert self.proc is not None and self.proc.poll() is None, self.log_path.read_text()
            try:
                return httpx.get(f"{self.url}/health", timeout=1).status_code == 200
            except httpx.TransportError:
                return False

        wait_for(up, timeout=timeout, interval=0.1)
        return self

    def stop(self, sig: int = 15, timeout: float = 30) -> int:
        assert self.proc is not None
        self.proc.send_signal(sig)
        return self.proc.wait(timeout)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


# The file that runs longest (Schemathesis, ~4.5 minutes) starts first, then the files holding slow
# tests: tox spreads whole files over 3 processes (tox.ini), and a long file that starts last is
# the whole run's tail.
LONGEST_FIRST = ("test_fuzz.py",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # lets tox re-run exactly the HTTP suite against MariaDB and PostgreSQL: -m uses_server
    for item in items:
        if "server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.uses_server)
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}

    def rank(item: pytest.Item) -> int:  # files stay whole and keep their own order
        if item.path.name in LONGEST_FIRST:
            return 0
        return 1 if item.path in slow_files else 2

    items.sort(key=rank)
