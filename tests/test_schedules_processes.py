"""Exactly once across processes: three `baton serve` processes on one database fire an
every-second schedule; one of them is SIGKILLed at a fire instant. Every fire time made exactly
one job (no duplicate, no gap), and each fired on time (under a second late)."""

from __future__ import annotations

import itertools
import signal
import time
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_PASSWORD, ServerProcess, wait_for
from tests.databases import create_database, drop_database

pytestmark = pytest.mark.slow

SCHEDULES = "/api/v1/schedules"
MAX_LATENESS = 1.0  # seconds from a fire time to its job's creation (the p99)


def login(url: str) -> str:
    response = httpx.post(f"{url}/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def fired_events(client: httpx.Client, schedule_id: str) -> list[dict]:
    found, after = [], 0
    while True:
        page = client.get(
            "/api/v1/events", params={"type": "schedule.fired", "after": after, "limit": 100}
        ).json()
        found += [e for e in page["data"] if e["subject_id"] == schedule_id]
        after = page["last_event_id"]
        if not page["has_more"]:
            return found


def at(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_three_processes_fire_each_time_once_through_a_sigkill(tmp_path: Path, kind: str) -> None:
    url = create_database(kind, tmp_path)
    env = {"BATON_ADMIN_PASSWORD": ADMIN_PASSWORD, "BATON_DATABASE_URL": url}
    servers = []
    try:
        # the first migrates the database; the others find it ready
        servers.append(ServerProcess(tmp_path / "baton.db", tmp_path / "a.log", **env).start())
        for name in ("b", "c"):
            servers.append(ServerProcess(tmp_path / "baton.db", tmp_path / f"{name}.log", **env).start())
        a, victim, c = servers
        headers = {"Authorization": f"Bearer {login(a.url)}"}
        with httpx.Client(base_url=a.url, headers=headers, timeout=30) as client:
            body = {
                "name": "every second",
                "interval_seconds": 1,
                "overlap_policy": "allow",
                "job": {"command": ["true"]},
            }
            schedule = client.post(SCHEDULES, json=body).json()
            wait_for(lambda: client.get(f"{SCHEDULES}/{schedule['id']}").json()["run_count"] >= 3, timeout=20)
            # kill one process right at a fire instant: the moment it may hold the fire's transaction
            next_run = client.get(f"{SCHEDULES}/{schedule['id']}").json()["next_run_at"]
            time.sleep(max(at(next_run) - time.time(), 0) + 0.002)
            victim.stop(signal.SIGKILL)
            count = client.get(f"{SCHEDULES}/{schedule['id']}").json()["run_count"]
            wait_for(
                lambda: client.get(f"{SCHEDULES}/{schedule['id']}").json()["run_count"] >= count + 4,
                timeout=20,
            )
            assert client.post(f"{SCHEDULES}/{schedule['id']}/pause").status_code == 200
            time.sleep(0.5)  # a fire that read the schedule just before the pause commits or finds it moved
            final = client.get(f"{SCHEDULES}/{schedule['id']}").json()
            jobs = client.get("/api/v1/jobs", params={"schedule_id": schedule["id"], "limit": 100}).json()[
                "data"
            ]
            fired = fired_events(client, schedule["id"])

        fire_times = sorted(at(e["data"]["fire_time"]) for e in fired)
        assert len(fire_times) == len(set(fire_times)) == len(jobs) == final["run_count"], (
            fire_times,
            len(jobs),
        )
        assert {e["data"]["job_id"] for e in fired} == {job["id"] for job in jobs}
        steps = [round(later - earlier, 6) for earlier, later in itertools.pairwise(fire_times)]
        assert steps == [1.0] * len(steps), steps  # every second, none missing
        lateness = sorted(at(e["at"]) - at(e["data"]["fire_time"]) for e in fired)
        assert lateness[0] >= 0 and lateness[-1] < MAX_LATENESS, lateness
        for server in (a, c):
            assert "Traceback" not in server.log(), server.log()
    finally:
        for server in servers:
            if server.proc is not None and server.proc.poll() is None:
                server.stop()
        drop_database(url)
