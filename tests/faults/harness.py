"""Real processes for the arq executor's tests: a private redis-server, `baton serve` with the arq
executor, and `baton worker` processes. Everything listens on 127.0.0.1 only, and Redis is a
private process on a free port, so the tests never touch a Redis someone else uses."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import redis

from tests.conftest import ADMIN_PASSWORD, ServerProcess, free_port, wait_for

JOBS = "/api/v1/jobs"
SECRET = "test-secret-key-that-is-long-enough-0123456789"


def require_redis_server() -> str:
    """Path of redis-server; skip locally when it is missing, fail in CI."""
    path = shutil.which("redis-server")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server must be installed in CI")
        pytest.skip("redis-server is not installed here")
    return path


class RedisProcess:
    """A private redis-server without persistence: a restart loses everything, like a crash."""

    def __init__(self, workdir: Path) -> None:
        self.binary = require_redis_server()
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)

    def start(self) -> RedisProcess:
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "no", "--daemonize", "no", "--dir", str(self.workdir)]
        with open(self.workdir / "redis.log", "ab") as log:
            self.proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

        def up() -> bool:
            assert self.proc is not None and self.proc.poll() is None, "redis-server exited"
            try:
                return bool(self.client().ping())
            except redis.RedisError:
                return False

        wait_for(up, timeout=15, interval=0.05)
        return self

    def stop(self, sig: int = signal.SIGKILL) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(15)

    def restart(self) -> None:
        self.stop()
        self.start()


def arq_url(redis_proc: RedisProcess, **options: object) -> str:
    query = "&".join(f"{k}={v}" for k, v in options.items())
    return f"arq://127.0.0.1:{redis_proc.port}/0" + (f"?{query}" if query else "")


class WorkerProcess:
    """`baton worker` as a child process."""

    def __init__(self, env: dict[str, str], log_path: Path, *, queue: str = "default", concurrency: int = 4):
        self.env = env
        self.log_path = log_path
        self.args = [sys.executable, "-m", "baton", "worker", "--queue", queue]
        self.args += ["--concurrency", str(concurrency)]
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> WorkerProcess:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                self.args, env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 40) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(timeout)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class ArqCluster:
    """A server (arq executor) and its workers on one database and one private Redis."""

    def __init__(
        self,
        workdir: Path,
        redis_proc: RedisProcess,
        *,
        database_url: str | None = None,
        lease_seconds: int = 2,
        heartbeat_seconds: float = 0.3,
        reconcile_seconds: float = 1.0,
        server_env: dict[str, str] | None = None,
    ) -> None:
        self.workdir = workdir
        self.redis = redis_proc
        self.executor_url = arq_url(redis_proc, reconcile=reconcile_seconds)
        self.database_url = database_url or f"sqlite+aiosqlite:///{workdir / 'baton.db'}"
        self.common = {
            "BATON_DATABASE_URL": self.database_url,
            "BATON_EXECUTOR_URL": self.executor_url,
            "BATON_LEASE_SECONDS": str(lease_seconds),
            "BATON_HEARTBEAT_SECONDS": str(heartbeat_seconds),
            "BATON_LOG_URL": f"file://{workdir / 'job-logs'}",
            "BATON_LOG_LEVEL": "warning",
        }
        self.server = ServerProcess(
            workdir / "baton.db",
            workdir / "server.log",
            BATON_ADMIN_PASSWORD=ADMIN_PASSWORD,
            **self.common,
            **(server_env or {}),
        )
        self.workers: list[WorkerProcess] = []
        self._token: str | None = None

    def start(self) -> ArqCluster:
        self.server.start()
        return self

    def worker_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BATON_")}
        return {**env, **self.common, "BATON_WORKER_POLL_SECONDS": "0.02"}

    def add_worker(
        self, *, queue: str = "default", concurrency: int = 4, env: dict[str, str] | None = None
    ) -> WorkerProcess:
        index = len(self.workers)
        worker = WorkerProcess(
            {**self.worker_env(), **(env or {})},
            self.workdir / f"worker-{index}.log",
            queue=queue,
            concurrency=concurrency,
        ).start()
        self.workers.append(worker)
        return worker

    def client(self) -> httpx.Client:
        if self._token is None:
            response = httpx.post(
                f"{self.server.url}/api/v1/auth/login",
                json={"username": "admin", "password": ADMIN_PASSWORD},
                timeout=30,
            )
            self._token = response.json()["access_token"]
        return httpx.Client(
            base_url=self.server.url, headers={"Authorization": f"Bearer {self._token}"}, timeout=30
        )

    def stop(self) -> None:
        for worker in self.workers:
            if worker.alive():
                worker.stop(signal.SIGKILL)
        if self.server.proc is not None and self.server.proc.poll() is None:
            self.server.stop(signal.SIGKILL)

    def logs(self) -> str:
        parts = [f"--- server\n{self.server.log()}"]
        parts += [f"--- worker {i} (pid {w.pid})\n{w.log()}" for i, w in enumerate(self.workers)]
        return "\n".join(parts)


def wait_until_gone(pid: int, timeout: float = 10) -> None:
    from tests.conftest import pid_alive

    wait_for(lambda: not pid_alive(pid), timeout=timeout)


def monotonic_ms() -> float:
    return time.monotonic() * 1000


def require_mariadb_server() -> tuple[str, str]:
    """Paths of mariadb-install-db and mariadbd; skip locally when either is missing, fail in CI."""
    install = shutil.which("mariadb-install-db")
    server = shutil.which("mariadbd") or next(
        (path for path in ("/usr/sbin/mariadbd", "/usr/libexec/mariadbd") if os.access(path, os.X_OK)), None
    )
    if install is None or server is None:
        if os.environ.get("CI"):
            pytest.fail("mariadb-install-db and mariadbd must be installed in CI")
        pytest.skip("mariadb-install-db or mariadbd is not installed here")
    return install, server


class MariaDBProcess:
    """A private mariadbd on a fresh datadir and a free port of 127.0.0.1 (root, no password), so
    a test can crash and restart it without touching the MariaDB other tests share. Committed
    transactions survive a SIGKILL (innodb_flush_log_at_trx_commit=1, the default)."""

    OPTIONS = ("--innodb-buffer-pool-size=32M", "--innodb-log-file-size=16M", "--skip-name-resolve")

    def __init__(self, workdir: Path, database: str = "baton") -> None:
        self.install, self.binary = require_mariadb_server()
        self.workdir = workdir
        self.datadir = workdir / "data"
        self.database = database
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        # mariadbd refuses to run as root unless told to
        self.user = ["--user=root"] if os.geteuid() == 0 else []

    def url(self, **query: object) -> str:
        options = "&".join(f"{k}={v}" for k, v in {"charset": "utf8mb4", **query}.items())
        return f"mysql+aiomysql://root@127.0.0.1:{self.port}/{self.database}?{options}"

    def connect(self, timeout: float = 2):
        import pymysql

        return pymysql.connect(host="127.0.0.1", port=self.port, user="root", connect_timeout=timeout)

    def initialise(self) -> MariaDBProcess:
        args = [self.install, "--no-defaults", f"--datadir={self.datadir}", *self.user]
        args += ["--auth-root-authentication-method=normal", "--skip-test-db", *self.OPTIONS]
        result = subprocess.run(args, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
        assert result.returncode == 0, result.stdout + result.stderr
        self.start()
        with self.connect() as conn, conn.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {self.database}")
        return self

    def start(self) -> MariaDBProcess:
        args = [self.binary, "--no-defaults", f"--datadir={self.datadir}", *self.user, *self.OPTIONS]
        # (a Unix socket path must stay under 108 bytes: give it a short workdir)
        args += [f"--port={self.port}", "--bind-address=127.0.0.1", f"--socket={self.workdir / 'sock'}"]
        args += [f"--pid-file={self.workdir / 'mysqld.pid'}", f"--log-error={self.workdir / 'mysqld.log'}"]
        # what it says before --log-error is open (e.g. a max_open_files warning) goes beside it
        with open(self.workdir / "mysqld.out", "ab") as out:
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)

        def up() -> bool:
            assert self.proc is not None and self.proc.poll() is None, self.log()[-3000:]
            try:
                self.connect(timeout=1).close()
                return True
            except Exception:
                return False

        wait_for(up, timeout=60, interval=0.05)
        return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.alive():
            assert self.proc is not None
            self.proc.send_signal(sig)
            self.proc.wait(30)

    def log(self) -> str:
        paths = [self.workdir / "mysqld.out", self.workdir / "mysqld.log"]
        return "".join(path.read_text(errors="replace") for path in paths if path.exists())


class PullWorkerProcess:
    """`baton worker --server URL` as a child process. Its environment holds no database or Redis
    URL (a robot may reach neither), only the credentials; `credentials` are CLI flags, `secrets`
    environment variables (BATON_API_KEY, BATON_TOKEN, BATON_PASSWORD)."""

    def __init__(
        self,
        server_url: str,
        log_path: Path,
        *,
        queue: str,
        credentials: list[str],
        secrets: dict[str, str],
        concurrency: int = 2,
        lease_seconds: int = 6,
        extra_args: list[str] | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.log_path = log_path
        self.args = [sys.executable, "-m", "baton", "worker", "--server", server_url, "--queue", queue]
        self.args += ["--concurrency", str(concurrency), "--lease-seconds", str(lease_seconds)]
        self.args += [*credentials, *(extra_args or [])]
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("BATON_")},
            # settings require a heartbeat of at most half the lease; a pull worker uses neither
            "BATON_HEARTBEAT_SECONDS": str(lease_seconds / 4),
            "BATON_LOG_LEVEL": "info",
            **secrets,
            **(env or {}),
        }
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> PullWorkerProcess:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                self.args, env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
            )
        return self

    def registered(self, timeout: float = 30) -> str:
        """The worker's id, once it has registered (it logs it)."""

        def worker_id() -> str | None:
            assert self.proc is not None and self.proc.poll() is None, self.log()
            found = re.search(r"registered as worker ([0-9a-f-]{36})", self.log())
            return found.group(1) if found else None

        return wait_for(worker_id, timeout=timeout)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 40) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(timeout)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
