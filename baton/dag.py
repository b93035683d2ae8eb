"""Workflows: named steps, each a job, that run once the steps they depend on have finished.

Shape: ``{name, steps: [{name, job: {…as POST /jobs…}, depends_on: [names], on_failure}],
phases?: [{name, steps: [names]}]}``. Validation (422 INVALID_WORKFLOW, every error naming the
offending step): unique step names, known dependencies, no step depending on itself, no cycle
(the steps on it are named in order), at most MAX_STEPS steps and MAX_DEPENDENCIES dependencies a
step. Phases are named groups of steps for progress reports: each phase step must exist, and a
step is in at most one phase (steps outside every phase are allowed).

Step statuses are the job statuses, including the new ``waiting`` (created, waiting on its
dependencies), plus ``upstream_failed``: a job cancelled because a dependency did not succeed.
Storage keeps such a job `cancelled`; the service tells it apart from a user's cancel and passes
it to these functions as ``upstream_failed``.

What runs when, the workflow's status and its retries: baton/workflow_state.py."""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from baton.errors import Unprocessable

__all__ = [
    "FINISHED",
    "INVALID_WORKFLOW",
    "MAX_DEPENDENCIES",
    "MAX_PHASES",
    "MAX_STEPS",
    "OnFailure",
    "Phase",
    "Step",
    "StepAction",
    "StepStatus",
    "Workflow",
    "parse_workflow",
]

INVALID_WORKFLOW = "INVALID_WORKFLOW"
MAX_STEPS = 1000
MAX_DEPENDENCIES = 100
MAX_PHASES = 100
MAX_ERRORS = 50
MAX_CYCLES_REPORTED = 10
STEP_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


class OnFailure(StrEnum):
    FAIL = "fail"
    CONTINUE = "continue"
    ALWAYS = "always"


class StepStatus(StrEnum):
    WAITING = "waiting"
    SCHEDULED = "scheduled"
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed_out"
    UPSTREAM_FAILED = "upstream_failed"


FINISHED = frozenset(
    {
        StepStatus.COMPLETED,
        StepStatus.FAILED,
        StepStatus.CANCELLED,
        StepStatus.TIMED_OUT,
        StepStatus.UPSTREAM_FAILED,
    }
)


class StepAction(StrEnum):
    WAIT = "wait"
    RELEASE = "release"  # the step's job becomes pending
    CANCEL = "cancel_upstream_failed"


@dataclass(frozen=True)
class Step:
    name: str
    job: Mapping[str, Any]
    depends_on: tuple[str, ...] = ()
    on_failure: OnFailure = OnFailure.FAIL


@dataclass(frozen=True)
class Phase:
    name: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Workflow:
    name: str
    steps: Mapping[str, Step]  # in the order given
    order: tuple[str, ...]  # topological: every step after the steps it depends on
    phases: tuple[Phase, ...] = ()
    dependents: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def downstream(self, names: Iterable[str]) -> set[str]:
        """Every step that depends, directly or not, on one of `names` (those excluded)."""
        found: set[str] = set()
        stack = list(names)
        while stack:
            for child in self.dependents.get(stack.pop(), ()):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return found


def parse_workflow(body: Mapping[str, Any]) -> Workflow:
    """A validated workflow, or a 422 INVALID_WORKFLOW listing what is wrong with which step."""
    errors = _Errors()
    name = body.get("name") if isinstance(body, Mapping) else None
    raw_steps = body.get("steps") if isinstance(body, Mapping) else None
    if not isinstance(name, str) or not name:
        errors.add("name", "a workflow needs a name")
    if not isinstance(raw_steps, list) or not raw_steps:
        errors.add("steps", "a workflow needs a list of at least one step")
        errors.raise_if_any()
    if len(raw_steps) > MAX_STEPS:
        errors.add("steps", f"at most {MAX_STEPS} steps, not {len(raw_steps)}")
        errors.raise_if_any()
    steps: dict[str, Step] = {}
    index_of: dict[str, int] = {}
    for index, raw in enumerate(raw_steps):
        step = _parse_step(raw, f"steps.{index}", errors)
        if step is None:
            continue
        if step.name in steps:
            errors.add(
                f"steps.{index}.name", f"duplicate step name {step.name!r} (also steps.{index_of[step.name]})"
            )
            continue
        steps[step.name] = step
        index_of[step.name] = index
    for step in steps.values():
        for position, dependency in enumerate(step.depends_on):
            where = f"steps.{index_of[step.name]}.depends_on.{position}"
            if dependency == step.name:
                errors.add(where, f"step {step.name!r} depends on itself")
            elif dependency not in steps:
                errors.add(where, f"step {step.name!r} depends on unknown step {dependency!r}")
    order, dependents, cycles = _order(steps, index_of)
    for cycle in cycles:
        path = " -> ".join([*cycle, cycle[0]])
        errors.add(
            f"steps.{index_of[cycle[0]]}.depends_on", f"dependency cycle (each depends on the next): {path}"
        )
    phases = _parse_phases(body.get("phases"), steps, errors)
    errors.raise_if_any()
    return Workflow(name=name, steps=steps, order=tuple(order), phases=phases, dependents=dependents)


