"""The `baton` command: help, version, settings errors, migrations, users, first start."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from baton.backends import BackendError, BackendSpec, load_class

from baton.settings import setting_fields
from tests.conftest import ServerProcess, free_port, run_cli


def test_help_explains_every_command_and_option() -> None:
    top = run_cli("--help")
    assert top.returncode == 0
    for command in ("serve", "db", "user", "version"):
        assert command in top.stdout
    serve = run_cli("serve", "--help").stdout
    for setting in setting_fields():  # every setting is a flag and names its variable
        assert f"--{setting.name.replace('_', '-')}" in serve
        assert f"BATON_{setting.name.upper()}" in serve.replace("\n", "").replace(" ", "")


def test_database_url_help_names_every_supported_database() -> None:
    options = " ".join(run_cli("serve", "--help").stdout.split("options:", 1)[1].split())
    help_text = options[options.index("--database-url") : options.index("--executor-url")]
    for scheme in ("sqlite+aiosqlite://", "mysql+aiomysql://", "postgresql+asyncpg://"):
        assert scheme in help_text.replace(" ", ""), help_text


def test_version() -> None:
    result = run_cli("version")
    assert result.returncode == 0 and re.fullmatch(r"baton \d+\.\d+\.\d+\n", result.stdout)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"BATON_PORT": "eighty"}, "BATON_PORT: expected an integer, got 'eighty'"),
        ({"BATON_PORT": "70000"}, "BATON_PORT: must be between 1 and 65535"),
        ({"BATON_SECRET_KEY": "short"}, "BATON_SECRET_KEY: must be at least 32 characters"),
        ({"BATON_VALIDATE_RESPONSES": "maybe"}, "BATON_VALIDATE_RESPONSES: expected true or false"),
        ({"BATON_DATABASE_URL": "oracle://db/x"}, "database URL 'oracle://db/x': unknown scheme 'oracle'"),
        ({"BATON_DATABASE_URL": "nonsense"}, "database URL 'nonsense': expected scheme://"),
        ({"BATON_EXECUTOR_URL": "local://?concurrency=0"}, "concurrency must be an integer from 1 to 1024"),
        ({"BATON_EXECUTOR_URL": "local://?workers=2"}, "unknown option(s) workers"),
        ({"BATON_EXECUTOR_URL": "celery://x"}, "executor URL 'celery://x': unknown scheme 'celery'"),
        ({"BATON_RATE_LIMITS": "robots=5"}, "BATON_RATE_LIMITS: 'robots' is not a tier"),
        ({"BATON_PASSWORD_HASH_COST": "t=2"}, "BATON_PASSWORD_HASH_COST: expected t=PASSES,m=KIB,p=LANES"),
        ({"BATON_PASSWORD_HASH_COST": "t=1,m=8,p=2"}, "m at least 8 KiB per lane"),
        (
            {"BATON_RATE_LIMITS": "member=0"},
            "BATON_RATE_LIMITS: 'member=0': expected member=requests-per-minute",
        ),
        (
            {"BATON_REDIS_URL": "http://u:pw@h/0"},
            "BATON_REDIS_URL: expected redis://HOST:PORT/DB, got 'http://u:***@h/0'",
        ),
    ],
)
def test_invalid_settings_stop_start_up_with_one_line(
    env: dict[str, str], message: str, tmp_path: Path
) -> None:
    env.setdefault("BATON_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/x.db")
    env.setdefault("BATON_PORT", str(free_port()))
    result = run_cli("serve", extra_env=env, timeout=30)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("baton: error: ") and message in lines[-1], result.stderr
    assert "Traceback" not in result.stderr


def test_cli_flags_override_the_environment(tmp_path: Path) -> None:
    result = run_cli("serve", "--port", "nope", extra_env={"BATON_PORT": "8000"})
    assert result.returncode == 2 and "BATON_PORT: expected an integer, got 'nope'" in result.stderr


def test_missing_driver_names_the_extra_to_install() -> None:
    registry = {"fancy": BackendSpec("x:Y", ("module_that_is_not_installed",), "fancy")}
    with pytest.raises(BackendError, match=r"pip install 'baton\[fancy\]'"):
        load_class("database", "fancy://h/db", "fancy", registry)


def test_db_upgrade_is_idempotent_and_user_create_refuses_duplicates(tmp_path: Path) -> None:
    env = {"BATON_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db", "BATON_NEW_PASSWORD": "pw-123456"}
    for _ in range(2):
        upgraded = run_cli("db", "upgrade", extra_env=env)
        assert upgraded.returncode == 0 and "up to date" in upgraded.stdout
    created = run_cli("user", "create", "ops", "--role", "manager", extra_env=env)
    assert created.returncode == 0 and "created manager ops" in created.stdout
    again = run_cli("user", "create", "ops", extra_env=env)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_first_start_prints_admin_credentials_once(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "first.db", tmp_path / "first.log", BATON_LOG_LEVEL="info").start()
    try:
        match = re.search(r"username: (\S+)\n\s+password: (\S+)", server.log())
        assert match, server.log()
        username, password = match.groups()
        login = httpx.post(
            f"{server.url}/api/v1/auth/login", json={"username": username, "password": password}
        )
        assert login.status_code == 200
    finally:
        server.stop()
    restarted = ServerProcess(tmp_path / "first.db", tmp_path / "second.log").start()
    try:
        assert "password:" not in restarted.log()
    finally:
        restarted.stop()
