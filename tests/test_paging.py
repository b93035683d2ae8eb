"""Keyset paging through HTTP while jobs are inserted and deleted between pages: no job that
existed throughout is skipped or repeated, and the order never goes backwards."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import httpx
import pytest

JOBS = "/api/v1/jobs"
LATER = (datetime.now(UTC) + timedelta(days=365)).isoformat()


def submit(client: httpx.Client, queue: str, count: int, rng: random.Random) -> list[dict]:
    bodies = [{"command": ["true"], "queue": queue, "run_at": LATER, "priority": rng.randrange(10)}] * count
    response = client.post(f"{JOBS}/batch", json={"jobs": bodies})
    assert response.status_code == 201, response.text
    return [item["job"] for item in response.json()["results"]]


def finish(client: httpx.Client, ids: list[str]) -> None:
    """Cancelled jobs can be deleted; do it in one call."""
    response = client.post(f"{JOBS}/cancel", json={"filter": {"ids": ids}})
    assert response.json()["cancelled"] == len(ids), response.text


@pytest.mark.parametrize(
    "sort",
    [
        "-created_at",
        "created_at",
        "priority",
        "-priority",
        # several keys, mixed directions: ties of the first are ordered by the next, then by id
        "-priority,created_at",
        "priority,-updated_at",
        "name,run_at,-priority",
    ],
)
def test_paging_survives_inserts_and_deletes_between_pages(admin: httpx.Client, sort: str) -> None:
    rng = random.Random(sort)
    queue = f"paging{sort.replace('-', '_').replace(',', '.')}"
    initial = submit(admin, queue, 150, rng)
    finish(admin, [job["id"] for job in initial])
    deleted: set[str] = set()
    seen: list[dict] = []
    cursor = None
    pages = 0
    while True:
        params = {"queue": queue, "sort": sort, "limit": 7, **({"cursor": cursor} if cursor else {})}
        response = admin.get(JOBS, params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        seen += page["data"]
        pages += 1
        # between pages: others delete jobs (seen or not yet) and submit new ones
        alive = [job["id"] for job in initial if job["id"] not in deleted]
        for job_id in rng.sample(alive, min(3, len(alive))):
            assert admin.delete(f"{JOBS}/{job_id}").status_code == 204
            deleted.add(job_id)
        fresh = submit(admin, queue, 2, rng)
        finish(admin, [job["id"] for job in fresh])
        cursor = page["pagination"]["next_cursor"]
        if not cursor:
            break
    ids = [job["id"] for job in seen]
    assert len(ids) == len(set(ids)), "a job was repeated"
    survivors = {job["id"] for job in initial} - deleted
    assert survivors <= set(ids), f"{len(survivors - set(ids))} jobs that existed throughout were skipped"
    # and the order held across page boundaries (ties by id, in the last key's direction)
    fields = sort.split(",")
    keys = [*fields, ("-" if fields[-1].startswith("-") else "") + "id"]
    expected = list(seen)
    for key in reversed(keys):  # stable sorts, least significant key first
        expected.sort(key=lambda job, name=key.lstrip("-"): job[name], reverse=key.startswith("-"))
    assert [job["id"] for job in seen] == [job["id"] for job in expected]
    assert pages > 10  # the changes really happened while paging
