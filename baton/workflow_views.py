"""Workflows as the API shows them: the summary of a list, and the graph of one (each step with
its job, status and edges, each phase with its progress), as the `Workflow*` schemas say."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from baton.dag import Workflow
from baton.models import Job, WorkflowRecord
from baton.timeutil import isoformat
from baton.workflow_state import progress
from baton.workflows import step_statuses

__all__ = ["workflow_detail_view", "workflow_view"]


def workflow_view(record: WorkflowRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "name": record.name,
        "status": record.status,
        "owner": record.owner,
        "labels": dict(sorted(record.labels.items())),
        "created_at": isoformat(record.created_at),
        "updated_at": isoformat(record.updated_at),
        "finished_at": isoformat(record.finished_at),
    }


def workflow_detail_view(record: WorkflowRecord, workflow: Workflow, jobs: Sequence[Job]) -> dict[str, Any]:
    by_step = {job.step: job for job in jobs if job.step}
    statuses = step_statuses(workflow, by_step)
    figures = progress(workflow, statuses)
    steps = []
    for name, step in workflow.steps.items():  # in the order given
        job = by_step.get(name)
        steps.append(
            {
                "name": name,
                "job_id": job.id if job else None,
                "status": statuses[name],
                "depends_on": list(step.depends_on),
                "on_failure": step.on_failure.value,
                "started_at": isoformat(job.started_at) if job else None,
                "finished_at": isoformat(job.finished_at) if job else None,
            }
        )
    phases = [
        {
            "name": phase.name,
            "steps": list(source.steps),
            "status": phase.status.value,
            "total": phase.total,
            "completed": phase.completed,
            "failed": phase.failed,
            "cancelled": phase.cancelled,
            "running": phase.running,
            "waiting": phase.waiting,
        }
        for phase, source in zip(figures.phases, workflow.phases, strict=True)
    ]
    return {
        **workflow_view(record),
        "steps": steps,
        "phases": phases,
        "progress": {
            "total_steps": figures.total_steps,
            "completed_steps": figures.completed_steps,
            "total_phases": figures.total_phases,
            "completed_phases": figures.completed_phases,
        },
    }
