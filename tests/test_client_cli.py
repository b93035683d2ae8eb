"""`baton login`, `baton jobs …`, `baton queues …`, `baton workers …` run as child processes against
the live test server, as a person or a script would run them (stdout piped: plain text)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import jwt
import pytest

from tests.conftest import ADMIN_PASSWORD, LiveServer

# the client's behaviour, not the server's database: tox runs it on SQLite only
pytestmark = [pytest.mark.uses_server, pytest.mark.http_layer]


@pytest.fixture(scope="module")
def config_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("xdg")


def baton(
    config_home: Path, *args: str, password: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BATON_")}
    env["XDG_CONFIG_HOME"] = str(config_home)
    if password is not None:
        env["BATON_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "baton", *args], env=env, capture_output=True, text=True, timeout=timeout,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.fixture(scope="module")
def logged_in(server: LiveServer, config_home: Path) -> Path:
    result = baton(
        config_home, "login", "--server", server.url, "--username", "admin", password=ADMIN_PASSWORD
    )
    assert result.returncode == 0, result.stderr
    return config_home / "baton" / "credentials.json"


def test_login_saves_the_tokens_readable_by_the_user_only(server: LiveServer, logged_in: Path) -> None:
    assert stat.S_IMODE(logged_in.stat().st_mode) == 0o600
    saved = json.loads(logged_in.read_text())
    assert set(saved) == {"server", "access_token", "refresh_token"} and saved["server"] == server.url


def test_a_wrong_password_fails_and_saves_nothing(server: LiveServer, tmp_path: Path) -> None:
    result = baton(tmp_path, "login", "--server", server.url, "--username", "admin", password="wrong")
    assert result.returncode == 1 and "INVALID_CREDENTIALS" in result.stderr
    assert not (tmp_path / "baton" / "credentials.json").exists()


def test_commands_need_a_login(tmp_path: Path) -> None:
    result = baton(tmp_path, "jobs", "list")
    assert result.returncode == 2 and "baton login" in result.stderr


def test_submit_wait_exits_with_the_jobs_exit_code(logged_in: Path, config_home: Path) -> None:
    ok = baton(config_home, "jobs", "submit", "--wait", "--", "true")
    assert ok.returncode == 0, ok.stderr
    failed = baton(config_home, "jobs", "submit", "--wait", "--name", "three", "--", "sh", "-c", "exit 3")
    assert failed.returncode == 3, failed.stderr
    _, status = failed.stdout.split()
    assert status == "failed" and "\033" not in failed.stdout  # piped: no colour


def test_submit_list_get_and_logs(logged_in: Path, config_home: Path) -> None:
    submitted = baton(
        config_home, "jobs", "submit", "--queue", "cli", "--priority", "7", "--timeout", "30",
        "--retries", "1", "--name", "cli echo", "--", "echo", "hello from the cli",
    )  # fmt: skip
    assert submitted.returncode == 0, submitted.stderr
    job_id = submitted.stdout.strip()
    assert len(job_id) == 36
    followed = baton(config_home, "jobs", "logs", job_id, "--follow")
    assert followed.returncode == 0 and followed.stdout == "hello from the cli\n"
    shown = json.loads(baton(config_home, "jobs", "get", job_id, "--json").stdout)
    assert shown["status"] == "completed" and shown["priority"] == 7 and shown["max_retries"] == 1
    listed = baton(config_home, "jobs", "list", "--queue", "cli", "--name", "cli echo")
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert [row[0] for row in rows] == [job_id] and rows[0][3] == "completed"  # tab-separated when piped
    as_json = json.loads(
        baton(config_home, "jobs", "list", "--json", "--status", "completed", "--limit", "5").stdout
    )
    assert isinstance(as_json, list) and len(as_json) <= 5


def test_logs_follow_a_running_job_to_its_end(logged_in: Path, config_home: Path) -> None:
    script = "echo first; sleep 1.5; echo second"
    job_id = baton(config_home, "jobs", "submit", "--", "sh", "-c", script).stdout.strip()
    followed = baton(config_home, "jobs", "logs", job_id, "-f")
    assert followed.returncode == 0 and followed.stdout == "first\nsecond\n", followed.stderr


def test_cancel_retry_delete_and_not_found(logged_in: Path, config_home: Path) -> None:
    job_id = baton(
        config_home, "jobs", "submit", "--run-at", "2099-01-01T00:00:00Z", "--", "true"
    ).stdout.strip()
    cancelled = baton(config_home, "jobs", "cancel", job_id, "--json")
    assert cancelled.returncode == 0 and json.loads(cancelled.stdout)["status"] == "cancelled"
    assert baton(config_home, "jobs", "cancel", job_id).returncode == 1  # 409: already finished
    retried = baton(config_home, "jobs", "retry", job_id, "--json")
    assert retried.returncode == 0 and json.loads(retried.stdout)["status"] in ("pending", "scheduled")
    baton(config_home, "jobs", "cancel", job_id)
    assert baton(config_home, "jobs", "delete", job_id).returncode == 0
    missing = baton(config_home, "jobs", "get", job_id)
    assert missing.returncode == 4 and "JOB_NOT_FOUND" in missing.stderr


def test_queues_and_workers(logged_in: Path, config_home: Path) -> None:
    assert baton(config_home, "queues", "create", "cli-q", "--max-concurrency", "2").returncode == 0
    assert "cli-q" in baton(config_home, "queues", "list").stdout
    assert json.loads(baton(config_home, "queues", "pause", "cli-q", "--json").stdout)["paused"] is True
    assert json.loads(baton(config_home, "queues", "resume", "cli-q", "--json").stdout)["paused"] is False
    stats = json.loads(baton(config_home, "queues", "stats", "cli-q", "--json").stdout)
    assert stats["queue"] == "cli-q" and stats["max_concurrency"] == 2
    assert baton(config_home, "queues", "delete", "cli-q").returncode == 0
    assert baton(config_home, "workers", "list").returncode == 0
    assert baton(config_home, "workers", "get", "00000000-0000-0000-0000-000000000000").returncode == 4


def test_an_expired_access_token_is_refreshed_and_saved(
    server: LiveServer, logged_in: Path, config_home: Path
) -> None:
    saved = json.loads(logged_in.read_text())
    header = jwt.get_unverified_header(saved["access_token"])
    claims = jwt.decode(saved["access_token"], options={"verify_signature": False})
    claims["exp"] = int(time.time()) - 60  # signed with the server's key: only its age is wrong
    expired = jwt.encode(claims, server.settings.secret_key, algorithm="HS256", headers=header)
    logged_in.write_text(json.dumps({**saved, "access_token": expired}))
    result = baton(config_home, "jobs", "list", "--limit", "1")
    assert result.returncode == 0, result.stderr
    renewed = json.loads(logged_in.read_text())
    assert renewed["access_token"] != expired and renewed["refresh_token"] != saved["refresh_token"]
    assert stat.S_IMODE(logged_in.stat().st_mode) == 0o600
