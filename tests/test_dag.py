"""Workflows: validation, order, on_failure decisions, status, phases, retries, upstream results."""

from __future__ import annotations

import json

import pytest

from baton.dag import MAX_STEPS, StepAction, parse_workflow
from baton.errors import Unprocessable
from baton.upstream import (
    UPSTREAM_RESULTS_LIMIT,
    encode_upstream_results,
    upstream_results,
)
from baton.workflow_state import (
    WorkflowStatus,
    advance,
    decide,
    progress,
    retry_plan,
    workflow_status,
)

JOB = {"command": ["true"]}


def step(name: str, *depends_on: str, on_failure: str | None = None) -> dict:
    body = {"name": name, "job": JOB, "depends_on": list(depends_on)}
    if on_failure:
        body["on_failure"] = on_failure
    return body


def workflow(*steps: dict, phases: list | None = None) -> dict:
    body = {"name": "wf", "steps": list(steps)}
    if phases is not None:
        body["phases"] = phases
    return body


def errors_of(body: dict) -> list[dict[str, str]]:
    with pytest.raises(Unprocessable) as caught:
        parse_workflow(body)
    assert caught.value.code == "INVALID_WORKFLOW"
    assert caught.value.status == 422
    return caught.value.errors


# -- validation -----------------------------------------------------------------------------


def test_a_valid_workflow_is_ordered() -> None:
    wf = parse_workflow(workflow(step("report", "load"), step("extract"), step("load", "extract")))
    assert wf.order == ("extract", "load", "report")
    assert wf.steps["report"].on_failure == "fail"
    assert wf.downstream(["extract"]) == {"load", "report"}


def test_ties_keep_the_order_given() -> None:
    wf = parse_workflow(workflow(step("c"), step("b"), step("a"), step("z", "a", "c")))
    assert wf.order == ("c", "b", "a", "z")


def test_duplicate_names_are_named() -> None:
    errors = errors_of(workflow(step("a"), step("b"), step("a")))
    assert errors == [{"field": "steps.2.name", "message": "duplicate step name 'a' (also steps.0)"}]


def test_unknown_and_self_dependencies_are_named() -> None:
    errors = errors_of(workflow(step("a", "ghost"), step("b", "b")))
    assert {e["field"]: e["message"] for e in errors} == {
        "steps.0.depends_on.0": "step 'a' depends on unknown step 'ghost'",
        "steps.1.depends_on.0": "step 'b' depends on itself",
    }


def test_a_cycle_names_its_steps_in_order() -> None:
    errors = errors_of(
        workflow(step("start"), step("b", "a"), step("a", "c", "start"), step("c", "b"), step("after", "c"))
    )
    assert errors == [
        {
            "field": "steps.1.depends_on",
            "message": "dependency cycle (each depends on the next): b -> a -> c -> b",
        }
    ]


def test_a_cycle_reached_from_outside_starts_at_its_first_declared_step() -> None:
    errors = errors_of(workflow(step("lead", "c"), step("a", "b"), step("b", "c"), step("c", "a")))
    assert [e["message"].split(": ")[1] for e in errors] == ["a -> b -> c -> a"]
    assert errors[0]["field"] == "steps.1.depends_on"


def test_separate_cycles_are_each_reported() -> None:
    errors = errors_of(
        workflow(step("a", "b"), step("b", "a"), step("x", "y"), step("y", "z"), step("z", "x"))
    )
    messages = [e["message"].split(": ")[1] for e in errors]
    assert messages == ["a -> b -> a", "x -> y -> z -> x"]


def test_step_shape_errors() -> None:
    errors = errors_of(
        {
            "name": "wf",
            "steps": [
                {"name": "bad name!", "job": JOB},
                {"name": "nojob"},
                {"name": "x", "job": JOB, "on_failure": "sometimes"},
                {"name": "y", "job": JOB, "depends_on": ["x", "x"]},
                "not a step",
            ],
        }
    )
    assert [e["field"] for e in errors] == [
        "steps.0.name",
        "steps.1.job",
        "steps.2.on_failure",
        "steps.3.depends_on",
        "steps.4",
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "wf", "steps": []}, "steps"),
        ({"name": "", "steps": [step("a")]}, "name"),
        ({"name": "wf", "steps": [step(f"s{i}") for i in range(MAX_STEPS + 1)]}, "steps"),
        (
            {
                "name": "wf",
                "steps": [step(f"s{i}") for i in range(101)] + [step("t", *[f"s{i}" for i in range(101)])],
            },
            "steps.101.depends_on",
        ),
    ],
)
def test_limits(body: dict, field: str) -> None:
    assert errors_of(body)[0]["field"] == field


