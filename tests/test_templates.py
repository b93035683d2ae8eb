"""Templates through HTTP: saving (422 INVALID_TEMPLATE), versions, visibility, and runs that
make a job or a workflow with values validated and substituted only where marked (the rules
themselves: test_templating.py)."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import LiveServer, assert_problem, wait_for

TEMPLATES = "/api/v1/templates"
JOBS = "/api/v1/jobs"
ECHO = {
    "name": "echo",
    "visibility": "private",
    "parameters": {
        "type": "object",
        "properties": {
            "word": {"type": "string", "maxLength": 50},
            "priority": {"type": "integer", "default": 7},
        },
        "required": ["word"],
    },
    "job": {
        "name": "echo {{word}}",
        "command": ["python3", "-c", "import sys; print(sys.argv[1:])", {"$param": "word"}],
        "priority": {"$param": "priority"},
    },
}


def save(client: httpx.Client, body: dict) -> dict:
    response = client.post(TEMPLATES, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_job_template_runs_with_values_kept_as_one_argument(admin: httpx.Client) -> None:
    template = save(admin, ECHO)
    assert template["version"] == 1 and template["kind"] == "job"
    hostile = "; rm -rf / $(id)"
    run = admin.post(f"{TEMPLATES}/{template['id']}/run", json={"parameters": {"word": hostile}})
    assert run.status_code == 201, run.text
    body = run.json()
    assert body["kind"] == "job" and body["template_version"] == 1
    job = body["job"]
    assert job["command"][-1] == hostile and job["name"] == f"echo {hostile}"
    assert job["priority"] == 7  # the parameter's default
    assert run.headers["location"] == f"/api/v1/jobs/{job['id']}"

    def done():
        found = admin.get(f"{JOBS}/{job['id']}").json()
        return found if found["status"] == "completed" else None

    wait_for(done)
    stdout = admin.get(f"{JOBS}/{job['id']}/executions").json()["data"][-1]["stdout"]
    assert stdout.strip() == repr([hostile])


def test_bad_values_are_422_naming_each(admin: httpx.Client) -> None:
    template = save(admin, ECHO)
    missing = admin.post(f"{TEMPLATES}/{template['id']}/run", json={"parameters": {}})
    assert_problem(missing, 422, "INVALID_TEMPLATE_PARAMETERS")
    # the schema allows it, but the job it makes is not one POST /jobs takes
    too_high = admin.post(
        f"{TEMPLATES}/{template['id']}/run", json={"parameters": {"word": "x", "priority": 42}}
    )
    body = assert_problem(too_high, 422, "INVALID_TEMPLATE_PARAMETERS")
    assert body["errors"][0]["field"] == "job.priority"


def test_invalid_templates_are_422(admin: httpx.Client) -> None:
    undeclared = {**ECHO, "job": {"command": ["echo", {"$param": "nope"}]}}
    assert_problem(admin.post(TEMPLATES, json=undeclared), 422, "INVALID_TEMPLATE")
    both = {**ECHO, "workflow": {"name": "w", "steps": [{"name": "a", "job": {"command": ["true"]}}]}}
    problem = assert_problem(admin.post(TEMPLATES, json=both), 422, "INVALID_TEMPLATE")
    assert "exactly one of job and workflow" in problem["errors"][0]["message"]
    bad_schema = {**ECHO, "parameters": {"type": "object", "properties": {"word": {"type": "nonsense"}}}}
    assert_problem(admin.post(TEMPLATES, json=bad_schema), 422, "INVALID_TEMPLATE")


def test_versions_stay_readable_and_runnable(admin: httpx.Client) -> None:
    template = save(admin, ECHO)
    changed = {**ECHO, "job": {**ECHO["job"], "name": "v2 {{word}}"}}
    updated = admin.put(f"{TEMPLATES}/{template['id']}", json=changed)
    assert updated.status_code == 200, updated.text
    assert updated.json()["version"] == 2 and updated.json()["latest_version"] == 2
    first = admin.get(f"{TEMPLATES}/{template['id']}", params={"version": 1}).json()
    assert first["version"] == 1 and first["definition"]["name"] == "echo {{word}}"
    old = admin.post(f"{TEMPLATES}/{template['id']}/run", json={"parameters": {"word": "a"}, "version": 1})
    assert old.json()["job"]["name"] == "echo a" and old.json()["template_version"] == 1
    new = admin.post(f"{TEMPLATES}/{template['id']}/run", json={"parameters": {"word": "a"}})
    assert new.json()["job"]["name"] == "v2 a" and new.json()["template_version"] == 2
    missing = admin.get(f"{TEMPLATES}/{template['id']}", params={"version": 9})
    assert_problem(missing, 404, "TEMPLATE_NOT_FOUND")


def test_a_workflow_template(admin: httpx.Client) -> None:
    body = {
        "name": "pair",
        "parameters": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]},
        "workflow": {
            "name": "pair {{text}}",
            "steps": [
                {"name": "a", "job": {"command": ["echo", {"$param": "text"}]}},
                {"name": "b", "job": {"command": ["echo", "{{text}}!"]}, "depends_on": ["a"]},
            ],
        },
    }
    template = save(admin, body)
    assert template["kind"] == "workflow"
    run = admin.post(f"{TEMPLATES}/{template['id']}/run", json={"parameters": {"text": "hi"}})
    assert run.status_code == 201, run.text
    workflow = run.json()["workflow"]
    assert workflow["name"] == "pair hi" and [s["status"] for s in workflow["steps"]][1] == "waiting"
    job = admin.get(f"{JOBS}/{workflow['steps'][1]['job_id']}").json()
    assert job["command"] == ["echo", "hi!"]


@pytest.fixture(scope="module")
def member(server: LiveServer) -> httpx.Client:
    return server.client(server.token("member"))


def test_private_templates_are_their_owners(admin: httpx.Client, member: httpx.Client) -> None:
    private = save(admin, ECHO)
    public = save(admin, {**ECHO, "name": "shared", "visibility": "public"})
    assert_problem(member.get(f"{TEMPLATES}/{private['id']}"), 404, "TEMPLATE_NOT_FOUND")
    run = member.post(f"{TEMPLATES}/{private['id']}/run", json={"parameters": {"word": "x"}})
    assert_problem(run, 404, "TEMPLATE_NOT_FOUND")
    listed = {t["id"] for t in member.get(TEMPLATES, params={"limit": 100}).json()["data"]}
    assert public["id"] in listed and private["id"] not in listed
    # a public template runs as the caller: the job is theirs
    ran = member.post(f"{TEMPLATES}/{public['id']}/run", json={"parameters": {"word": "x"}})
    assert ran.status_code == 201 and ran.json()["job"]["owner"] == "member-user"
    # but it is not theirs to change
    assert_problem(member.put(f"{TEMPLATES}/{public['id']}", json=ECHO), 404, "TEMPLATE_NOT_FOUND")
    page = admin.get(TEMPLATES, params={"limit": 1}).json()
    more = admin.get(TEMPLATES, params={"limit": 1, "cursor": page["pagination"]["next_cursor"]}).json()
    assert more["data"][0]["id"] != page["data"][0]["id"]
    assert_problem(admin.get(TEMPLATES, params={"cursor": "bogus"}), 400, "INVALID_CURSOR")


def test_a_schedule_fires_a_template_version_with_its_values(admin: httpx.Client) -> None:
    schedules = "/api/v1/schedules"
    template = save(admin, ECHO)
    ref = {"id": template["id"], "parameters": {"word": "tick"}}
    body = {"name": "from a template", "cron": "0 3 * * *", "paused": True, "template": ref}
    created = admin.post(schedules, json=body)
    assert created.status_code == 201, created.text
    schedule = created.json()
    # pinned to the version that was latest, rendered once: the job is what the values made
    assert schedule["template"] == {**ref, "version": 1}
    assert schedule["job"]["command"][-1] == "tick" and schedule["job"]["priority"] == 7
    assert admin.put(f"{TEMPLATES}/{template['id']}", json={**ECHO, "name": "changed"}).status_code == 200
    ran = admin.post(f"{schedules}/{schedule['id']}/trigger")
    assert ran.status_code == 201, ran.text
    assert ran.json()["name"] == "echo tick" and ran.json()["command"][-1] == "tick"
    # the rules a run of the template applies, and one of job and template
    bad_values = {**body, "template": {"id": template["id"], "parameters": {"word": 5}}}
    assert_problem(admin.post(schedules, json=bad_values), 422, "INVALID_TEMPLATE_PARAMETERS")
    both = {**body, "job": {"command": ["true"]}}
    assert_problem(admin.post(schedules, json=both), 422, "INVALID_SCHEDULE")
    neither = {k: v for k, v in body.items() if k != "template"}
    assert_problem(admin.post(schedules, json=neither), 422, "INVALID_SCHEDULE")
    flow = save(
        admin,
        {"name": "flow", "workflow": {"name": "w", "steps": [{"name": "a", "job": {"command": ["true"]}}]}},
    )
    problem = assert_problem(
        admin.post(schedules, json={**body, "template": {"id": flow["id"]}}), 422, "INVALID_SCHEDULE"
    )
    assert problem["errors"][0]["field"] == "template.id"
    gone = {**body, "template": {"id": "00000000-0000-7000-8000-000000000000"}}
    assert_problem(admin.post(schedules, json=gone), 404, "TEMPLATE_NOT_FOUND")
    # a new version is taken only when asked for; an inline job replaces the template
    again = admin.patch(f"{schedules}/{schedule['id']}", json={"template": {**ref, "version": 2}})
    assert again.status_code == 200, again.text
    assert again.json()["template"]["version"] == 2 and again.json()["job"]["name"] == "echo tick"
    inline = admin.patch(f"{schedules}/{schedule['id']}", json={"job": {"command": ["true"]}})
    assert inline.status_code == 200 and inline.json()["template"] is None
    assert admin.delete(f"{schedules}/{schedule['id']}").status_code == 204
