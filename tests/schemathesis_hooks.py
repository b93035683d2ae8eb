"""Schemathesis hooks for tests/test_fuzz.py (loaded through SCHEMATHESIS_HOOKS by the CLI, in the
Schemathesis process, never by pytest: the name does not start with ``test_``).

- auth: with BATON_FUZZ_TOKEN set (and BATON_FUZZ_URL, BATON_FUZZ_USERNAME, BATON_FUZZ_PASSWORD),
  every request gets ``Authorization: Bearer $BATON_FUZZ_TOKEN``, except ``logout``, which gets a
  token from a fresh login each time: logout revokes the session of the token it is given, so
  with the shared token every request after the first logout would be a 401.
- format ``entity-tags`` (the spec's If-Match / If-None-Match values): how to make them.
- check ``bearer_token_enforced``: what ``ignored_auth`` would check if Schemathesis set the
  credentials itself: the request without the token, with forged tokens, and with a forged
  ``X-API-Key`` instead, must each be a 401 (the key: 403 ``BEARER_TOKEN_REQUIRED`` where the
  operation takes bearer tokens only).
- hook ``before_call``: claims never long-poll (see its comment).
- hook ``filter_failure``: drops five kinds of ST202 that are not bugs, each narrowly and with the
  reason; BATON_FUZZ_DROPPED_LOG names a file that gets one JSON line per dropped failure.
  (A webhook URL the SSRF guard refuses counts among "rules of the moment", checked with the guard;
  so does a workflow graph baton/dag.py refuses, or a template baton/templating.py refuses, each
  checked with it; and values a template's own stored schema refuses at its run.)
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
import schemathesis
from hypothesis import strategies as st

# -- authentication ---------------------------------------------------------------------------

if os.environ.get("BATON_FUZZ_TOKEN"):
    # refresh_interval=None: get() is asked for every case (we cache the shared token ourselves).
    # retry_on=[]: no silent re-login and replay after a 401. A token of ours that stops working
    # mid-run is a bug the run must show, not hide.
    @schemathesis.auth(refresh_interval=None, retry_on=[])
    class BatonAuth:
        def get(self, case: Any, context: Any) -> str:
            if context.operation.definition.raw.get("operationId") == "logout":
                response = requests.post(
                    os.environ["BATON_FUZZ_URL"].rstrip("/") + "/api/v1/auth/login",
                    json={
                        "username": os.environ["BATON_FUZZ_USERNAME"],
                        "password": os.environ["BATON_FUZZ_PASSWORD"],
                    },
                    timeout=30,
                )
                response.raise_for_status()
                return response.json()["access_token"]
            return os.environ["BATON_FUZZ_TOKEN"]

        def set(self, case: Any, data: str, context: Any) -> None:
            case.headers = case.headers or {}
            case.headers["Authorization"] = f"Bearer {data}"


# -- the spec's own string formats -------------------------------------------------------------
# EntityTags (If-Match, If-None-Match) has a pattern that needs `"` or `*`; Schemathesis's header
# generators keep to letters and digits where they can, so without this it finds no valid value
# and sends an invalid one in cases it labels positive.

_ENTITY_TAG = st.builds(
    lambda weak, opaque: ("W/" if weak else "") + f'"{opaque}"',
    st.booleans(),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters='"'), max_size=40),
)
schemathesis.openapi.format(
    "entity-tags",
    st.one_of(st.just("*"), st.lists(_ENTITY_TAG, min_size=1, max_size=4).map(", ".join)),
)


# -- extra check: bearer tokens are enforced -----------------------------------------------------
# Schemathesis' own `ignored_auth` check only knows apiKey/http security schemes; for this API's
# `oauth2` scheme it finds no security parameter and checks nothing. This is that check for
# bearer tokens, plus two JWT forgeries.

_INVALID_BEARER = "Bearer SCHEMATHESIS-INVALID-VALUE"
_auth_checked: set[str] = set()
_auth_checked_lock = threading.Lock()
_probe_session = requests.Session()
_probe_session.trust_env = False  # 127.0.0.1 only, never through a proxy


_FORGED_API_KEY = "bt_0123456789ab_" + "A" * 43  # well-formed, never issued


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _needs_auth(operation: Any) -> bool:
    security = operation.definition.raw.get("security", operation.schema.raw_schema.get("security", []))
    # an empty requirement ({}) in the list would make authentication optional
    return bool(security) and all(security)


def _forgeries(authorization: str) -> dict[str, str | None]:
    probes: dict[str, str | None] = {"no credentials": None, "an invalid token": _INVALID_BEARER}
    parts = authorization.removeprefix("Bearer ").split(".")
    if len(parts) == 3 and len(parts[2]) > 8:
        header, payload, signature = parts
        middle = len(signature) // 2  # not the last character, whose low bits may be padding
        flipped = "A" if signature[middle] != "A" else "B"
        tampered = signature[:middle] + flipped + signature[middle + 1 :]
        probes["the token with a tampered signature"] = f"Bearer {header}.{payload}.{tampered}"
        unsigned = _b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
        probes['the token re-signed with alg "none"'] = f"Bearer {unsigned}.{payload}."
    return probes


@schemathesis.check
def bearer_token_enforced(ctx: Any, response: Any, case: Any) -> bool | None:
    """Once per operation that requires a token: after a 2xx answer to a request with our token,
    replay that request with no token, an invalid one and two forged JWTs; each must be a 401."""
    authorization = response.request.headers.get("Authorization")
    if not 200 <= response.status_code < 300 or not authorization or not _needs_auth(case.operation):
        return None
    with _auth_checked_lock:
        if case.operation.label in _auth_checked:
            return None
        _auth_checked.add(case.operation.label)
    for description, value in _forgeries(authorization).items():
        probe = response.request.copy()
        del probe.headers["Authorization"]
        if value is not None:
            probe.headers["Authorization"] = value
        answer = _probe_session.send(probe, timeout=30, allow_redirects=False)
        if answer.status_code != 401:
            raise AssertionError(
                f"{case.operation.label} requires a bearer token, but answered {answer.status_code} "
                f"(not 401) to the same request with {description}: {answer.text[:300]}"
            )
    # and an API key this server never issued, instead of the token: a 401, or, where the
    # operation takes bearer tokens only, 403 BEARER_TOKEN_REQUIRED (the key is not looked at)
    probe = response.request.copy()
    del probe.headers["Authorization"]
    probe.headers["X-API-Key"] = _FORGED_API_KEY
    answer = _probe_session.send(probe, timeout=30, allow_redirects=False)
    expected, code = (401, None) if _takes_api_keys(case.operation) else (403, "BEARER_TOKEN_REQUIRED")
    if answer.status_code != expected or (code and _code_of(answer) != code):
        raise AssertionError(
            f"{case.operation.label} answered {answer.status_code} (not {expected}) to the same "
            f"request with a forged X-API-Key instead of the token: {answer.text[:300]}"
        )
    return None


def _code_of(answer: requests.Response) -> str | None:
    try:
        body = answer.json()
    except ValueError:
        return None
    return body.get("code") if isinstance(body, dict) else None


def _takes_api_keys(operation: Any) -> bool:
    security = operation.definition.raw.get("security", operation.schema.raw_schema.get("security", []))
    return any("ApiKey" in requirement for requirement in security)


# -- accepted failures ------------------------------------------------------------------------


def _problem(response: Any) -> dict[str, Any]:
    if not response.headers.get("content-type", [""])[0].startswith("application/problem+json"):
        return {}
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _cursor_is_well_formed(cursor: str, sort: str) -> bool:
    """Whether `cursor` has the shape of one the server issues for this list (baton/pagination.py):
    base64url JSON {"s": <sort>, "p": [...]}."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        return False
    return isinstance(data, dict) and data.get("s") == sort and isinstance(data.get("p"), list)


