"""A running workflow's rules, as pure functions of its steps' statuses (see baton/dag.py).

When a dependency finishes, a waiting step's `on_failure` decides (`decide`):
  * fail (default) — release once every dependency completed; as soon as one failed, timed out,
    was cancelled or upstream-failed, cancel this step as upstream-failed (no need to wait).
  * continue       — wait until every dependency finished; release even if some failed or timed
    out; cancel as upstream-failed if one was cancelled or upstream-failed (it never ran).
  * always         — wait until every dependency finished, then release whatever happened
    (cleanup steps), even after a cancel.
`advance` applies this to every waiting step at once, letting cancellations cascade downstream.

Workflow status (`workflow_status`), from its steps:
  1. running    — while any step is waiting, scheduled, pending or running;
  2. completed  — every step completed;
  3. failed     — any step failed or timed out (reported even if the rest was then cancelled);
  4. cancelled  — otherwise: steps were cancelled, by a user or because an upstream was.
A phase has the same status over its own steps, except `pending` while none of them has started.

Retry (`retry_plan`): re-run the steps that failed, timed out or were upstream-failed, and every
step downstream of them that did not complete; completed steps keep their results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from baton.dag import FINISHED, OnFailure, Step, StepAction, StepStatus, Workflow

__all__ = [
    "PhaseProgress",
    "Progress",
    "RetryPlan",
    "WorkflowStatus",
    "advance",
    "decide",
    "progress",
    "retry_plan",
    "workflow_status",
]

_FAILED = frozenset({StepStatus.FAILED, StepStatus.TIMED_OUT})
_DID_NOT_RUN = frozenset({StepStatus.CANCELLED, StepStatus.UPSTREAM_FAILED})
_NOT_STARTED = frozenset({StepStatus.WAITING, StepStatus.SCHEDULED, StepStatus.PENDING})


class WorkflowStatus(StrEnum):
    PENDING = "pending"  # only for phases: none of its steps has started
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


def decide(step: Step, upstream: Mapping[str, str]) -> StepAction:
    """What a waiting step does, given its dependencies' statuses (a dependency missing from
    `upstream` counts as not finished)."""
    statuses = [upstream.get(name, StepStatus.WAITING) for name in step.depends_on]
    if all(status == StepStatus.COMPLETED for status in statuses):
        return StepAction.RELEASE
    if step.on_failure is OnFailure.FAIL:
        if any(status in _FAILED or status in _DID_NOT_RUN for status in statuses):
            return StepAction.CANCEL
        return StepAction.WAIT
    if not all(status in FINISHED for status in statuses):
        return StepAction.WAIT
    if step.on_failure is OnFailure.CONTINUE and any(status in _DID_NOT_RUN for status in statuses):
        return StepAction.CANCEL
    return StepAction.RELEASE


def advance(workflow: Workflow, statuses: Mapping[str, str]) -> dict[str, StepAction]:
    """For every waiting step whose turn came: release or cancel (steps that still wait are left
    out). A cancel counts as upstream-failed for the steps after it, in the same pass."""
    now = dict(statuses)
    actions: dict[str, StepAction] = {}
    for name in workflow.order:
        if now.get(name) != StepStatus.WAITING:
            continue
        action = decide(workflow.steps[name], now)
        if action is StepAction.CANCEL:
            now[name] = StepStatus.UPSTREAM_FAILED
        if action is not StepAction.WAIT:
            actions[name] = action
    return actions


def workflow_status(statuses: Mapping[str, str]) -> WorkflowStatus:
    """The status of a workflow (or any group of steps) from its steps' statuses."""
    values = list(statuses.values())
    if any(status not in FINISHED for status in values):
        return WorkflowStatus.RUNNING
    if all(status == StepStatus.COMPLETED for status in values):
        return WorkflowStatus.COMPLETED
    if any(status in _FAILED for status in values):
        return WorkflowStatus.FAILED
    return WorkflowStatus.CANCELLED


@dataclass(frozen=True)
class PhaseProgress:
    name: str
    status: WorkflowStatus
    total: int
    completed: int
    failed: int  # failed or timed out
    cancelled: int  # cancelled or upstream-failed
    running: int
    waiting: int  # waiting, scheduled or pending


@dataclass(frozen=True)
class Progress:
    total_steps: int
    completed_steps: int
    total_phases: int
    completed_phases: int
    phases: list[PhaseProgress]


def progress(workflow: Workflow, statuses: Mapping[str, str]) -> Progress:
    """Step and phase counts, as the run view shows them."""
    phases = [
        _phase_progress(phase.name, [statuses.get(s, "waiting") for s in phase.steps])
        for phase in workflow.phases
    ]
    return Progress(
        total_steps=len(workflow.steps),
        completed_steps=sum(1 for name in workflow.steps if statuses.get(name) == StepStatus.COMPLETED),
        total_phases=len(phases),
        completed_phases=sum(1 for phase in phases if phase.status is WorkflowStatus.COMPLETED),
        phases=phases,
    )


def _phase_progress(name: str, statuses: list[str]) -> PhaseProgress:
    if all(status in _NOT_STARTED for status in statuses):
        status = WorkflowStatus.PENDING  # an empty phase too: nothing of it has run
    else:
        status = workflow_status(dict(enumerate(statuses)))  # type: ignore[arg-type]
    return PhaseProgress(
        name=name,
        status=status,
        total=len(statuses),
        completed=statuses.count(StepStatus.COMPLETED),
        failed=sum(1 for s in statuses if s in _FAILED),
        cancelled=sum(1 for s in statuses if s in _DID_NOT_RUN),
        running=statuses.count(StepStatus.RUNNING),
        waiting=sum(1 for s in statuses if s in _NOT_STARTED),
    )


@dataclass(frozen=True)
class RetryPlan:
    steps: tuple[str, ...]  # to re-run, in topological order; each goes back to waiting
    actions: dict[str, StepAction]  # of those, which to release (or cancel) right away


def retry_plan(workflow: Workflow, statuses: Mapping[str, str]) -> RetryPlan:
    """Which steps `POST …/retry` re-runs (see the module docstring); nothing while the workflow
    still runs. The rest of the re-run steps wait until their dependencies finish again."""
    if (
        workflow_status({name: statuses.get(name, "waiting") for name in workflow.steps})
        is WorkflowStatus.RUNNING
    ):
        return RetryPlan(steps=(), actions={})
    seeds = {name for name in workflow.steps if statuses.get(name) in _FAILED | {StepStatus.UPSTREAM_FAILED}}
    again = seeds | {
        name for name in workflow.downstream(seeds) if statuses.get(name) != StepStatus.COMPLETED
    }
    steps = tuple(name for name in workflow.order if name in again)
    after = {**statuses, **dict.fromkeys(steps, StepStatus.WAITING)}
    return RetryPlan(steps=steps, actions=advance(workflow, after))
