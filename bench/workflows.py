"""Workflow throughput on a real `baton serve`: one workflow of N steps (a root, a wide fan-out,
a join and a deep chain), submitted through the API; prints steps/s end to end and checks that no
step started before every step it depends on had finished.

    python bench/workflows.py [--width 600] [--depth 398] [--concurrency 8] [--database URL]

A temporary SQLite database unless --database names another (it must exist and be empty).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import ServerProcess

PASSWORD = "bench-password-123"


def shape(width: int, depth: int) -> list[dict]:
    def step(name: str, depends_on: list[str]) -> dict:
        return {"name": name, "job": {"command": ["true"], "queue": "bench"}, "depends_on": depends_on}

    steps = [step("root", [])]
    steps += [step(f"fan{i}", ["root"]) for i in range(width)]
    # the join waits on a sample of the fan-out (a step has at most 100 dependencies)
    steps.append(step("join", [f"fan{i}" for i in range(0, width, max(1, width // 100))]))
    steps += [step(f"chain{i}", ["join" if i == 0 else f"chain{i - 1}"]) for i in range(depth)]
    return steps


def check_order(workflow: dict) -> int:
    """How many steps started before a dependency finished (0 expected)."""
    steps = {s["name"]: s for s in workflow["steps"]}
    early = 0
    for current in steps.values():
        for dependency in current["depends_on"]:
            if current["started_at"] < steps[dependency]["finished_at"]:
                early += 1
    return early


def run(url: str, width: int, depth: int) -> None:
    with httpx.Client(base_url=url, timeout=120) as http:
        login = http.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})
        http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        steps = shape(width, depth)
        started = time.monotonic()
        response = http.post("/api/v1/workflows", json={"name": "bench", "steps": steps})
        response.raise_for_status()
        workflow_id = response.json()["id"]
        submitted = time.monotonic() - started
        while True:
            workflow = http.get(f"/api/v1/workflows/{workflow_id}").json()
            if "--verbose" in sys.argv:
                print(workflow["progress"], time.monotonic() - started, flush=True)
            if workflow["status"] != "running":
                break
            time.sleep(0.2)
        elapsed = time.monotonic() - started
        print(f"steps: {len(steps)} (fan-out {width}, chain {depth + 2}); status: {workflow['status']}")
        print(f"submit: {submitted:.2f} s; end to end: {elapsed:.1f} s = {len(steps) / elapsed:.1f} steps/s")
        print(f"steps started before a dependency finished: {check_order(workflow)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=600)
    parser.add_argument("--depth", type=int, default=398)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database", default=None)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="baton-bench-wf-") as tmp:
        workdir = Path(tmp)
        env = {} if args.database is None else {"BATON_DATABASE_URL": args.database}
        server = ServerProcess(
            workdir / "bench.db",
            workdir / "server.log",
            BATON_EXECUTOR_URL=f"local://?concurrency={args.concurrency}",
            BATON_ADMIN_PASSWORD=PASSWORD,
            BATON_LEASE_SECONDS="30",
            BATON_HEARTBEAT_SECONDS="5",
            **env,
        ).start()
        try:
            run(server.url, args.width, args.depth)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