def _is_made_up_cursor(case: Any, problem: dict[str, Any]) -> bool:
    """`cursor` is opaque: the schema can only say which characters it uses, so a schema-valid
    cursor the server never issued is rightly a 400 INVALID_CURSOR (documented under 400). A
    well-formed cursor for this list being refused is still reported."""
    if problem.get("code") != "INVALID_CURSOR":
        return False
    query = case.query or {}
    cursor = query.get("cursor")
    if not isinstance(cursor, str):
        return False  # INVALID_CURSOR without a cursor sent would be a bug
    if case.path.endswith("/executions"):
        sort = "attempt"
    else:
        sort = _canonical_sort(query.get("sort"))
    return not _cursor_is_well_formed(cursor, sort)


def _canonical_sort(sort: Any) -> str:
    """The sort a job list's cursor is bound to (baton/joblist.py): each field's first mention."""
    items = sort.split(",") if isinstance(sort, str) else list(sort or [])
    first: dict[str, str] = {}
    for item in items:
        first.setdefault(str(item).lstrip("-"), str(item))
    return ",".join(first.values()) or "-created_at"


# the rule the Labels description states for keys (used with fullmatch: no trailing newline)
_LABEL_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./-]{0,62}")


def _breaks_label_key_rule(body: dict[str, Any], error: dict[str, Any]) -> bool:
    """Whether this error names a label key of the body that really breaks the documented rule."""
    labels, key = _labels_named(body, str(error.get("field", "")))
    if error.get("message") != "Invalid label key" or labels is None:
        return False
    return key in labels and not _LABEL_KEY.fullmatch(key)