def test_phase_errors_name_the_steps() -> None:
    errors = errors_of(
        workflow(
            step("a"),
            step("b", "a"),
            phases=[
                {"name": "one", "steps": ["a", "ghost"]},
                {"name": "two", "steps": ["b", "a"]},
                {"name": "one", "steps": []},
            ],
        )
    )
    assert errors == [
        {"field": "phases.0.steps.1", "message": "phase 'one' names unknown step 'ghost'"},
        {"field": "phases.1.steps.1", "message": "step 'a' is already in phase 'one'"},
        {"field": "phases.2.name", "message": "duplicate phase name 'one'"},
    ]


@pytest.mark.timeout(10)  # a guard against a quadratic walk, not a benchmark (it takes ~0.01 s)
def test_a_thousand_steps_wide_and_deep() -> None:
    chain = [step("c0")] + [step(f"c{i}", f"c{i - 1}") for i in range(1, 500)]
    fan_out = [step(f"f{i}", "c499") for i in range(400)]
    fan_in = [step(f"j{k}", *[f"f{i}" for i in range(k * 100, k * 100 + 100)]) for k in range(4)]
    tail = [step(f"t{i}", "j0", "j3", "c250") for i in range(96)]
    steps = list(reversed(chain + fan_out + fan_in + tail))  # declared backwards: ordering has work to do
    assert len(steps) == MAX_STEPS
    wf = parse_workflow(workflow(*steps))
    position = {name: index for index, name in enumerate(wf.order)}
    assert len(position) == MAX_STEPS
    for s in wf.steps.values():
        assert all(position[d] < position[s.name] for d in s.depends_on)
    assert len(wf.downstream(["c0"])) == MAX_STEPS - 1
    # one back edge turns the chain into a 500-step cycle, named whole
    cyclic = [*steps[:-1], step("c0", "c499")]
    [error] = errors_of(workflow(*cyclic))
    assert error["message"].count(" -> ") == 500


# -- decisions ------------------------------------------------------------------------------


WF = parse_workflow(
    workflow(
        step("a"),
        step("b"),
        step("strict", "a", "b"),
        step("lenient", "a", "b", on_failure="continue"),
        step("cleanup", "a", "b", on_failure="always"),
    )
)


@pytest.mark.parametrize(
    ("a", "b", "strict", "lenient", "cleanup"),
    [
        ("completed", "completed", "release", "release", "release"),
        ("completed", "running", "wait", "wait", "wait"),
        ("failed", "running", "cancel_upstream_failed", "wait", "wait"),
        ("failed", "completed", "cancel_upstream_failed", "release", "release"),
        ("timed_out", "completed", "cancel_upstream_failed", "release", "release"),
        ("cancelled", "completed", "cancel_upstream_failed", "cancel_upstream_failed", "release"),
        ("upstream_failed", "completed", "cancel_upstream_failed", "cancel_upstream_failed", "release"),
        ("waiting", "pending", "wait", "wait", "wait"),
    ],
)
def test_on_failure_decisions(a, b, strict, lenient, cleanup) -> None:
    upstream = {"a": a, "b": b}
    assert decide(WF.steps["strict"], upstream) == strict
    assert decide(WF.steps["lenient"], upstream) == lenient
    assert decide(WF.steps["cleanup"], upstream) == cleanup


def test_a_step_without_dependencies_is_released() -> None:
    assert decide(WF.steps["a"], {}) is StepAction.RELEASE


def test_advance_cascades_cancellations() -> None:
    wf = parse_workflow(
        workflow(
            step("a"),
            step("b", "a"),
            step("c", "b"),
            step("d", "c", on_failure="always"),
            step("e", "a", on_failure="continue"),
        )
    )
    statuses = {"a": "failed", "b": "waiting", "c": "waiting", "d": "waiting", "e": "waiting"}
    assert advance(wf, statuses) == {
        "b": StepAction.CANCEL,
        "c": StepAction.CANCEL,
        "d": StepAction.RELEASE,
        "e": StepAction.RELEASE,
    }


# -- status and progress --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ({"a": "completed", "b": "completed"}, "completed"),
        ({"a": "completed", "b": "running"}, "running"),
        ({"a": "failed", "b": "running"}, "running"),
        ({"a": "failed", "b": "waiting"}, "running"),
        ({"a": "failed", "b": "upstream_failed"}, "failed"),
        ({"a": "timed_out", "b": "completed"}, "failed"),
        ({"a": "failed", "b": "cancelled"}, "failed"),
        ({"a": "cancelled", "b": "upstream_failed"}, "cancelled"),
        ({"a": "completed", "b": "cancelled"}, "cancelled"),
    ],
)
def test_workflow_status(statuses: dict, expected: str) -> None:
    assert workflow_status(statuses) == expected


