"""Schedules: a job template (a POST /jobs body) and a trigger (cron in a time zone, or a fixed
interval, within start_at/end_at/max_runs, with jitter), with overlap and misfire policies.

Who sees what is as for jobs: a member sees and manages their own schedules, everyone else with
`schedules:read` sees all, and `schedules:write` changes any they see. The jobs a schedule creates
are its owner's. When and how they are created is baton/scheduler.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from baton.backends.storage import StorageBackend
from baton.cron import as_utc
from baton.errors import BatonError, Conflict, NotFound, PreconditionFailed, Unprocessable
from baton.eventtypes import schedule_event
from baton.lifecycle import build_job, check_label_keys
from baton.models import Job, Principal, Schedule
from baton.pagination import newest_first_page, position_of_newest_first
from baton.schedule_policy import parse_policies
from baton.scheduler import Scheduler, naive, trigger_of
from baton.templates import TemplateService
from baton.timeutil import new_id, utcnow
from baton.triggers import INVALID_SCHEDULE, Trigger, parse_trigger
from baton.webhooks import merge_patch

__all__ = ["TRIGGER_FIELDS", "ScheduleService"]

TRIGGER_FIELDS = ("cron", "interval_seconds", "timezone", "start_at", "end_at", "max_runs", "jitter_seconds")
_POLICY_FIELDS = ("overlap_policy", "misfire_policy", "max_catch_up")
_ONE_MICROSECOND = timedelta(microseconds=1)


def _check_job(caller: Principal, job: dict[str, Any], known_tasks: frozenset[str]) -> None:
    if job.get("run_at") is not None:
        message = "a schedule decides when its jobs run: leave run_at out"
        raise Unprocessable(
            f"Invalid job.run_at: {message}",
            code=INVALID_SCHEDULE,
            errors=[{"field": "job.run_at", "message": message}],
        )
    check_label_keys(job.get("labels") or {}, "job.labels")
    # the rules a submit applies beyond the schema (a command or a registered task, …), now
    # rather than at each fire time, where a refusal could only skip the run
    try:
        build_job(caller, job, utcnow(), None, known_tasks)
    except BatonError as exc:
        exc.errors = [{**error, "field": f"job.{error['field']}"} for error in exc.errors or []]
        raise


def _fields(schedule: Schedule) -> dict[str, Any]:
    """The schedule as a body: what a merge patch applies to."""
    return {
        "name": schedule.name,
        "job": schedule.job,
        "labels": schedule.labels,
        **{name: getattr(schedule, name) for name in TRIGGER_FIELDS + _POLICY_FIELDS},
    }


def _timing(trigger: Trigger, now: datetime, run_count: int) -> dict[str, Any]:
    """Where a new schedule counts from: now, or a start_at in the past (then the fire times
    since start_at are missed ones, which the misfire policy decides about)."""
    start = as_utc(now)
    if trigger.start_at is not None and trigger.start_at < start:
        start = trigger.start_at - _ONE_MICROSECOND
    return {
        "anchor": naive(trigger.anchor),
        "processed_until": naive(start),
        "next_run_at": naive(trigger.next_fire(start, runs_so_far=run_count)),
    }


class ScheduleService:
    def __init__(
        self,
        storage: StorageBackend,
        scheduler: Scheduler,
        templates: TemplateService | None = None,
        check_rendered: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> None:
        self.storage = storage
        self.scheduler = scheduler
        self.templates = templates
        # a template's rendered job checked against the spec's JobCreate, defaults filled in (the
        # app passes the spec's validator; 422 INVALID_TEMPLATE_PARAMETERS naming each error)
        self.check_rendered = check_rendered

    async def _job_of(
        self, caller: Principal, body: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """The job a schedule fires, and the template version it was made from (None for an
        inline job). A version never changes, so it is rendered once, here, not at each fire."""
        reference = body.get("template")
        if (body.get("job") is None) == (reference is None):
            message = "give exactly one of job and template"
            raise Unprocessable(
                "A schedule fires either an inline `job` or a job `template`, not both and not neither",
                code=INVALID_SCHEDULE,
                errors=[{"field": "job", "message": message}],
            )
        if reference is None:
            return body["job"], None
        if self.templates is None or self.check_rendered is None:
            raise Unprocessable("This server has no templates", code=INVALID_SCHEDULE)
        values = reference.get("parameters") or {}
        version = reference.get("version")
        record, kind, rendered = await self.templates.render(caller, reference["id"], values, version)
        if kind != "job":
            message = "a schedule fires jobs; this template makes a workflow"
            raise Unprocessable(
                f"Invalid template: {message}",
                code=INVALID_SCHEDULE,
                errors=[{"field": "template.id", "message": message}],
            )
        job = self.check_rendered(rendered)
        return job, {"id": record.id, "version": record.version, "parameters": values}

    async def _known_tasks(self, job: dict[str, Any]) -> frozenset[str]:
        return await self.scheduler.jobs.known_tasks() if job.get("task") is not None else frozenset()

    async def create(self, caller: Principal, body: dict[str, Any]) -> Schedule:
        now = utcnow()
        trigger = parse_trigger(body, created_at=now)
        policies = parse_policies(body)
        job, template = await self._job_of(caller, body)
        _check_job(caller, job, await self._known_tasks(job))
        check_label_keys(body.get("labels") or {})
        schedule = Schedule(
            id=new_id(),
            owner_id=caller.user_id,
            owner=caller.username,
            name=body["name"],
            cron=body.get("cron"),
            interval_seconds=body.get("interval_seconds"),
            timezone=trigger.timezone,
            job=job,
            template=template,
            overlap_policy=policies.overlap.value,
            misfire_policy=policies.misfire.value,
            max_catch_up=policies.max_catch_up,
            start_at=naive(trigger.start_at),
            end_at=naive(trigger.end_at),
            max_runs=trigger.max_runs,
            jitter_seconds=trigger.jitter_seconds,
            paused=body["paused"],
            labels=body.get("labels") or {},
            queued_fire_at=None,
            run_count=0,
            skipped_count=0,
            last_run_at=None,
            last_job_id=None,
            created_at=now,
            updated_at=now,
            **_timing(trigger, now, 0),
        )
        created = await self.storage.insert_schedule(
            schedule, schedule_event(schedule, "schedule.created", now)
        )
        self.scheduler.wake()
        return created

    async def list(
        self, caller: Principal, *, limit: int, cursor: str | None
    ) -> tuple[list[Schedule], str | None]:
        owner = None if caller.sees_all_jobs else caller.user_id
        found = await self.storage.list_schedules(owner, limit + 1, position_of_newest_first(cursor))
        return newest_first_page(found, limit)

    async def get(self, caller: Principal, schedule_id: str) -> Schedule:
        schedule = await self.storage.get_schedule(schedule_id.lower())
        # another owner's schedule does not exist for a member, as their jobs do not
        if schedule is None or not (caller.sees_all_jobs or schedule.owner_id == caller.user_id):
            raise NotFound(f"No schedule {schedule_id}", code="SCHEDULE_NOT_FOUND")
        return schedule

    async def update(
        self,
        caller: Principal,
        schedule_id: str,
        patch: dict[str, Any],
        precondition: Callable[[Schedule], bool] | None,
    ) -> Schedule:
        """A merge patch; a changed trigger counts again from now (its past is not caught up)."""
        schedule = self._require(await self.get(caller, schedule_id), precondition)
        body = merge_patch(
            _fields(schedule), {k: v for k, v in patch.items() if k not in ("job", "template", "labels")}
        )
        if "job" in patch or "template" in patch:
            body["job"], template = await self._job_of(
                caller, {"job": patch.get("job"), "template": patch.get("template")}
            )
        else:
            template = schedule.template
        if "labels" in patch:
            body["labels"] = merge_patch(schedule.labels, patch["labels"] or {}) if patch["labels"] else {}
        if "cron" in patch and patch["cron"] is not None:
            body.pop("interval_seconds", None)  # one replaces the other
        if "interval_seconds" in patch and patch["interval_seconds"] is not None:
            body.pop("cron", None)
        now = utcnow()
        trigger = parse_trigger(body, created_at=now)
        policies = parse_policies(body)
        # a task of the saved template counts as known: a patch of the name alone still works
        # while no worker has it
        changed = "job" in patch or "template" in patch
        known = await self._known_tasks(body["job"]) if changed else {body["job"].get("task")} - {None}
        _check_job(caller, body["job"], frozenset(known))
        check_label_keys(body["labels"])
        changes: dict[str, Any] = {
            "name": body["name"],
            "job": body["job"],
            "template": template,
            "labels": body["labels"],
            "overlap_policy": policies.overlap.value,
            "misfire_policy": policies.misfire.value,
            "max_catch_up": policies.max_catch_up,
            "updated_at": now,
        }
        timing = {
            "cron": body.get("cron"),
            "interval_seconds": body.get("interval_seconds"),
            "timezone": trigger.timezone,
            "start_at": naive(trigger.start_at),
            "end_at": naive(trigger.end_at),
            "max_runs": trigger.max_runs,
            "jitter_seconds": trigger.jitter_seconds,
        }
        if any(value != getattr(schedule, name) for name, value in timing.items()):
            # from the change on: a start_at now in the past catches nothing up here
            start = max(now, schedule.processed_until)
            changes.update(
                timing,
                anchor=naive(trigger.anchor),
                processed_until=start,
                next_run_at=naive(trigger.next_fire(start, runs_so_far=schedule.run_count)),
            )
        return await self._write(schedule, changes, "schedule.updated")

    async def delete(
        self, caller: Principal, schedule_id: str, precondition: Callable[[Schedule], bool] | None
    ) -> None:
        schedule = self._require(await self.get(caller, schedule_id), precondition)
        event = schedule_event(schedule, "schedule.deleted", utcnow())
        if not await self.storage.delete_schedule(schedule.id, event, updated_at_was=schedule.updated_at):
            raise Conflict(
                "The schedule changed while it was being deleted; try again", code="CONCURRENT_UPDATE"
            )

    async def pause(self, caller: Principal, schedule_id: str) -> Schedule:
        schedule = await self.get(caller, schedule_id)
        if schedule.paused:
            return schedule
        return await self._write(schedule, {"paused": True, "updated_at": utcnow()}, "schedule.paused")

    async def resume(self, caller: Principal, schedule_id: str) -> Schedule:
        """From now on: the fire times that passed while paused are not caught up."""
        schedule = await self.get(caller, schedule_id)
        if not schedule.paused:
            return schedule
        now = utcnow()
        start = max(now, schedule.processed_until)
        next_run = trigger_of(schedule).next_fire(start, runs_so_far=schedule.run_count)
        changes = {
            "paused": False,
            "processed_until": start,
            "next_run_at": naive(next_run),
            "updated_at": now,
        }
        resumed = await self._write(schedule, changes, "schedule.resumed")
        self.scheduler.wake()
        return resumed

    async def preview(
        self, caller: Principal, schedule_id: str, count: int
    ) -> tuple[Schedule, list[dict[str, Any]]]:
        """The next `count` fire times from now: (nominal time, when its run starts with jitter)."""
        schedule = await self.get(caller, schedule_id)
        trigger = trigger_of(schedule)
        after = max(utcnow(), schedule.processed_until)
        times = trigger.preview(count, after, runs_so_far=schedule.run_count)
        return schedule, [{"at": at, "run_at": trigger.run_at(schedule.id, at)} for at in times]

    async def trigger(self, caller: Principal, schedule_id: str) -> Job:
        return await self.scheduler.run_now(await self.get(caller, schedule_id))

    # -- helpers ------------------------------------------------------------------------------

    @staticmethod
    def _require(schedule: Schedule, precondition: Callable[[Schedule], bool] | None) -> Schedule:
        if precondition is not None and not precondition(schedule):
            raise PreconditionFailed("The schedule changed: its ETag does not match If-Match; fetch it again")
        return schedule

    async def _write(self, schedule: Schedule, changes: dict[str, Any], event_type: str) -> Schedule:
        at = changes["updated_at"]
        updated = await self.storage.update_schedule(
            schedule.id,
            changes,
            updated_at_was=schedule.updated_at,
            event=lambda fresh: schedule_event(fresh, event_type, at),
        )
        if updated is None:
            raise Conflict(
                "The schedule changed while it was being updated; try again", code="CONCURRENT_UPDATE"
            )
        self.scheduler.wake()
        return updated