def _is_label_key_rule(case: Any, problem: dict[str, Any]) -> bool:
    """Label *keys* follow a rule (documented in the Labels description) that OpenAPI 3.0 cannot
    express: it has no `propertyNames`, and the 3.0 meta-schema forbids unknown keywords. So a
    schema-valid body with a key like "" or "é" is rightly a 400. Dropped only when that is the
    sole complaint and every key the server names really breaks the documented rule (in a job
    body, `labels.KEY`; in a batch, `jobs.N.labels.KEY`)."""
    errors = problem.get("errors") or []
    if problem.get("code") != "VALIDATION_ERROR" or not errors or not isinstance(case.body, dict):
        return False
    return all(_breaks_label_key_rule(case.body, error) for error in errors)


def _labels_named(body: dict[str, Any], field: str) -> tuple[dict | None, str]:
    """The labels object an error field points into, and the key it names."""
    if field.startswith("labels."):
        labels = body.get("labels")
        return (labels if isinstance(labels, dict) else None), field.removeprefix("labels.")
    if field.startswith("filters.labels."):  # a webhook's filters
        filters = body.get("filters")
        labels = filters.get("labels") if isinstance(filters, dict) else None
        return (labels if isinstance(labels, dict) else None), field.removeprefix("filters.labels.")
    if field.startswith("job.labels."):  # a schedule's job template
        job = body.get("job")
        labels = job.get("labels") if isinstance(job, dict) else None
        return (labels if isinstance(labels, dict) else None), field.removeprefix("job.labels.")
    step = re.fullmatch(r"steps\.(\d+)\.job\.labels\.(.*)", field, re.DOTALL)
    steps = body.get("steps")
    if step and isinstance(steps, list) and int(step.group(1)) < len(steps):  # a workflow step's job
        job = steps[int(step.group(1))].get("job") if isinstance(steps[int(step.group(1))], dict) else None
        labels = job.get("labels") if isinstance(job, dict) else None
        return (labels if isinstance(labels, dict) else None), step.group(2)
    match = re.fullmatch(r"jobs\.(\d+)\.labels\.(.*)", field, re.DOTALL)
    jobs = body.get("jobs")
    if match and isinstance(jobs, list) and int(match.group(1)) < len(jobs):
        item = jobs[int(match.group(1))]
        labels = item.get("labels") if isinstance(item, dict) else None
        return (labels if isinstance(labels, dict) else None), match.group(2)
    return None, ""


def _is_made_up_etag(case: Any, response: Any, problem: dict[str, Any]) -> bool:
    """A job's ETag is a hash the client can only learn from the server, so a schema-valid If-Match
    that Schemathesis makes up rightly gets 412 PRECONDITION_FAILED (documented under 412). Dropped
    only when the job, fetched again with the same credentials, has an ETag that really is not
    among the strong tags sent; `*` must never give 412 for an existing job."""
    if problem.get("code") != "PRECONDITION_FAILED" or response.status_code != 412:
        return False
    sent = response.request.headers.get("If-Match")
    if not sent or sent.strip() == "*":
        return False
    probe = requests.Request(
        "GET",
        response.request.url,
        headers={
            "Authorization": response.request.headers.get("Authorization", ""),
        },
    ).prepare()
    current = _probe_session.send(probe, timeout=30, allow_redirects=False)
    if current.status_code != 200 or "etag" not in current.headers:
        return False
    strong = {m.group(2) for m in re.finditer(r'(W/)?("[^"]*")', sent) if not m.group(1)}
    return current.headers["etag"] not in strong


