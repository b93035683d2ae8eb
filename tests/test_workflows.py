"""Workflows through HTTP: validation, dependency order on timestamps, each on_failure policy,
status derivation, cancel, retry, upstream results, job filters, events and visibility (the DAG
rules themselves: test_dag.py)."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from tests.conftest import LiveServer, assert_problem, wait_for

FLOWS = "/api/v1/workflows"
JOBS = "/api/v1/jobs"
EVENTS = "/api/v1/events"
SERVER_SETTINGS = {"event_poll_seconds": 0.05}
OK = ["python3", "-c", "pass"]
FAIL = ["python3", "-c", "raise SystemExit(3)"]


def step(name: str, command: list[str] | None = None, depends_on=(), on_failure: str | None = None) -> dict:
    body: dict = {"name": name, "job": {"command": command or OK}, "depends_on": list(depends_on)}
    if on_failure:
        body["on_failure"] = on_failure
    return body


def submit(client: httpx.Client, steps: list[dict], **fields: object) -> dict:
    response = client.post(FLOWS, json={"name": "wf", "steps": steps, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def finished(client: httpx.Client, workflow_id: str, timeout: float = 30, interval: float = 0.05) -> dict:
    def check():
        found = client.get(f"{FLOWS}/{workflow_id}").json()
        return found if found["status"] != "running" else None

    return wait_for(check, timeout, interval)


def by_name(workflow: dict) -> dict[str, dict]:
    return {s["name"]: s for s in workflow["steps"]}


def newest_event(client: httpx.Client) -> int:
    page = client.get(EVENTS, params={"limit": 100}).json()
    while page["has_more"]:
        page = client.get(EVENTS, params={"after": page["last_event_id"], "limit": 100}).json()
    return page["last_event_id"]


def assert_dependency_order(workflow: dict) -> None:
    steps = by_name(workflow)
    for current in steps.values():
        if current["started_at"] is None:
            continue
        for dependency in current["depends_on"]:
            assert steps[dependency]["finished_at"] is not None
            assert current["started_at"] >= steps[dependency]["finished_at"], (current, steps[dependency])


def test_dag_errors_are_422_naming_the_steps(admin: httpx.Client) -> None:
    cycle = admin.post(
        FLOWS, json={"name": "c", "steps": [step("a", depends_on=["b"]), step("b", depends_on=["a"])]}
    )
    body = assert_problem(cycle, 422, "INVALID_WORKFLOW")
    assert "a -> b -> a" in body["detail"]
    unknown = admin.post(FLOWS, json={"name": "u", "steps": [step("a", depends_on=["ghost"])]})
    body = assert_problem(unknown, 422, "INVALID_WORKFLOW")
    assert body["errors"][0]["field"] == "steps.0.depends_on.0" and "ghost" in body["errors"][0]["message"]
    duplicate = admin.post(FLOWS, json={"name": "d", "steps": [step("a"), step("a")]})
    body = assert_problem(duplicate, 422, "INVALID_WORKFLOW")
    assert body["errors"][0]["field"] == "steps.1.name" and "'a'" in body["errors"][0]["message"]
    phase = admin.post(
        FLOWS, json={"name": "p", "steps": [step("a")], "phases": [{"name": "x", "steps": ["b"]}]}
    )
    assert_problem(phase, 422, "INVALID_WORKFLOW")
    bad_label = admin.post(
        FLOWS, json={"name": "l", "steps": [{"name": "a", "job": {"command": OK, "labels": {"-x": "1"}}}]}
    )
    body = assert_problem(bad_label, 400, "VALIDATION_ERROR")
    assert body["errors"][0]["field"] == "steps.0.job.labels.-x"
    # the refused ones created nothing
    names = {w["name"] for w in admin.get(FLOWS, params={"limit": 100}).json()["data"]}
    assert not names & {"c", "u", "d", "p", "l"}


def test_a_diamond_runs_in_dependency_order(admin: httpx.Client) -> None:
    sleep = ["python3", "-c", "import time; time.sleep(0.2)"]
    created = submit(
        admin,
        [step("a", sleep), step("b", sleep, ["a"]), step("c", sleep, ["a"]), step("d", sleep, ["b", "c"])],
        phases=[{"name": "first", "steps": ["a"]}, {"name": "rest", "steps": ["b", "c", "d"]}],
        labels={"kind": "diamond"},
    )
    steps = by_name(created)
    assert steps["a"]["status"] in {"pending", "running"}
    assert {steps[n]["status"] for n in "bcd"} == {"waiting"}
    assert steps["d"]["depends_on"] == ["b", "c"] and steps["d"]["on_failure"] == "fail"
    assert created["progress"] == {
        "total_steps": 4,
        "completed_steps": 0,
        "total_phases": 2,
        "completed_phases": 0,
    }
    done = finished(admin, created["id"])
    assert done["status"] == "completed" and done["finished_at"] is not None
    assert {s["status"] for s in done["steps"]} == {"completed"}
    assert_dependency_order(done)
    assert done["progress"]["completed_phases"] == 2
    assert [p["status"] for p in done["phases"]] == ["completed", "completed"]
    # the steps are jobs, marked with their workflow and step
    job = admin.get(f"{JOBS}/{by_name(done)['d']['job_id']}").json()
    assert job["workflow_id"] == created["id"] and job["step"] == "d"


def test_on_failure_policies(admin: httpx.Client) -> None:
    created = submit(
        admin,
        [
            step("boom", FAIL),
            step("strict", depends_on=["boom"]),  # fail: upstream-failed
            step("lenient", depends_on=["boom"], on_failure="continue"),  # runs after a failure
            step("after_strict", depends_on=["strict"], on_failure="continue"),  # never ran: upstream-failed
            step("cleanup", depends_on=["after_strict"], on_failure="always"),  # runs regardless
        ],
    )
    done = finished(admin, created["id"])
    statuses = {name: s["status"] for name, s in by_name(done).items()}
    assert statuses == {
        "boom": "failed",
        "strict": "upstream_failed",
        "lenient": "completed",
        "after_strict": "upstream_failed",
        "cleanup": "completed",
    }
    assert done["status"] == "failed"
    assert_dependency_order(done)
    strict = admin.get(f"{JOBS}/{by_name(done)['strict']['job_id']}").json()
    assert strict["status"] == "cancelled" and strict["error"].startswith("Upstream failed")


def test_cancel_cancels_live_steps_and_always_steps_do_not_run(admin: httpx.Client) -> None:
    created = submit(
        admin,
        [
            step("long", ["python3", "-c", "import time; time.sleep(60)"]),
            step("next", depends_on=["long"]),
            step("cleanup", depends_on=["long"], on_failure="always"),
        ],
    )
    first = by_name(created)["long"]["job_id"]
    wait_for(lambda: admin.get(f"{JOBS}/{first}").json()["status"] == "running")
    response = admin.post(f"{FLOWS}/{created['id']}/cancel")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "cancelled"
    assert {s["status"] for s in body["steps"]} == {"cancelled"}
    assert_problem(admin.post(f"{FLOWS}/{created['id']}/cancel"), 409, "INVALID_WORKFLOW_STATE")
    time.sleep(0.3)
    assert by_name(admin.get(f"{FLOWS}/{created['id']}").json())["cleanup"]["started_at"] is None


def test_retry_reruns_only_failed_and_upstream_failed_steps(admin: httpx.Client, tmp_path) -> None:
    flag = tmp_path / "second-time"
    flaky = [
        "python3",
        "-c",
        f"import os,sys; p={str(flag)!r}; sys.exit(0 if os.path.exists(p) else (open(p,'w') and 4))",
    ]
    created = submit(
        admin,
        [
            step("ok"),
            step("flaky", flaky, ["ok"]),
            step("after", depends_on=["flaky"]),
            step("side", depends_on=["ok"]),
        ],
    )
    first = finished(admin, created["id"])
    assert first["status"] == "failed"
    before = by_name(first)
    assert before["after"]["status"] == "upstream_failed" and before["side"]["status"] == "completed"
    assert_problem(admin.post(f"{FLOWS}/{created['id']}/cancel"), 409, "INVALID_WORKFLOW_STATE")
    response = admin.post(f"{FLOWS}/{created['id']}/retry")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "running"
    done = finished(admin, created["id"])
    assert done["status"] == "completed"
    after = by_name(done)
    # completed steps kept their run; the failed one and its downstream ran again
    assert after["ok"]["finished_at"] == before["ok"]["finished_at"]
    assert after["side"]["finished_at"] == before["side"]["finished_at"]
    assert after["flaky"]["started_at"] > before["flaky"]["finished_at"]
    assert_dependency_order(done)
    assert admin.get(f"{JOBS}/{after['flaky']['job_id']}").json()["attempt"] == 2
    assert_problem(admin.post(f"{FLOWS}/{created['id']}/retry"), 409, "INVALID_WORKFLOW_STATE")


def test_a_step_reads_its_upstream_results(admin: httpx.Client) -> None:
    reader = ["python3", "-c", "import os; print('GOT ' + os.environ['BATON_UPSTREAM_RESULTS'])"]
    created = submit(
        admin,
        [step("hello", ["python3", "-c", "print('hi there')"]), step("read", reader, ["hello"])],
    )
    done = finished(admin, created["id"])
    assert done["status"] == "completed"
    job_id = by_name(done)["read"]["job_id"]
    stdout = admin.get(f"{JOBS}/{job_id}/executions").json()["data"][-1]["stdout"]
    upstream = json.loads(stdout.split("GOT ", 1)[1])
    assert upstream == {"hello": "hi there\n"}


def test_waiting_and_workflow_id_filter_jobs(admin: httpx.Client) -> None:
    created = submit(
        admin,
        [
            step("gate", ["python3", "-c", "import time; time.sleep(60)"]),
            step("w1", depends_on=["gate"]),
            step("w2", depends_on=["gate"]),
        ],
    )
    mine = admin.get(JOBS, params={"workflow_id": created["id"], "limit": 100}).json()["data"]
    assert sorted(j["step"] for j in mine) == ["gate", "w1", "w2"]
    waiting = admin.get(JOBS, params={"workflow_id": created["id"], "status": "waiting"}).json()["data"]
    assert sorted(j["step"] for j in waiting) == ["w1", "w2"]
    assert (
        admin.get(JOBS, params={"workflow_id": "00000000-0000-0000-0000-000000000000"}).json()["data"] == []
    )
    # a waiting step is cancellable on its own: then its dependents see it as not succeeded
    assert admin.post(f"{FLOWS}/{created['id']}/cancel").status_code == 200


def test_list_filters_and_pages(admin: httpx.Client) -> None:
    ids = [submit(admin, [step("only")], labels={"batch": "paging"})["id"] for _ in range(3)]
    page = admin.get(FLOWS, params={"label": "batch=paging", "limit": 2}).json()
    assert [w["id"] for w in page["data"]] == ids[::-1][:2] and page["pagination"]["has_next"]
    rest = admin.get(
        FLOWS, params={"label": "batch=paging", "limit": 2, "cursor": page["pagination"]["next_cursor"]}
    )
    assert [w["id"] for w in rest.json()["data"]] == [ids[0]]
    for workflow_id in ids:
        finished(admin, workflow_id)
    completed = admin.get(FLOWS, params={"label": "batch=paging", "status": "completed"}).json()["data"]
    assert len(completed) == 3
    assert admin.get(FLOWS, params={"label": "batch=paging", "status": "failed"}).json()["data"] == []
    later = admin.get(FLOWS, params={"label": "batch=paging", "created_after": "2999-01-01T00:00:00Z"}).json()
    assert later["data"] == []
    assert_problem(admin.get(FLOWS, params={"cursor": "bogus"}), 400, "INVALID_CURSOR")
    assert_problem(admin.get(f"{FLOWS}/00000000-0000-0000-0000-000000000000"), 404, "WORKFLOW_NOT_FOUND")


def test_events_carry_workflow_ids(admin: httpx.Client) -> None:
    after = newest_event(admin)
    created = submit(admin, [step("one"), step("two", FAIL, ["one"])])
    finished(admin, created["id"])

    def seen():
        events = admin.get(EVENTS, params={"after": after, "limit": 100}).json()["data"]
        types = {e["type"] for e in events if e["subject_id"] == created["id"]}
        return events if {"workflow.created", "workflow.failed"} <= types else None

    events = wait_for(seen)
    waiting = [
        e
        for e in events
        if e["type"] == "job.waiting" or (e["type"] == "job.created" and e["data"]["step"] == "two")
    ]
    assert waiting and all(e["data"]["workflow_id"] == created["id"] for e in waiting)
    released = [e for e in events if e["type"] == "job.pending" and e["data"].get("step") == "two"]
    assert released and released[0]["data"]["previous_status"] == "waiting"
    retried = admin.post(f"{FLOWS}/{created['id']}/retry")
    assert retried.status_code == 200
    wait_for(
        lambda: any(
            e["type"] == "workflow.retried" and e["subject_id"] == created["id"]
            for e in admin.get(EVENTS, params={"after": after, "limit": 100}).json()["data"]
        )
    )


@pytest.fixture(scope="module")
def member(server: LiveServer) -> httpx.Client:
    return server.client(server.token("member"))


def test_visibility_and_roles(server: LiveServer, admin: httpx.Client, member: httpx.Client) -> None:
    theirs = submit(admin, [step("a")])
    assert_problem(member.get(f"{FLOWS}/{theirs['id']}"), 404, "WORKFLOW_NOT_FOUND")
    assert_problem(member.post(f"{FLOWS}/{theirs['id']}/cancel"), 404, "WORKFLOW_NOT_FOUND")
    own = submit(member, [step("a")])
    listed = {w["id"] for w in member.get(FLOWS, params={"limit": 100}).json()["data"]}
    assert own["id"] in listed and theirs["id"] not in listed
    assert admin.get(f"{FLOWS}/{own['id']}").status_code == 200
    with server.client(server.token("viewer")) as viewer:
        assert viewer.get(f"{FLOWS}/{own['id']}").status_code == 200
        assert_problem(viewer.post(FLOWS, json={"name": "v", "steps": [step("a")]}), 403, "FORBIDDEN")


def big_workflow(width: int, depth: int) -> list[dict]:
    """A root, a fan-out of `width` steps, a join, then a chain of `depth` steps."""
    steps = [step("root", ["true"])]
    steps += [step(f"fan{i}", ["true"], ["root"]) for i in range(width)]
    steps.append(step("join", ["true"], [f"fan{i}" for i in range(0, width, max(1, width // 100))]))
    steps += [step(f"chain{i}", ["true"], ["join" if i == 0 else f"chain{i - 1}"]) for i in range(depth)]
    return steps


@pytest.mark.slow  # ~35 s on a shared 2-core machine (bench/workflows.py measures the rate)
def test_a_thousand_steps_complete_in_dependency_order(admin: httpx.Client) -> None:
    steps = big_workflow(width=600, depth=398)
    assert len(steps) == 1000
    started = time.monotonic()
    created = submit(admin, steps)
    # polled slowly: reading a 1,000-step graph often would slow down what it watches
    done = finished(admin, created["id"], timeout=120, interval=1.0)
    elapsed = time.monotonic() - started
    assert done["status"] == "completed", [s for s in done["steps"] if s["status"] != "completed"][:3]
    assert done["progress"]["completed_steps"] == 1000
    assert_dependency_order(done)
    print(f"1000 steps in {elapsed:.1f} s ({1000 / elapsed:.0f} steps/s)")


def test_an_idempotency_key_creates_one_workflow(admin: httpx.Client) -> None:
    body = {"name": "once", "steps": [step("a", ["true"])], "labels": {"idem": "wf"}}
    headers = {"Idempotency-Key": f"wf-{time.monotonic_ns()}"}
    first = admin.post(FLOWS, json=body, headers=headers)
    again = admin.post(FLOWS, json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert len(admin.get(FLOWS, params={"label": "idem=wf"}).json()["data"]) == 1
    other = admin.post(FLOWS, json={**body, "name": "twice"}, headers=headers)
    assert_problem(other, 422, "IDEMPOTENCY_KEY_REUSED")