def _parse_step(raw: Any, where: str, errors: _Errors) -> Step | None:
    if not isinstance(raw, Mapping):
        errors.add(where, "a step is an object with name, job, depends_on and on_failure")
        return None
    name = raw.get("name")
    if not isinstance(name, str) or not STEP_NAME.fullmatch(name):
        errors.add(
            f"{where}.name", "a step name is 1-100 letters, digits, _ . - (starting with a letter or digit)"
        )
        return None
    if not isinstance(raw.get("job"), Mapping):
        errors.add(f"{where}.job", f"step {name!r} needs a job object")
    depends_on = raw.get("depends_on") or []
    if not isinstance(depends_on, list) or not all(isinstance(item, str) for item in depends_on):
        errors.add(f"{where}.depends_on", f"step {name!r}: depends_on is a list of step names")
        depends_on = []
    if len(depends_on) > MAX_DEPENDENCIES:
        errors.add(
            f"{where}.depends_on",
            f"step {name!r} has {len(depends_on)} dependencies; at most {MAX_DEPENDENCIES}",
        )
    if len(set(depends_on)) != len(depends_on):
        errors.add(f"{where}.depends_on", f"step {name!r} lists a dependency twice")
    try:
        on_failure = OnFailure(raw.get("on_failure") or OnFailure.FAIL)
    except ValueError:
        errors.add(f"{where}.on_failure", f"step {name!r}: on_failure is one of fail, continue, always")
        on_failure = OnFailure.FAIL
    return Step(
        name=name,
        job=raw.get("job") or {},
        depends_on=tuple(dict.fromkeys(depends_on)),
        on_failure=on_failure,
    )


def _order(
    steps: Mapping[str, Step], index_of: Mapping[str, int]
) -> tuple[list[str], dict[str, tuple[str, ...]], list[list[str]]]:
    """Kahn's algorithm over known, non-self edges; ties in the order given. Returns the order,
    each step's dependents, and the cycles among the steps it could not place."""
    dependents: dict[str, list[str]] = {name: [] for name in steps}
    missing: dict[str, int] = {}
    for step in steps.values():
        known = [d for d in step.depends_on if d in steps and d != step.name]
        missing[step.name] = len(known)
        for dependency in known:
            dependents[dependency].append(step.name)
    ready = [(index_of[name], name) for name, count in missing.items() if count == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, name = heapq.heappop(ready)
        order.append(name)
        for child in dependents[name]:
            missing[child] -= 1
            if missing[child] == 0:
                heapq.heappush(ready, (index_of[child], child))
    stuck = [name for name in steps if missing[name] > 0]
    frozen = {name: tuple(children) for name, children in dependents.items()}
    return order, frozen, _cycles(steps, stuck, set(stuck), index_of)


def _cycles(
    steps: Mapping[str, Step], stuck: Sequence[str], unplaced: set[str], index_of: Mapping[str, int]
) -> list[list[str]]:
    """Every unplaced step depends on an unplaced step, so following dependencies from one must
    come round: the loop it enters is a cycle. Iterative (a 1000-step chain needs no recursion)."""
    cycles: list[list[str]] = []
    seen: set[str] = set()
    for start in stuck:
        if start in seen or len(cycles) >= MAX_CYCLES_REPORTED:
            continue
        path: list[str] = []
        on_path: dict[str, int] = {}
        node = start
        while node not in seen:
            seen.add(node)
            on_path[node] = len(path)
            path.append(node)
            node = next(d for d in steps[node].depends_on if d in unplaced and d != node)
        if node in on_path:  # came round within this walk: a new cycle
            cycle = path[on_path[node] :]
            first = min(range(len(cycle)), key=lambda i: index_of[cycle[i]])
            cycles.append(cycle[first:] + cycle[:first])
    return cycles


def _parse_phases(raw: Any, steps: Mapping[str, Step], errors: _Errors) -> tuple[Phase, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or len(raw) > MAX_PHASES:
        errors.add("phases", f"phases is a list of at most {MAX_PHASES} {{name, steps}} objects")
        return ()
    phases: list[Phase] = []
    phase_of: dict[str, str] = {}
    names: set[str] = set()
    for index, item in enumerate(raw):
        where = f"phases.{index}"
        name = item.get("name") if isinstance(item, Mapping) else None
        members = item.get("steps") if isinstance(item, Mapping) else None
        if not isinstance(name, str) or not name or not isinstance(members, list):
            errors.add(where, "a phase is an object with a name and a list of steps")
            continue
        if name in names:
            errors.add(f"{where}.name", f"duplicate phase name {name!r}")
        names.add(name)
        for position, member in enumerate(members):
            if not isinstance(member, str) or member not in steps:
                errors.add(f"{where}.steps.{position}", f"phase {name!r} names unknown step {member!r}")
            elif member in phase_of:
                errors.add(
                    f"{where}.steps.{position}", f"step {member!r} is already in phase {phase_of[member]!r}"
                )
            else:
                phase_of[member] = name
        phases.append(Phase(name=name, steps=tuple(m for m in members if isinstance(m, str))))
    return tuple(phases)


class _Errors:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, where: str, message: str) -> None:
        self.items.append({"field": where, "message": message})

    def raise_if_any(self) -> None:
        if self.items:
            first = self.items[0]["message"]
            more = f" (and {len(self.items) - 1} more)" if len(self.items) > 1 else ""
            raise Unprocessable(
                # the literal, as everywhere: the error-code dictionary's check greps `code="`
                f"Invalid workflow: {first}{more}",
                code="INVALID_WORKFLOW",
                errors=self.items[:MAX_ERRORS],
            )