_log_lock = threading.Lock()


def _log_dropped(reason: str, case: Any, problem: dict[str, Any]) -> None:
    """Append one JSON line per dropped failure to BATON_FUZZ_DROPPED_LOG, so the test can show
    what was accepted and why."""
    path = os.environ.get("BATON_FUZZ_DROPPED_LOG")
    if not path:
        return
    line = json.dumps(
        {
            "reason": reason,
            "operation": f"{case.method} {case.path}",
            "query": case.query,
            "errors": problem.get("errors"),
        },
        default=repr,
    )
    with _log_lock, open(path, "a", encoding="utf-8") as log:
        log.write(line + "\n")


def _is_reused_idempotency_key(case: Any, response: Any, problem: dict[str, Any]) -> bool:
    """The fuzzer draws Idempotency-Key values from a small space and so repeats them with other
    bodies; 422 IDEMPOTENCY_KEY_REUSED is then right. Dropped only if the very same request with a
    fresh key is not rejected as bad input (any answer but 400/422 shows the body was fine; a 400
    is accepted only for the label-key rule above, a 422 only for a rule of the moment below)."""
    if problem.get("code") != "IDEMPOTENCY_KEY_REUSED":
        return False
    probe = response.request.copy()
    probe.headers["Idempotency-Key"] = f"fuzz-probe-{os.urandom(8).hex()}"
    answer = _probe_session.send(probe, timeout=30, allow_redirects=False)
    if answer.status_code not in {400, 422}:
        return True
    try:
        body = answer.json()
    except ValueError:
        return False
    if not isinstance(body, dict):
        return False
    # refused for a reason accepted below in its own right: the key was not the problem
    if answer.status_code == 400:
        return _is_label_key_rule(case, body) or _is_batch_task_rule(case, body)
    return _is_rule_of_the_moment(case, body)


def _is_rule_of_the_moment(case: Any, problem: dict[str, Any]) -> bool:
    """422s that depend on the server's state, clock or rules no schema can express: an API key's
    expiry that is already past when it arrives, a scope the caller's role lacks, a claim naming a
    queue the worker was not registered with, a webhook URL the SSRF guard refuses. Each is
    checked against the request itself."""
    body = case.body if isinstance(case.body, dict) else {}
    code = problem.get("code")
    if code == "EXPIRY_IN_PAST":
        try:
            expires = datetime.fromisoformat(str(body.get("expires_at")).upper())
        except ValueError:
            return False
        return expires.tzinfo is not None and expires <= datetime.now(UTC)
    if code == "SCOPE_NOT_HELD":
        return bool(body.get("scopes"))
    if code == "QUEUE_NOT_SERVED":
        return bool(body.get("queues"))
    if code == "WEBHOOK_URL_REFUSED":
        return _url_refused(body.get("url"))
    if code in {"INVALID_TIME_RANGE", "TOO_MANY_BUCKETS"}:
        return _window_refused(code, case.query or {})
    if code in {"INVALID_SCHEDULE_EXPRESSION", "INVALID_SCHEDULE"}:
        return _schedule_refused(case, code)
    if code in {"COMMAND_OR_TASK", "UNKNOWN_TASK"}:
        return _task_rule_broken(code, _job_named(body, problem))
    if code == "INVALID_WORKFLOW":
        return _workflow_refused(body)
    if code == "INVALID_TEMPLATE":
        return _template_refused(body)
    if code == "INVALID_TEMPLATE_PARAMETERS":
        # values are checked against the stored template's own schema, not the spec's
        return str(case.path).endswith("/run")
    return False


def _template_refused(body: dict[str, Any]) -> bool:
    """A template's parameter schema and markers are checked by baton/templating.py, beyond what a
    schema says. Dropped only when it refuses the body too."""
    from baton.errors import Unprocessable
    from baton.templating import parse_template

    try:
        parse_template(body)
    except Unprocessable:
        return True
    return False


def _workflow_refused(body: dict[str, Any]) -> bool:
    """A workflow's graph (known, unique step names, no cycle, phases naming its steps) is beyond
    a schema. Dropped only when the domain's validation (baton/dag.py) refuses the body too."""
    from baton.dag import parse_workflow
    from baton.errors import Unprocessable

    try:
        parse_workflow(body)
    except Unprocessable:
        return True
    return False


