from __future__ import annotations

from typing import Any

from baton.conditional import created, representation
from baton.context import principal_of, services
from baton.views import page_view
from baton.workflow_views import workflow_detail_view, workflow_view
from baton.workflows import WorkflowService

__all__ = ["cancel_workflow", "create_workflow", "get_workflow", "list_workflows", "retry_workflow"]


def _workflows() -> WorkflowService:
    return services().workflows


async def create_workflow(token_info: dict[str, Any], body: dict[str, Any]):
    principal = principal_of(token_info)
    record, _ = await _workflows().create(principal, body)
    view = workflow_detail_view(*(await _workflows().show(principal, record.id)))
    return created(view, f"/api/v1/workflows/{record.id}")


async def list_workflows(
    token_info: dict[str, Any],
    limit: int = 50,
    cursor: str | None = None,
    status: list[str] | None = None,
    label: list[str] | None = None,
    created_after: str | None = None,
    created_before: str | None = None,
):
    found, next_cursor = await _workflows().list(
        principal_of(token_info),
        limit=limit,
        cursor=cursor,
        status=status,
        label=label,
        created_after=created_after,
        created_before=created_before,
    )
    return representation(page_view([workflow_view(w) for w in found], limit, next_cursor))


async def get_workflow(token_info: dict[str, Any], workflow_id: str):
    return representation(
        workflow_detail_view(*(await _workflows().show(principal_of(token_info), workflow_id)))
    )


async def cancel_workflow(token_info: dict[str, Any], workflow_id: str):
    principal = principal_of(token_info)
    record = await _workflows().cancel(principal, workflow_id)
    return workflow_detail_view(*(await _workflows().show(principal, record.id)))


async def retry_workflow(token_info: dict[str, Any], workflow_id: str):
    principal = principal_of(token_info)
    record = await _workflows().retry(principal, workflow_id)
    return workflow_detail_view(*(await _workflows().show(principal, record.id)))
