from __future__ import annotations

from typing import Any

from baton.conditional import created, if_match, representation, with_etag
from baton.context import audit, principal_of, services
from baton.schedules import ScheduleService
from baton.timeutil import isoformat
from baton.views import job_view, page_view, schedule_view

__all__ = [
    "create_schedule",
    "delete_schedule",
    "get_schedule",
    "list_schedules",
    "pause_schedule",
    "preview_schedule",
    "resume_schedule",
    "trigger_schedule",
    "update_schedule",
]


def _schedules() -> ScheduleService:
    return services().schedules


async def list_schedules(token_info: dict[str, Any], limit: int = 50, cursor: str | None = None):
    found, next_cursor = await _schedules().list(principal_of(token_info), limit=limit, cursor=cursor)
    return representation(page_view([schedule_view(s) for s in found], limit, next_cursor))


async def create_schedule(token_info: dict[str, Any], body: dict[str, Any]):
    schedule = await _schedules().create(principal_of(token_info), body)
    return created(schedule_view(schedule), f"/api/v1/schedules/{schedule.id}")


async def get_schedule(token_info: dict[str, Any], schedule_id: str):
    return representation(schedule_view(await _schedules().get(principal_of(token_info), schedule_id)))


async def update_schedule(token_info: dict[str, Any], schedule_id: str, body: dict[str, Any]):
    schedule = await _schedules().update(principal_of(token_info), schedule_id, body, if_match(schedule_view))
    return with_etag(schedule_view(schedule))


async def delete_schedule(token_info: dict[str, Any], schedule_id: str):
    await _schedules().delete(principal_of(token_info), schedule_id, if_match(schedule_view))
    await audit("schedule.delete", token_info, ("schedule", schedule_id.lower()))
    return None, 204


async def preview_schedule(token_info: dict[str, Any], schedule_id: str, count: int = 10):
    schedule, times = await _schedules().preview(principal_of(token_info), schedule_id, count)
    fire_times = [{"at": isoformat(t["at"]), "run_at": isoformat(t["run_at"])} for t in times]
    return representation(
        {"schedule_id": schedule.id, "timezone": schedule.timezone, "fire_times": fire_times}
    )


async def trigger_schedule(token_info: dict[str, Any], schedule_id: str):
    job = await _schedules().trigger(principal_of(token_info), schedule_id)
    return created(job_view(job), f"/api/v1/jobs/{job.id}")


async def pause_schedule(token_info: dict[str, Any], schedule_id: str):
    return with_etag(schedule_view(await _schedules().pause(principal_of(token_info), schedule_id)))


async def resume_schedule(token_info: dict[str, Any], schedule_id: str):
    return with_etag(schedule_view(await _schedules().resume(principal_of(token_info), schedule_id)))