def _job_named(body: dict[str, Any], problem: dict[str, Any]) -> Any:
    """The job body an error is about: the request's own (POST /jobs), a schedule's `job`, or a
    workflow step's `steps.N.job`, as the first error's field says."""
    field = str((problem.get("errors") or [{}])[0].get("field", ""))
    if field.startswith("job."):
        return body.get("job")
    step = re.match(r"steps\.(\d+)\.job\.", field)
    steps = body.get("steps")
    if step and isinstance(steps, list) and int(step.group(1)) < len(steps):
        return steps[int(step.group(1))].get("job") if isinstance(steps[int(step.group(1))], dict) else None
    return body


def _task_rule_broken(code: str, job: Any) -> bool:
    """A job gives exactly one of `command` and `task`, `payload` only with `task` (a oneOf the
    generated clients handle badly, so a domain rule); and a task must be one some worker has
    registered (the fuzzed server registers none)."""
    if not isinstance(job, dict):
        return False
    if code == "UNKNOWN_TASK":
        return isinstance(job.get("task"), str)
    return ("command" in job) == ("task" in job) or ("payload" in job and "task" not in job)


def _is_batch_task_rule(case: Any, problem: dict[str, Any]) -> bool:
    """An atomic batch rejects all its jobs (400) when one breaks the task rules above: dropped
    only when each error names a job that really breaks them (or, in the same batch, a label key
    that breaks the label key rule)."""
    errors = problem.get("errors") or []
    jobs = case.body.get("jobs") if isinstance(case.body, dict) else None
    if problem.get("code") != "VALIDATION_ERROR" or not errors or not isinstance(jobs, list):
        return False
    for error in errors:
        match = re.fullmatch(r"jobs\.(\d+)\.(command|task|payload)", str(error.get("field", "")))
        if match is None and _breaks_label_key_rule(case.body, error):
            continue
        if match is None or int(match.group(1)) >= len(jobs):
            return False
        message = str(error.get("message", ""))
        code = "UNKNOWN_TASK" if message.startswith("Unknown task") else "COMMAND_OR_TASK"
        if not _task_rule_broken(code, jobs[int(match.group(1))]):
            return False
    return True


def _window_refused(code: str, query: dict[str, Any]) -> bool:
    """An analytics window relates two parameters (and the clock, when `to` is left out): `from`
    before `to`, and at most MAX_BUCKETS points of the bucket between them, which no schema can say.
    Checked with the server's rules; a window within a minute of the limit counts as at it, for the
    clock moved between the server's answer and this check."""
    from baton.analytics import BUCKETS, MAX_BUCKETS

    def moment(name: str) -> datetime | None:
        try:
            value = datetime.fromisoformat(str(query[name]).upper().replace("Z", "+00:00"))
        except (KeyError, ValueError):
            return None
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    start, end = moment("from"), moment("to") or datetime.now(UTC)
    if start is None:
        return False
    slack = timedelta(minutes=1)
    if code == "INVALID_TIME_RANGE":
        return start >= end - slack
    width = BUCKETS.get(str(query.get("bucket", "hour")), 3600)
    return (end - start + slack).total_seconds() / width > MAX_BUCKETS


_SCHEDULE_FIELDS = (
    "name", "cron", "interval_seconds", "timezone", "job", "start_at", "end_at", "max_runs",
    "jitter_seconds", "overlap_policy", "misfire_policy", "max_catch_up",
)  # fmt: skip


def _current_schedule(case: Any) -> dict[str, Any]:
    """The schedule a PATCH case names, as the fuzzing admin reads it now ({} if none)."""
    url = os.environ.get("BATON_FUZZ_URL", "").rstrip("/") + case.formatted_path
    token = os.environ.get("BATON_FUZZ_TOKEN", "")
    answer = _probe_session.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    return answer.json() if answer.status_code == 200 else {}