def test_phase_progress() -> None:
    wf = parse_workflow(
        workflow(
            step("plan"),
            step("build", "plan"),
            step("test", "build"),
            step("lint", "build"),
            step("ship", "test", "lint"),
            phases=[
                {"name": "design", "steps": ["plan"]},
                {"name": "build", "steps": ["build", "test", "lint"]},
                {"name": "release", "steps": ["ship"]},
            ],
        )
    )
    statuses = {
        "plan": "completed",
        "build": "completed",
        "test": "running",
        "lint": "failed",
        "ship": "waiting",
    }
    report = progress(wf, statuses)
    assert (report.total_steps, report.completed_steps) == (5, 2)
    assert (report.total_phases, report.completed_phases) == (3, 1)
    design, build, release = report.phases
    assert design.status is WorkflowStatus.COMPLETED
    assert (build.status, build.total, build.completed, build.failed, build.running) == (
        "running",
        3,
        1,
        1,
        1,
    )
    assert (release.status, release.waiting) == ("pending", 1)


# -- retry -----------------------------------------------------------------------------------------


def test_retry_reruns_failures_and_what_they_held_back() -> None:
    wf = parse_workflow(
        workflow(
            step("a"),
            step("b", "a"),
            step("c", "b"),
            step("cleanup", "b", on_failure="always"),
            step("side"),
            step("other", "side"),
        )
    )
    statuses = {
        "a": "completed",
        "b": "failed",
        "c": "upstream_failed",
        "cleanup": "completed",
        "side": "timed_out",
        "other": "cancelled",
    }
    plan = retry_plan(wf, statuses)
    assert plan.steps == ("b", "c", "side", "other")  # cleanup completed: kept
    assert plan.actions == {"b": StepAction.RELEASE, "side": StepAction.RELEASE}


def test_a_cancelled_step_off_the_failure_path_is_not_retried() -> None:
    wf = parse_workflow(workflow(step("a"), step("b")))
    assert retry_plan(wf, {"a": "failed", "b": "cancelled"}).steps == ("a",)


def test_no_retry_while_running() -> None:
    wf = parse_workflow(workflow(step("a"), step("b")))
    assert retry_plan(wf, {"a": "failed", "b": "running"}).steps == ()


# -- upstream results ------------------------------------------------------------------------------


FAN_IN = parse_workflow(
    workflow(step("x"), step("y"), step("z"), step("sink", "x", "y", "z"), step("far", "sink"))
)


def test_upstream_results_are_the_direct_dependencies() -> None:
    results = {"x": {"rows": 3}, "y": "done\n", "far": "not upstream"}
    assert upstream_results(FAN_IN, "sink", results) == {"x": {"rows": 3}, "y": "done\n", "z": None}
    assert upstream_results(FAN_IN, "far", {"sink": [1, 2]}) == {"sink": [1, 2]}
    assert upstream_results(FAN_IN, "x", results) == {}


def test_upstream_results_stay_within_16_kib() -> None:
    huge_log = "".join(f'line {i} ünïcödé "quoted"\n' for i in range(20000))
    results = {"x": {"ok": True}, "y": huge_log, "z": {"rows": list(range(20000))}}
    shaped = upstream_results(FAN_IN, "sink", results)
    encoded = encode_upstream_results(shaped)
    assert len(encoded.encode()) <= UPSTREAM_RESULTS_LIMIT
    assert shaped["x"] == {"ok": True}  # small results arrive whole
    assert shaped["y"].startswith("…") and huge_log.endswith(shaped["y"][1:])  # a tail: newest lines
    assert len(shaped["y"].encode()) > 5000  # and it got most of the room
    assert shaped["z"] == {"truncated": True, "bytes": len(json.dumps(results["z"], separators=(",", ":")))}
    assert json.loads(encoded) == shaped


def test_room_small_results_leave_goes_to_the_large_one() -> None:
    results = {"x": "L" * 50_000, "y": "s" * 4500, "z": "t" * 4500}
    shaped = upstream_results(FAN_IN, "sink", results)
    assert shaped["y"] == results["y"] and shaped["z"] == results["z"]
    size = len(encode_upstream_results(shaped).encode())
    assert UPSTREAM_RESULTS_LIMIT - 16 <= size <= UPSTREAM_RESULTS_LIMIT


def test_upstream_results_encode_safely_for_the_environment() -> None:
    shaped = upstream_results(FAN_IN, "sink", {"x": "a\x00b", "y": float("nan"), "z": b"raw"})
    encoded = encode_upstream_results(shaped)
    assert "\x00" not in encoded
    assert json.loads(encoded) == {"x": "a\x00b", "y": "nan", "z": "b'raw'"}
