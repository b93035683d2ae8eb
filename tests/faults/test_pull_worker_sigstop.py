"""Fault injection on the pull protocol, with real processes: a robot (a separate Python process
speaking HTTP to a real `baton serve`) claims a job and is frozen with SIGSTOP mid-run. Its lease
runs out, the server's lease reconciler re-queues the job, and a second robot runs it to the end.
Thawed with SIGCONT, the first robot carries on as if nothing happened: its lease extension and
its late `complete` are both refused with 409 LEASE_LOST, and the job stays as the second robot
left it (DESIGN.md §3: a stale attempt's writes are rejected)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_PASSWORD, ServerProcess, run_cli, wait_for

pytestmark = pytest.mark.slow

JOBS = "/api/v1/jobs"
LEASE_SECONDS = 2  # the smallest lease a claim may ask for

# A robot: registers, long-polls for one job, "works" on it for --work seconds while extending
# its lease every 0.5 s, then reports `complete`. It prints one JSON line per event. It is naive
# on purpose: it reports even after losing its lease, so the server's fencing is what is tested.
ROBOT = r"""
import json, sys, time
import httpx

url, token, queue, name = sys.argv[1:5]
work, lease_seconds = float(sys.argv[5]), int(sys.argv[6])
client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30)

def say(event, **fields):
    print(json.dumps({"event": event, "t": time.time(), **fields}), flush=True)

worker = client.post("/api/v1/workers", json={"name": name, "queues": [queue]}).json()
say("registered", worker_id=worker["id"])
jobs = []
while not jobs:
    answer = client.post(f"/api/v1/workers/{worker['id']}/claim",
                         json={"lease_seconds": lease_seconds, "wait_seconds": 5})
    jobs = answer.json()["jobs"]
job = jobs[0]
say("claimed", job_id=job["id"], attempt=job["attempt"])
ident = {"worker_id": worker["id"], "attempt": job["attempt"]}
lease = {"status": None}
deadline = time.monotonic() + work
while time.monotonic() < deadline:
    time.sleep(0.5)
    answer = client.post(f"/api/v1/jobs/{job['id']}/lease", json={**ident, "lease_seconds": lease_seconds})
    lease = {"status": answer.status_code, "code": answer.json().get("code")}
    if answer.status_code != 200:
        break
say("lease", **lease)
report = {**ident, "exit_code": 0, "stdout": f"done by {name}\n"}
answer = client.post(f"/api/v1/jobs/{job['id']}/complete", json=report)
body = answer.json()
say("complete", status=answer.status_code, code=body.get("code"), job_status=body.get("status"))
"""


class Robot:
    def __init__(
        self, script: Path, server: ServerProcess, token: str, queue: str, name: str, work: float
    ) -> None:
        self.name = name
        self.log = script.parent / f"{name}.log"
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, str(script), server.url, token, queue, name, str(work), str(LEASE_SECONDS)],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )

    def events(self) -> dict[str, dict]:
        found = {}
        for line in self.log.read_text().splitlines():
            if line.startswith("{"):
                event = json.loads(line)
                found[event["event"]] = event
        return found

    def wait_event(self, name: str, timeout: float = 30) -> dict:
        def seen() -> dict | None:
            assert self.proc.poll() is None or name in self.events(), self.log.read_text()
            return self.events().get(name)

        return wait_for(seen, timeout=timeout, interval=0.05)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.kill()
            self.proc.wait(10)


def test_sigstopped_robot_loses_its_lease_and_its_late_complete_is_refused(tmp_path: Path) -> None:
    script = tmp_path / "robot.py"
    script.write_text(ROBOT)
    # one local slot, held by a sleeper: the server itself runs none of the robots' jobs
    server = ServerProcess(
        tmp_path / "baton.db",
        tmp_path / "server.log",
        BATON_ADMIN_PASSWORD=ADMIN_PASSWORD,
        BATON_EXECUTOR_URL="local://?concurrency=1",
    ).start()
    robots: list[Robot] = []
    try:
        created = run_cli(
            "user",
            "create",
            "robot",
            "--role",
            "manager",
            extra_env={
                "BATON_DATABASE_URL": server.env["BATON_DATABASE_URL"],
                "BATON_NEW_PASSWORD": "robot-pass",
            },
        )
        assert created.returncode == 0, created.stderr
        login = httpx.post(
            f"{server.url}/api/v1/auth/login", json={"username": "robot", "password": "robot-pass"}
        )
        token = login.json()["access_token"]
        api = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        sleeper = api.post(JOBS, json={"queue": "server", "command": ["sleep", "600"]}).json()
        wait_for(lambda: api.get(f"{JOBS}/{sleeper['id']}").json()["status"] == "running")

        job = api.post(
            JOBS,
            json={"queue": "robots", "command": ["calibrate"], "max_retries": 1, "retry_backoff_seconds": 0},
        ).json()
        first = Robot(script, server, token, "robots", "robot-1", work=6)
        robots.append(first)
        claimed = first.wait_event("claimed")
        assert (claimed["job_id"], claimed["attempt"]) == (job["id"], 1)
        time.sleep(0.6)  # it has extended its lease at least once
        first.proc.send_signal(signal.SIGSTOP)
        stopped_at = time.time()

        def requeued() -> dict | None:
            now = api.get(f"{JOBS}/{job['id']}").json()
            return now if now["status"] in {"pending", "scheduled"} else None

        lost = wait_for(requeued, timeout=30)
        requeued_after = time.time() - stopped_at
        [execution] = api.get(f"{JOBS}/{job['id']}/executions").json()["data"]
        assert execution["status"] == "lost" and "lease expired" in execution["error"]
        assert (lost["attempt"], lost["retries_used"]) == (1, 1)

        second = Robot(script, server, token, "robots", "robot-2", work=0.6)
        robots.append(second)
        assert second.wait_event("claimed")["attempt"] == 2
        done = second.wait_event("complete")
        assert (done["status"], done["job_status"]) == (200, "completed")
        rerun_after = done["t"] - stopped_at
        settled = api.get(f"{JOBS}/{job['id']}").json()
        assert (settled["status"], settled["attempt"]) == ("completed", 2)

        first.proc.send_signal(signal.SIGCONT)
        late = first.wait_event("complete")
        lease = first.events()["lease"]
        assert (lease["status"], lease["code"]) == (409, "LEASE_LOST")
        assert (late["status"], late["code"]) == (409, "LEASE_LOST")
        assert first.proc.wait(10) == 0
        assert api.get(f"{JOBS}/{job['id']}").json() == settled  # the late report changed nothing
        one, two = api.get(f"{JOBS}/{job['id']}/executions").json()["data"]
        assert (one["status"], one["stdout"]) == ("lost", "")
        assert (two["status"], two["stdout"]) == ("completed", "done by robot-2\n")
        workers = {w["name"]: w["id"] for w in api.get("/api/v1/workers").json()["data"]}
        assert (one["worker"], two["worker"]) == (workers["robot-1"], workers["robot-2"])
        print(
            f"\npull worker SIGSTOP: robot-1 claimed attempt 1 with a {LEASE_SECONDS} s lease, "
            "was frozen; "
            f"the job was re-queued {requeued_after:.2f} s later (execution 1 lost, 1 retry used), "
            f"robot-2 claimed attempt 2 and completed it {rerun_after:.2f} s after the freeze; "
            f"thawed, robot-1's lease extension and late complete both got 409 LEASE_LOST and the job "
            f"stayed completed by robot-2 (executions: lost, completed)"
        )
    finally:
        for robot in robots:
            robot.kill()
        server.stop()