def _schedule_refused(case: Any, code: str) -> bool:
    """A schedule's cron grammar, time zone names, "exactly one of cron and interval_seconds" (and
    of job and template), end_at after start_at and a job template without run_at are beyond a
    schema. Dropped only when Baton's own parsers (baton/triggers.py, baton/schedule_policy.py),
    given the schedule the request would make (a patch applied to the schedule as it is now),
    refuse it with that code."""
    from baton.errors import Unprocessable
    from baton.schedule_policy import parse_policies
    from baton.triggers import parse_trigger

    body = case.body if isinstance(case.body, dict) else {}
    # what to run is one of an inline job and a job template (a oneOf the generated clients
    # handle badly, so a domain rule)
    given = [body.get(name) is not None for name in ("job", "template")]
    if code == "INVALID_SCHEDULE" and (all(given) or (case.method.upper() == "POST" and not any(given))):
        return True
    if case.method.upper() == "PATCH":
        merged = {k: v for k, v in _current_schedule(case).items() if k in _SCHEDULE_FIELDS and v is not None}
        for key, value in body.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        if body.get("cron") is not None:
            merged.pop("interval_seconds", None)
        if body.get("interval_seconds") is not None:
            merged.pop("cron", None)
        body = merged
    try:
        parse_trigger(body, created_at=datetime.now(UTC))
        parse_policies(body)
    except Unprocessable as exc:
        return exc.code == code
    job = body.get("job")
    return code == "INVALID_SCHEDULE" and isinstance(job, dict) and job.get("run_at") is not None


def _url_refused(url: Any) -> bool:
    """A webhook URL is checked by the SSRF guard (baton/netguard.py), whose rules (public
    addresses, valid host names, ports) are beyond a schema. Dropped only when the guard, asked here
    with the fuzzed server's policy (the default: https, public addresses), refuses it too."""
    from baton.netguard import TargetPolicy, UnsafeTarget, check_url

    try:
        check_url(url, TargetPolicy())
    except UnsafeTarget:
        return True
    return False


def _is_event_stream_as_text(case: Any, response: Any) -> bool:
    """Schemathesis 4.3x checks each Server-Sent Event against the response schema (ST108). The
    spec documents the stream as one string (`text/event-stream`, `type: string`): an OpenAPI 3.0
    per-event object schema there makes openapi-python-client parse the whole stream as one JSON
    object. The events themselves are checked in tests/test_events.py (each `data` an Event)."""
    content = response.headers.get("content-type", [""])[0]
    return case.path == "/api/v1/events/stream" and content.startswith("text/event-stream")


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    """Return False to drop a failure. Only ST202 (a schema-valid request answered 400, 412 or
    422) for the six reasons above, and ST108 of the event stream (above), are ever dropped."""
    if getattr(failure, "code", None) == "ST108" and _is_event_stream_as_text(case, response):
        _log_dropped("SSE events of the stream documented as text", case, {})
        return False
    if getattr(failure, "code", None) != "ST202" or response.status_code not in {400, 412, 422}:
        return True
    problem = _problem(response)
    reasons = (
        ("made-up cursor", lambda: _is_made_up_cursor(case, problem)),
        ("label key rule", lambda: _is_label_key_rule(case, problem)),
        ("made-up ETag in If-Match", lambda: _is_made_up_etag(case, response, problem)),
        ("Idempotency-Key reused", lambda: _is_reused_idempotency_key(case, response, problem)),
        ("a rule of the moment", lambda: _is_rule_of_the_moment(case, problem)),
        ("command or task in a batch", lambda: _is_batch_task_rule(case, problem)),
    )
    for reason, accepted in reasons:
        if accepted():
            _log_dropped(reason, case, problem)
            return False
    return True


# -- long polls and streams ---------------------------------------------------------------------
# A claim waits up to `wait_seconds` (≤ 60) when no job is due, and a fuzzed worker never has one:
# hundreds of generated claims would each hold the run for up to a minute; the event list's long
# poll likewise. The event stream stays open until asked to end: every fuzzed stream asks to end
# after a second. The waits and the stream are tested in tests/test_workers.py and
# tests/test_events.py.


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: Any) -> None:
    operation = context.operation.definition.raw.get("operationId")
    if operation == "claim_jobs":
        body = case.body
        if isinstance(body, dict) and type(body.get("wait_seconds")) is int and body["wait_seconds"] > 0:
            case.body = {**body, "wait_seconds": 0}
    elif operation == "list_events":
        query = case.query or {}
        # an int, or (in the coverage phase) the text of one
        if str(query.get("wait_seconds", "")).isdigit() and int(query["wait_seconds"]) > 0:
            case.query = {**query, "wait_seconds": 0}
    elif operation == "stream_events":
        case.query = {**(case.query or {}), "max_seconds": 1}
