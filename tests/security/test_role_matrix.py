"""Every operation of openapi/baton.yaml x every role (and no credentials at all).

The operations and the scopes each needs are read from the spec at collection time; the scopes
of each role are the documented ones (DOCUMENTED_SCOPES). For every cell the operation is really
called, with a minimal valid request (RECIPES) on a job the caller may see:

- a role that lacks a declared scope gets 403 FORBIDDEN, and the request changes nothing;
- a role that has them gets one of the operation's documented 2xx answers;
- no credentials on a secured operation is 401 UNAUTHORIZED, and changes nothing.

An operation added to the spec without a recipe here fails its cells (and the recipe check), so
nothing new escapes the matrix."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.conftest import ADMIN_PASSWORD, USER_PASSWORD, LiveServer, assert_problem, wait_for_status
from tests.security.conftest import (
    DOCUMENTED_SCOPES,
    FAR_FUTURE,
    JOBS,
    ROLES,
    SUMMARY,
    cancelled_job,
    finished_job,
    live_job,
    load_spec,
)

HTTP_METHODS = ("get", "put", "post", "patch", "delete", "head", "options", "trace")
BEARER_SCHEMES = {"OAuth2"}  # the schemes an `Authorization: Bearer` access token satisfies
ANONYMOUS = "anonymous"
PRINCIPALS = (*ROLES, ANONYMOUS)


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    # alternatives (OR) of scope sets (AND); empty list: public
    requirements: tuple[frozenset[str], ...]
    public: bool
    success: frozenset[int]
    responses: frozenset[str]


def spec_operations(spec: dict) -> list[Operation]:
    default_security = spec.get("security", [])
    found = []
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method not in item:
                continue
            op = item[method]
            security = op.get("security", default_security)
            public = security == [] or any(requirement == {} for requirement in security)
            requirements = tuple(
                frozenset(itertools.chain.from_iterable(requirement.values()))
                for requirement in security
                if requirement and set(requirement) <= BEARER_SCHEMES
            )
            responses = frozenset(str(code) for code in op["responses"])
            success = frozenset(int(code) for code in responses if code.startswith("2"))
            found.append(
                Operation(op["operationId"], method.upper(), path, requirements, public, success, responses)
            )
    return found


def allowed(operation: Operation, principal: str) -> bool:
    if operation.public:
        return True
    if principal == ANONYMOUS:
        return False
    scopes = DOCUMENTED_SCOPES[principal]
    return any(required <= scopes for required in operation.requirements)


OPERATIONS = spec_operations(load_spec())


# -- recipes -------------------------------------------------------------------------------------


@dataclass
class Call:
    path_params: dict[str, object] = field(default_factory=dict)
    json: Any = None
    data: dict[str, str] | None = None
    params: dict[str, object] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # None: the principal's own token; "": none at all; otherwise this token
    token: str | None = None
    # read before and after a refused call: must not change
    probe: Callable[[], Any] | None = None
    # extra checks of an allowed call's answer
    check: Callable[[httpx.Response], None] | None = None


class Context:
    def __init__(self, server: LiveServer, tokens: dict[str, str], clients: dict[str, httpx.Client]) -> None:
        self.server = server
        self.tokens = tokens
        self.clients = clients
        self._finished: dict[str, dict] = {}

    def owner_name(self, principal: str) -> str:
        """Whose jobs the principal acts on: its own when it may create jobs, else the admin's
        (viewers and anonymous callers can own nothing)."""
        if principal != ANONYMOUS and "jobs:write" in DOCUMENTED_SCOPES[principal]:
            return principal
        return "admin"

    def owner(self, principal: str) -> httpx.Client:
        return self.clients[self.owner_name(principal)]

    def credentials(self, principal: str) -> dict[str, str]:
        """Whom a public login operation logs in (an anonymous caller logs in as the member)."""
        role = "member" if principal == ANONYMOUS else principal
        password = ADMIN_PASSWORD if role == "admin" else USER_PASSWORD
        return {"username": "admin" if role == "admin" else f"{role}-user", "password": password}

    def fresh_pair(self, principal: str) -> dict:
        creds = self.credentials(principal)
        return self.server.login(creds["username"], creds["password"])

    def finished(self, principal: str) -> dict:
        """A completed job with execution 1, one per owner, made once."""
        owner = self.owner_name(principal)
        if owner not in self._finished:
            self._finished[owner] = finished_job(self.owner(principal), name=f"matrix-finished-{owner}")
        return self._finished[owner]

    def job_probe(self, job_id: str) -> Callable[[], Any]:
        admin = self.clients["admin"]

        def probe() -> Any:
            response = admin.get(f"{JOBS}/{job_id}")
            return response.status_code, response.json()

        return probe

    def name_probe(self, name: str) -> Callable[[], Any]:
        admin = self.clients["admin"]
        return lambda: [job["id"] for job in admin.get(JOBS, params={"name": name}).json()["data"]]


def unique(label: str) -> str:
    return f"matrix-{label}-{time.monotonic_ns()}"


def _login(ctx: Context, who: str) -> Call:
    return Call(json=ctx.credentials(who), token="")


def _issue_token(ctx: Context, who: str) -> Call:
    return Call(data={"grant_type": "password", **ctx.credentials(who)}, token="")


def _refresh_token(ctx: Context, who: str) -> Call:
    return Call(json={"refresh_token": ctx.fresh_pair(who)["refresh_token"]}, token="")


def _logout(ctx: Context, who: str) -> Call:
    # a session of its own: logging out the shared token would break every later cell
    return Call(token="" if who == ANONYMOUS else ctx.fresh_pair(who)["access_token"])


def _create_job(ctx: Context, who: str) -> Call:
    name = unique("create")
    return Call(json={"name": name, "command": ["true"], "run_at": FAR_FUTURE}, probe=ctx.name_probe(name))


def _create_jobs(ctx: Context, who: str) -> Call:
    name = unique("batch")

    def check(response: httpx.Response) -> None:
        assert response.json()["created"] == 1, response.text

    return Call(
        json={"jobs": [{"name": name, "command": ["true"], "run_at": FAR_FUTURE}]},
        probe=ctx.name_probe(name),
        check=check,
    )


def _cancel_jobs(ctx: Context, who: str) -> Call:
    job = live_job(ctx.owner(who))

    def check(response: httpx.Response) -> None:
        assert response.json()["job_ids"] == [job["id"]], response.text

    return Call(json={"filter": {"ids": [job["id"]]}}, probe=ctx.job_probe(job["id"]), check=check)


def _on_live_job(**call: Any) -> Callable[[Context, str], Call]:
    def recipe(ctx: Context, who: str) -> Call:
        job = live_job(ctx.owner(who))
        return Call(path_params={"job_id": job["id"]}, probe=ctx.job_probe(job["id"]), **call)

    return recipe


def _on_cancelled_job(ctx: Context, who: str) -> Call:
    job = cancelled_job(ctx.owner(who))
    return Call(path_params={"job_id": job["id"]}, probe=ctx.job_probe(job["id"]))


def _on_finished_job(**params: object) -> Callable[[Context, str], Call]:
    def recipe(ctx: Context, who: str) -> Call:
        job = ctx.finished(who)
        return Call(path_params={"job_id": job["id"], **params}, probe=ctx.job_probe(job["id"]))

    return recipe


USERS = "/api/v1/users"
THROWAWAY_PASSWORD = "throwaway passphrase"


def _throwaway_user(ctx: Context) -> dict:
    body = {"username": unique("user"), "role": "member", "password": THROWAWAY_PASSWORD}
    response = ctx.clients["admin"].post(USERS, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _user_probe(ctx: Context, user: dict) -> Callable[[], Any]:
    admin = ctx.clients["admin"]

    def probe() -> Any:
        # the record, and whether the old password still logs in
        login = httpx.post(
            f"{ctx.server.url}/api/v1/auth/login",
            json={"username": user["username"], "password": THROWAWAY_PASSWORD},
        )
        return admin.get(f"{USERS}/{user['id']}").json(), login.status_code

    return probe


def _create_user(ctx: Context, who: str) -> Call:
    name = unique("new-user")
    admin = ctx.clients["admin"]
    return Call(
        json={"username": name, "role": "viewer", "password": THROWAWAY_PASSWORD},
        probe=lambda: [u["username"] for u in admin.get(USERS, params={"limit": 100}).json()["data"]],
    )


def _on_user(**call: Any) -> Callable[[Context, str], Call]:
    def recipe(ctx: Context, who: str) -> Call:
        user = _throwaway_user(ctx)
        return Call(path_params={"user_id": user["id"]}, probe=_user_probe(ctx, user), **call)

    return recipe


QUEUES = "/api/v1/queues"


def _throwaway_queue(ctx: Context) -> dict:
    name = unique("q").lower().replace("_", "-")[:64]
    response = ctx.clients["admin"].post(QUEUES, json={"name": name, "description": "matrix"})
    assert response.status_code == 201, response.text
    return response.json()


def _queue_probe(ctx: Context, name: str) -> Callable[[], Any]:
    admin = ctx.clients["admin"]

    def probe() -> Any:
        response = admin.get(f"{QUEUES}/{name}")
        body = response.json()
        return response.status_code, body if response.status_code == 200 else body["code"]

    return probe


def _create_queue(ctx: Context, who: str) -> Call:
    name = unique("new-q").lower()[:64]
    return Call(json={"name": name}, probe=_queue_probe(ctx, name))


def _on_queue(**call: Any) -> Callable[[Context, str], Call]:
    def recipe(ctx: Context, who: str) -> Call:
        queue = _throwaway_queue(ctx)
        return Call(path_params={"queue_name": queue["name"]}, probe=_queue_probe(ctx, queue["name"]), **call)

    return recipe


WORKERS = "/api/v1/workers"


def _throwaway_worker(ctx: Context) -> dict:
    body = {"name": unique("robot"), "queues": [unique("rq").lower()[:64]]}
    response = ctx.clients["admin"].post(WORKERS, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _worker_probe(ctx: Context, worker_id: str) -> Callable[[], Any]:
    admin = ctx.clients["admin"]

    def probe() -> Any:
        response = admin.get(f"{WORKERS}/{worker_id}")
        body = response.json()
        return response.status_code, body if response.status_code == 200 else body["code"]

    return probe


def _register_worker(ctx: Context, who: str) -> Call:
    queue = unique("reg").lower()[:64]
    admin = ctx.clients["admin"]
    return Call(
        json={"name": "matrix-robot", "queues": [queue]},
        probe=lambda: admin.get(WORKERS, params={"queue": queue}).json()["data"],
    )


def _on_worker(**call: Any) -> Callable[[Context, str], Call]:
    def recipe(ctx: Context, who: str) -> Call:
        worker = _throwaway_worker(ctx)
        return Call(path_params={"worker_id": worker["id"]}, probe=_worker_probe(ctx, worker["id"]), **call)

    return recipe


def _robot_jobs(ctx: Context, count: int = 16) -> list[tuple[dict, dict]]:
    """Jobs claimed by a pull worker (with a long lease). The server's own executor claims every
    queue, so its slots are filled with sleepers while the robot claims, then freed."""
    admin = ctx.clients["admin"]
    slots = int(ctx.server.settings.executor_url.rpartition("concurrency=")[2] or 4)
    sleepers = [
        admin.post(JOBS, json={"name": unique("sleeper"), "command": ["sleep", "600"], "priority": 9}).json()
        for _ in range(slots)
    ]
    try:
        for sleeper in sleepers:
            wait_for_status(admin, sleeper["id"], {"running"})
        queue = unique("robots").lower()[:64]
        for _ in range(count):
            assert admin.post(JOBS, json={"queue": queue, "command": ["true"]}).status_code == 201
        worker = admin.post(
            WORKERS, json={"name": "matrix-robot", "queues": [queue], "capacity": count}
        ).json()
        claimed = admin.post(
            f"{WORKERS}/{worker['id']}/claim", json={"max_jobs": count, "lease_seconds": 3600}
        ).json()["jobs"]
        assert len(claimed) == count, claimed
    finally:
        for sleeper in sleepers:
            admin.post(f"{JOBS}/{sleeper['id']}/cancel")
    return [(worker, job) for job in claimed]


def _on_robot_job(**fields: Any) -> Callable[[Context, str], Call]:
    def recipe(ctx: Context, who: str) -> Call:
        pool = ctx.__dict__.setdefault("robot_jobs", [])
        if not pool:
            pool.extend(_robot_jobs(ctx))
        worker, job = pool.pop()
        return Call(
            path_params={"job_id": job["id"]},
            json={"worker_id": worker["id"], "attempt": job["attempt"], **fields},
            probe=ctx.job_probe(job["id"]),
        )

    return recipe


API_KEYS = "/api/v1/api-keys"


def _key_names(ctx: Context) -> Callable[[], Any]:
    admin = ctx.clients["admin"]
    return lambda: sorted(k["name"] for k in admin.get(API_KEYS, params={"limit": 100}).json()["data"])


def _create_api_key(ctx: Context, who: str) -> Call:
    return Call(json={"name": unique("key"), "scopes": ["jobs:read"]}, probe=_key_names(ctx))


def _on_own_key(ctx: Context, who: str) -> Call:
    """A key of the caller's own (the member's for an anonymous caller)."""
    owner = ctx.clients["member" if who == ANONYMOUS else who]
    response = owner.post(API_KEYS, json={"name": unique("key"), "scopes": ["jobs:read"]})
    assert response.status_code == 201, response.text
    key_id = response.json()["id"]
    admin = ctx.clients["admin"]
    return Call(path_params={"key_id": key_id}, probe=lambda: admin.get(f"{API_KEYS}/{key_id}").json())


WEBHOOKS = "/api/v1/webhooks"
# a closed port on this machine: deliveries fail fast and nothing leaves it (SERVER_SETTINGS)
WEBHOOK_URL = "http://127.0.0.1:9/matrix"
SERVER_SETTINGS = {"webhook_allow_http": True, "webhook_allow_networks": "127.0.0.1/32"}


def _webhook_of(ctx: Context, who: str) -> dict:
    """A webhook the caller may see: its own (the admin's for those who can own none)."""
    owner = who if who != ANONYMOUS and "webhooks:write" in DOCUMENTED_SCOPES[who] else "admin"
    body = {"name": unique("hook"), "url": WEBHOOK_URL, "events": ["webhook.disabled"]}
    response = ctx.clients[owner].post(WEBHOOKS, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _webhook_probe(ctx: Context, webhook_id: str) -> Callable[[], Any]:
    admin = ctx.clients["admin"]

    def probe() -> Any:
        response = admin.get(f"{WEBHOOKS}/{webhook_id}")
        deliveries = (
            admin.get(f"{WEBHOOKS}/{webhook_id}/deliveries").json() if response.status_code == 200 else {}
        )
        return response.status_code, response.json(), deliveries

    return probe


def _create_webhook(ctx: Context, who: str) -> Call:
    name = unique("new-hook")
    admin = ctx.clients["admin"]
    return Call(
        json={"name": name, "url": WEBHOOK_URL, "events": ["webhook.disabled"]},
        probe=lambda: [h["name"] for h in admin.get(WEBHOOKS, params={"limit": 100}).json()["data"]],
    )


def _on_webhook(**call: Any) -> Callable[[Context, str], Call]:
    def recipe(ctx: Context, who: str) -> Call:
        hook = _webhook_of(ctx, who)
        return Call(path_params={"webhook_id": hook["id"]}, probe=_webhook_probe(ctx, hook["id"]), **call)

    return recipe


def _on_delivery(ctx: Context, who: str) -> Call:
    """A finished delivery (a test message, refused by the closed port)."""
    hook = _webhook_of(ctx, who)
    owner = ctx.clients[hook["owner"].removesuffix("-user") if hook["owner"] != "admin" else "admin"]
    delivery = owner.post(f"{WEBHOOKS}/{hook['id']}/test").json()
    return Call(
        path_params={"webhook_id": hook["id"], "delivery_id": delivery["id"]},
        probe=_webhook_probe(ctx, hook["id"]),
    )


SCHEDULES = "/api/v1/schedules"


def _schedule_body() -> dict:
    # once a year, far from now: only `trigger` makes a run
    return {"name": unique("schedule"), "cron": "0 3 1 1 *", "job": {"command": ["true"]}}


def _schedule_of(ctx: Context, who: str) -> dict:
    """A schedule the caller may see: its own (the admin's for those who can own none)."""
    response = ctx.owner(who).post(SCHEDULES, json=_schedule_body())
    assert response.status_code == 201, response.text
    return response.json()


def _schedule_probe(ctx: Context, schedule_id: str) -> Callable[[], Any]:
    admin = ctx.clients["admin"]

    def probe() -> Any:
        response = admin.get(f"{SCHEDULES}/{schedule_id}")
        runs = admin.get(JOBS, params={"schedule_id": schedule_id}).json()["data"]
        return response.status_code, response.json(), [job["id"] for job in runs]

    return probe


def _create_schedule(ctx: Context, who: str) -> Call:
    body = _schedule_body()
    admin = ctx.clients["admin"]
    return Call(
        json=body,
        probe=lambda: [s["name"] for s in admin.get(SCHEDULES, params={"limit": 100}).json()["data"]],
    )


def _on_schedule(**call: Any) -> Callable[[Context, str], Call]:
    def recipe(ctx: Context, who: str) -> Call:
        schedule = _schedule_of(ctx, who)
        return Call(
            path_params={"schedule_id": schedule["id"]}, probe=_schedule_probe(ctx, schedule["id"]), **call
        )

    return recipe


WORKFLOWS = "/api/v1/workflows"


def _workflow_of(ctx: Context, who: str, *, failed: bool) -> dict:
    """A workflow the caller may see: its own (the admin's for those who can own none); a
    running one (its step scheduled far ahead), or one that failed."""
    owner = who if who != ANONYMOUS and "workflows:write" in DOCUMENTED_SCOPES[who] else "admin"
    job = {"command": ["false"]} if failed else {"command": ["true"], "run_at": FAR_FUTURE}
    body = {"name": unique("flow"), "steps": [{"name": "only", "job": job}]}
    client = ctx.clients[owner]
    response = client.post(WORKFLOWS, json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    if failed:
        deadline = time.monotonic() + 20
        while client.get(f"{WORKFLOWS}/{created['id']}").json()["status"] != "failed":
            assert time.monotonic() < deadline, "the workflow did not fail in time"
            time.sleep(0.05)
    return created


def _on_workflow(*, failed: bool = False) -> Callable[[Context, str], Call]:
    def recipe(ctx: Context, who: str) -> Call:
        workflow_id = _workflow_of(ctx, who, failed=failed)["id"]
        admin = ctx.clients["admin"]
        return Call(
            path_params={"workflow_id": workflow_id},
            probe=lambda: admin.get(f"{WORKFLOWS}/{workflow_id}").json(),
        )

    return recipe


def _create_workflow(ctx: Context, who: str) -> Call:
    name = unique("new-flow")
    admin = ctx.clients["admin"]
    return Call(
        json={"name": name, "steps": [{"name": "a", "job": {"command": ["true"], "run_at": FAR_FUTURE}}]},
        probe=lambda: [w["name"] for w in admin.get(WORKFLOWS, params={"limit": 100}).json()["data"]],
    )


TEMPLATES = "/api/v1/templates"
TEMPLATE = {"name": "matrix", "job": {"command": ["true"], "run_at": FAR_FUTURE}}


def _template_of(ctx: Context, who: str) -> dict:
    """A template the caller may see and change: its own (the admin's, public, for those who can
    own none)."""
    owner = who if who != ANONYMOUS and "templates:write" in DOCUMENTED_SCOPES[who] else "admin"
    response = ctx.clients[owner].post(TEMPLATES, json={**TEMPLATE, "visibility": "public"})
    assert response.status_code == 201, response.text
    return response.json()


def _on_template(**call: Any) -> Callable[[Context, str], Call]:
    def recipe(ctx: Context, who: str) -> Call:
        template_id = _template_of(ctx, who)["id"]
        admin = ctx.clients["admin"]
        return Call(
            path_params={"template_id": template_id},
            probe=lambda: admin.get(f"{TEMPLATES}/{template_id}").json(),
            **call,
        )

    return recipe


def _create_template(ctx: Context, who: str) -> Call:
    admin = ctx.clients["admin"]
    return Call(
        json={**TEMPLATE, "name": unique("tpl")},
        probe=lambda: [t["name"] for t in admin.get(TEMPLATES, params={"limit": 100}).json()["data"]],
    )


RECIPES: dict[str, Callable[[Context, str], Call]] = {
    "list_schedules": lambda ctx, who: Call(params={"limit": 1}),
    "create_schedule": _create_schedule,
    "get_schedule": _on_schedule(),
    "update_schedule": _on_schedule(json={"cron": "0 4 1 1 *"}),
    "delete_schedule": _on_schedule(),
    "preview_schedule": _on_schedule(params={"count": 2}),
    "trigger_schedule": _on_schedule(),
    "pause_schedule": _on_schedule(),
    "resume_schedule": _on_schedule(),
    "list_templates": lambda ctx, who: Call(params={"limit": 1}),
    "create_template": _create_template,
    "get_template": _on_template(),
    "update_template": _on_template(json=TEMPLATE),
    "run_template": _on_template(json={"parameters": {}}),
    "list_workflows": lambda ctx, who: Call(params={"limit": 1}),
    "create_workflow": _create_workflow,
    "get_workflow": _on_workflow(),
    "cancel_workflow": _on_workflow(),
    "retry_workflow": _on_workflow(failed=True),
    "list_webhooks": lambda ctx, who: Call(params={"limit": 1}),
    "create_webhook": _create_webhook,
    "get_webhook": _on_webhook(),
    "update_webhook": _on_webhook(json={"description": "changed"}),
    "delete_webhook": _on_webhook(),
    "rotate_webhook_secret": _on_webhook(params={"previous_secret_seconds": 60}),
    "test_webhook": _on_webhook(),
    "replay_webhook": _on_webhook(json={"after_event_id": 0, "up_to_event_id": 1}),
    "list_webhook_deliveries": _on_webhook(params={"limit": 1}),
    "get_webhook_delivery": _on_delivery,
    "replay_webhook_delivery": _on_delivery,
    "list_api_keys": lambda ctx, who: Call(params={"limit": 1}),
    "create_api_key": _create_api_key,
    "get_api_key": _on_own_key,
    "revoke_api_key": _on_own_key,
    "list_audit_events": lambda ctx, who: Call(params={"limit": 1}),
    "register_worker": _register_worker,
    "list_workers": lambda ctx, who: Call(params={"limit": 1}),
    "get_worker": _on_worker(),
    "deregister_worker": _on_worker(),
    "record_worker_heartbeat": _on_worker(json={"load": 1}),
    "drain_worker": _on_worker(),
    "claim_jobs": _on_worker(json={"max_jobs": 1}),
    "extend_lease": _on_robot_job(lease_seconds=600),
    "complete_job": _on_robot_job(exit_code=0),
    "fail_job": _on_robot_job(exit_code=1),
    "get_fleet": lambda ctx, who: Call(),
    "list_queues": lambda ctx, who: Call(params={"limit": 1}),
    "create_queue": _create_queue,
    "get_queue": _on_queue(),
    "update_queue": _on_queue(json={"max_concurrency": 5}),
    "delete_queue": _on_queue(),
    "pause_queue": _on_queue(),
    "resume_queue": _on_queue(),
    "get_queue_stats": _on_queue(),
    "list_users": lambda ctx, who: Call(params={"limit": 1}),
    "create_user": _create_user,
    "get_user": _on_user(),
    "update_user": _on_user(json={"role": "viewer"}),
    "set_user_password": _on_user(json={"password": "a different passphrase"}),
    "get_health": lambda ctx, who: Call(),
    "get_ready": lambda ctx, who: Call(),
    "get_healthz": lambda ctx, who: Call(),
    "get_health_details": lambda ctx, who: Call(),
    "get_info": lambda ctx, who: Call(),
    "login": _login,
    "issue_token": _issue_token,
    "refresh_token": _refresh_token,
    "logout": _logout,
    "get_me": lambda ctx, who: Call(),
    "create_job": _create_job,
    "list_jobs": lambda ctx, who: Call(params={"limit": 1}),
    "create_jobs": _create_jobs,
    "cancel_jobs": _cancel_jobs,
    "get_job": _on_live_job(),
    "update_job": _on_live_job(json={"priority": 7}),
    "delete_job": _on_cancelled_job,
    "cancel_job": _on_live_job(),
    "retry_job": _on_cancelled_job,
    "list_job_executions": _on_finished_job(),
    "get_execution_log": _on_finished_job(attempt=1),
    # the event log: every authenticated principal may read it, each seeing what its scopes allow
    # (tests/test_events.py checks who sees which events)
    "list_events": lambda ctx, who: Call(params={"limit": 1}),
    "stream_events": lambda ctx, who: Call(params={"max_seconds": 1}),
    "create_ws_ticket": lambda ctx, who: Call(),
    # figures and exports over what the caller may see (tests/test_analytics.py, test_export.py)
    "get_analytics_summary": lambda ctx, who: Call(),
    "get_analytics_trends": lambda ctx, who: Call(params={"bucket": "minute"}),
    "export_jobs": lambda ctx, who: Call(params={"name": "matrix-"}, headers={"Accept": "text/csv"}),
    "export_executions": lambda ctx, who: Call(params={"name": "matrix-"}),
    "get_metrics": lambda ctx, who: Call(),
}


# -- the matrix ----------------------------------------------------------------------------------

TALLY = {"cells": 0, "forbidden": 0, "unauthorized": 0, "allowed": 0}


@pytest.fixture(scope="module")
def ctx(server: LiveServer, tokens: dict[str, str], clients: dict[str, httpx.Client]) -> Context:
    return Context(server, tokens, clients)


def call(ctx: Context, operation: Operation, principal: str, recipe: Call) -> httpx.Response:
    token = recipe.token if recipe.token is not None else ctx.tokens.get(principal, "")
    headers = {**recipe.headers, **({"Authorization": f"Bearer {token}"} if token else {})}
    return httpx.request(
        operation.method,
        ctx.server.url + operation.path.format(**recipe.path_params),
        headers=headers,
        json=recipe.json,
        data=recipe.data,
        params=recipe.params,
        timeout=30,
    )


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.operation_id)
def test_cell(ctx: Context, operation: Operation, principal: str) -> None:
    recipe_for = RECIPES.get(operation.operation_id)
    assert recipe_for is not None, (
        f"{operation.method} {operation.path} ({operation.operation_id}) has no recipe in "
        "tests/security/test_role_matrix.py RECIPES: write one so the operation is in the role matrix"
    )
    recipe = recipe_for(ctx, principal)
    before = recipe.probe() if recipe.probe else None
    response = call(ctx, operation, principal, recipe)
    TALLY["cells"] += 1
    where = f"{principal} {operation.method} {operation.path}"
    if allowed(operation, principal):
        assert response.status_code in operation.success, f"{where}: {response.status_code} {response.text}"
        if recipe.check:
            recipe.check(response)
        TALLY["allowed"] += 1
        return
    if principal == ANONYMOUS:
        body = assert_problem(response, 401, "UNAUTHORIZED")
        TALLY["unauthorized"] += 1
    else:
        body = assert_problem(response, 403, "FORBIDDEN")
        missing = set().union(*operation.requirements) - DOCUMENTED_SCOPES[principal]
        assert all(scope in body["detail"] for scope in missing), body  # names what is missing
        TALLY["forbidden"] += 1
    if recipe.probe:
        assert recipe.probe() == before, f"{where}: a refused request changed something"


def test_roles_have_the_documented_scopes(server: LiveServer, tokens: dict[str, str]) -> None:
    for role, token in tokens.items():
        me = httpx.get(f"{server.url}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200, me.text
        assert (me.json()["role"], set(me.json()["scopes"])) == (role, set(DOCUMENTED_SCOPES[role]))


def test_every_operation_has_a_recipe() -> None:
    missing = sorted(op.operation_id for op in OPERATIONS if op.operation_id not in RECIPES)
    assert not missing, f"operations without a role-matrix recipe: {missing}"


def test_the_spec_declares_the_auth_errors_it_can_return() -> None:
    for op in OPERATIONS:
        if not op.public:
            assert "401" in op.responses, f"{op.operation_id} is secured but does not declare 401"
        if any(op.requirements):
            assert "403" in op.responses, f"{op.operation_id} needs scopes but does not declare 403"


def test_every_scope_is_needed_somewhere_and_known() -> None:
    declared = set(load_spec()["components"]["securitySchemes"]["OAuth2"]["flows"]["password"]["scopes"])
    used = set().union(*(set().union(*op.requirements) for op in OPERATIONS if op.requirements))
    granted = set().union(*DOCUMENTED_SCOPES.values())
    assert used <= declared, used - declared
    assert used <= granted, f"no role can ever call operations that need {used - granted}"


def test_matrix_counts() -> None:
    """Reports the size of the matrix (run after the cells; alone it only checks the expectation)."""
    expected_forbidden = sum(1 for op in OPERATIONS for role in ROLES if not allowed(op, role))
    expected_unauthorized = sum(1 for op in OPERATIONS if not op.public)
    line = (
        f"role matrix: {len(OPERATIONS)} operations x {len(PRINCIPALS)} principals = "
        f"{len(OPERATIONS) * len(PRINCIPALS)} cells; expected 403 in {expected_forbidden}, "
        f"401 in {expected_unauthorized}; this run checked {TALLY['cells']} "
        f"({TALLY['allowed']} allowed, {TALLY['forbidden']} forbidden, "
        f"{TALLY['unauthorized']} unauthenticated)"
    )
    SUMMARY.append(line)
    if TALLY["cells"] == len(OPERATIONS) * len(PRINCIPALS):
        assert TALLY["forbidden"] == expected_forbidden and TALLY["unauthorized"] == expected_unauthorized
    assert expected_forbidden > 0  # the matrix would prove nothing if no role were ever refused
