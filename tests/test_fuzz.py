"""Property-based API fuzzing: Schemathesis (its CLI, in a child process) against the real server,
with every check enabled, and the test fails on any failure it reports.

Two runs against the module's live server (tests/conftest.py: uvicorn on 127.0.0.1, own SQLite
database, response validation on):

- as the admin, every operation, all phases (examples, coverage, fuzzing, stateful with links
  Schemathesis infers from the spec, since the spec declares none);
- as two `member` users who must not see each other's jobs, the `jobs` operations, so that the
  `object_level_authorization` check has peers to compare (without peers it checks nothing).

Both add a check of our own, `bearer_token_enforced` (tests/schemathesis_hooks.py), since
Schemathesis' `ignored_auth` does nothing for an oauth2 security scheme.

Reproducible: fixed seed, one worker, no example database, no Schemathesis cache. Knobs (tox
passes BATON_TEST_* through): BATON_TEST_FUZZ_SEED, BATON_TEST_FUZZ_MAX_EXAMPLES (per operation
in the admin run; the member run uses half), BATON_TEST_FUZZ_WORKERS. With the defaults the admin
run takes ~2.5 minutes on a quiet 2-core machine (coverage ~80 s, fuzzing ~65 s); for a deeper
run before a release, raise BATON_TEST_FUZZ_MAX_EXAMPLES (100 took ~3.5 minutes).
On failure, the assertion shows Schemathesis's FAILURES section, each failure with a curl line
that reproduces it; the JUnit report is in the test's tmp_path.

The failures we accept, and why, are in tests/schemathesis_hooks.py (filter_failure); everything
else fails the test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD, LiveServer

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]

HOOKS = Path(__file__).with_name("schemathesis_hooks.py")
# the fuzzer tries logins with the spec's example username and made-up passwords: with the
# brute-force lock on, the admin it runs as would be locked out half-way (tests/test_audit.py
# tests the lock)
SERVER_SETTINGS = {
    "login_failure_limit": 0,
    # the hundreds of webhooks the fuzzer makes would each be sent every event, to URLs that
    # fail (tests reach no other machine): background writes that slow the run and test nothing
    # here (tests/test_webhooks.py does); test messages are still sent
    "webhook_max_in_flight": 0,
    # likewise the schedules it makes (some every second) would each submit jobs the whole run
    # long (tests/test_schedules.py fires them)
    "scheduler_enabled": False,
}
SEED = int(os.environ.get("BATON_TEST_FUZZ_SEED", "20261122"))
# 50, not Schemathesis' 100: the admin run was CI's longest test (400 s beside the rest of the
# suite), and most of its CPU is Hypothesis generating cases, not the server answering them
MAX_EXAMPLES = int(os.environ.get("BATON_TEST_FUZZ_MAX_EXAMPLES", "50"))
# One worker: a reproducible order, and no flaky tool errors. With 2+ worker threads, on CPython
# 3.11.7 at least, Hypothesis' concurrent ast.parse() calls sometimes raise "SystemError: AST
# constructor recursion depth mismatch" (python/cpython#106905), which fails the run.
WORKERS = os.environ.get("BATON_TEST_FUZZ_WORKERS", "1")
# a hard stop inside CI's budget; a run this long is itself a failure. 88 operations take ~245 s on
# a quiet 2-core machine, and took over 600 s beside two other test processes on a slow one
RUN_TIMEOUT = 1200


def schemathesis_cli() -> str:
    beside = Path(sys.executable).with_name("schemathesis")
    found = str(beside) if beside.exists() else shutil.which("schemathesis")
    if found is None:
        pytest.fail("the schemathesis CLI is not installed: pip install -e '.[test]'")
    return found


def child_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        # the run must reach 127.0.0.1 directly and nothing else; no stray settings of ours
        if k.lower() not in {"http_proxy", "https_proxy", "all_proxy"}
        and not k.startswith(("BATON_", "SCHEMATHESIS_"))
    }
    env.update(NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost", PYTHONUNBUFFERED="1")
    env["SCHEMATHESIS_HOOKS"] = str(HOOKS)
    env.update(extra)
    return env


def run_schemathesis(
    server: LiveServer, workdir: Path, name: str, *args: str, config: str = "", env: dict[str, str]
) -> None:
    """Run `schemathesis run` with all checks; fail with its report unless it finds nothing."""
    config_file = workdir / f"{name}.toml"
    # no state carried between runs (the cache keeps, e.g., which identity suits which operation)
    config_file.write_text("[cache]\nenabled = false\n" + config)
    junit = workdir / f"{name}-junit.xml"
    dropped_log = workdir / f"{name}-dropped.jsonl"
    env = {**env, "BATON_FUZZ_DROPPED_LOG": str(dropped_log)}
    command = [
        schemathesis_cli(),
        "--config-file", str(config_file),
        "run", f"{server.url}/openapi.json",
        "--checks", "all",
        # ignored_auth drops only the credentials Schemathesis set itself (none: the hooks send
        # the bearer token), then reports the still-authenticated request as accepted without
        # any. The hooks' bearer_token_enforced check does its job for tokens and API keys.
        "--exclude-checks", "ignored_auth",
        "--seed", str(SEED),
        "--workers", WORKERS,
        "--generation-database", "none",
        # report every failing case of an operation, not only the first
        "--continue-on-failure",
        "--request-timeout", "30",
        "--report", "junit", "--report-junit-path", str(junit),
        "--no-color",
        *args,
    ]  # fmt: skip
    started = time.monotonic()
    try:
        result = subprocess.run(
            command, env=env, cwd=workdir, capture_output=True, text=True, timeout=RUN_TIMEOUT,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else exc.stdout or ""
        pytest.fail(f"schemathesis ({name}) ran longer than {RUN_TIMEOUT}s\n{out[-5000:]}")
    elapsed = time.monotonic() - started
    output = result.stdout + result.stderr
    # the FAILURES (or ERRORS) section onwards: each problem with a curl line, then the summary
    cut = min((i for i in (output.find("= FAILURES ="), output.find("= ERRORS =")) if i >= 0), default=-1)
    cut = output.rfind("\n", 0, cut) + 1 if cut >= 0 else len(output)
    print(f"--- schemathesis ({name}): {elapsed:.0f}s, exit code {result.returncode} ---")
    print(" ".join(command))
    # on failure, the rest of the output is the failure message below, not printed twice
    print(output if result.returncode == 0 else output[:cut])
    print(accepted_summary(dropped_log))
    if result.returncode != 0:
        pytest.fail(
            f"Schemathesis ({name}) found problems (exit code {result.returncode}, seed {SEED}, "
            f"JUnit report {junit}):\n{output[cut:] or output}",
            pytrace=False,
        )


def accepted_summary(dropped_log: Path) -> str:
    """What filter_failure (tests/schemathesis_hooks.py) dropped, counted by reason and operation."""
    if not dropped_log.exists():
        return "accepted failures: none"
    counts = Counter(
        (entry["reason"], entry["operation"])
        for entry in map(json.loads, dropped_log.read_text().splitlines())
    )
    lines = [f"  {n:4d}  {reason}: {operation}" for (reason, operation), n in sorted(counts.items())]
    return "accepted failures (ST202, see tests/schemathesis_hooks.py):\n" + "\n".join(lines)


def test_fuzz_every_operation_as_admin(server: LiveServer, tmp_path: Path) -> None:
    env = child_env(
        BATON_FUZZ_URL=server.url,
        BATON_FUZZ_TOKEN=server.token("admin"),
        # logout revokes the token it is given: the hooks log in afresh for each logout case
        BATON_FUZZ_USERNAME=server.settings.admin_username,
        BATON_FUZZ_PASSWORD=ADMIN_PASSWORD,
    )
    run_schemathesis(server, tmp_path, "admin", "--max-examples", str(MAX_EXAMPLES), env=env)


def test_fuzz_members_cannot_reach_each_others_jobs(server: LiveServer, tmp_path: Path) -> None:
    users = {"alice": "fuzz-alice", "bob": "fuzz-bob"}
    for username in users.values():
        server.make_user(username, "member")

    def login_entry(name: str, username: str) -> dict:
        return {
            "name": name,
            "loginEndpointAuth": {
                "endpoint": "/api/v1/auth/login",
                "verb": "POST",
                "contentType": "application/json",
                "payloadUserPwd": {
                    "username": username,
                    "usernameField": "username",
                    "password": USER_PASSWORD,
                    "passwordField": "password",
                },
                "token": {
                    "extractFrom": "body",
                    "extractSelector": "/access_token",
                    "sendIn": "header",
                    "sendName": "Authorization",
                    "sendTemplate": "Bearer {token}",
                },
            },
        }

    auth_file = tmp_path / "members.wfc.json"
    auth_file.write_text(json.dumps({"auth": [login_entry(n, u) for n, u in users.items()]}))
    # alice sends every request; bob replays alice's successful reads of her own jobs
    config = f'[auth.wfc]\npath = {json.dumps(str(auth_file))}\nuser = "alice"\npeers = ["alice", "bob"]\n'
    run_schemathesis(
        server, tmp_path, "members",
        "--include-tag", "jobs",
        "--max-examples", str(max(MAX_EXAMPLES // 2, 10)),
        config=config, env=child_env(),
    )  # fmt: skip
