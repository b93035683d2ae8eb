from __future__ import annotations

from typing import Any

from baton.conditional import created, representation
from baton.context import principal_of, services
from baton.errors import Forbidden
from baton.models import TemplateRecord
from baton.templates import TemplateService
from baton.timeutil import isoformat
from baton.validation import validate_body
from baton.views import job_view, page_view
from baton.workflow_views import workflow_detail_view

__all__ = ["create_template", "get_template", "list_templates", "run_template", "update_template"]


def _templates() -> TemplateService:
    return services().templates


def template_view(record: TemplateRecord) -> dict[str, Any]:
    definition = record.definition
    kind = "workflow" if "workflow" in definition else "job"
    return {
        "id": record.id,
        "name": record.name,
        "description": definition.get("description", ""),
        "visibility": record.visibility,
        "owner": record.owner,
        "version": record.version,
        "latest_version": record.latest_version,
        "parameters": definition.get("parameters") or {"type": "object", "properties": {}},
        "kind": kind,
        "definition": definition[kind],
        "created_at": isoformat(record.created_at),
        "updated_at": isoformat(record.updated_at),
    }


async def create_template(token_info: dict[str, Any], body: dict[str, Any]):
    record = await _templates().create(principal_of(token_info), body)
    return created(template_view(record), f"/api/v1/templates/{record.id}")


async def list_templates(token_info: dict[str, Any], limit: int = 50, cursor: str | None = None):
    found, next_cursor = await _templates().list(principal_of(token_info), limit=limit, cursor=cursor)
    return representation(page_view([template_view(t) for t in found], limit, next_cursor))


async def get_template(token_info: dict[str, Any], template_id: str, version: int | None = None):
    return representation(
        template_view(await _templates().get(principal_of(token_info), template_id, version))
    )


async def update_template(token_info: dict[str, Any], template_id: str, body: dict[str, Any]):
    return template_view(await _templates().update(principal_of(token_info), template_id, body))


async def run_template(token_info: dict[str, Any], template_id: str, body: dict[str, Any]):
    principal = principal_of(token_info)
    record, kind, rendered = await _templates().render(
        principal, template_id, body.get("parameters", {}), body.get("version")
    )
    # the rendered body goes through what POST /jobs or POST /workflows would check
    code = "INVALID_TEMPLATE_PARAMETERS"
    result: dict[str, Any] = {"kind": kind, "template_version": record.version}
    if kind == "job":
        job = await services().jobs.create(
            principal, validate_body("JobCreate", rendered, code=code, prefix="job.")
        )
        result["job"] = job_view(job)
        location = f"/api/v1/jobs/{job.id}"
    else:
        if "workflows:write" not in principal.scopes:
            raise Forbidden("Running a workflow template needs the scope workflows:write")
        checked = validate_body("WorkflowCreate", rendered, code=code, prefix="workflow.")
        workflow, _ = await services().workflows.create(principal, checked)
        result["workflow"] = workflow_detail_view(*(await services().workflows.show(principal, workflow.id)))
        location = f"/api/v1/workflows/{workflow.id}"
    return result, 201, {"Location": location}
