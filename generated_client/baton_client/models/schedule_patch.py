from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.misfire_policy import MisfirePolicy
from ..models.overlap_policy import OverlapPolicy
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.job_create import JobCreate
  from ..models.labels_patch_type_0 import LabelsPatchType0
  from ..models.schedule_template import ScheduleTemplate





T = TypeVar("T", bound="SchedulePatch")



@_attrs_define
class SchedulePatch:
    """ A JSON Merge Patch of a schedule; an empty object changes nothing.

        Attributes:
            name (str | Unset):
            cron (None | str | Unset):
            interval_seconds (int | None | Unset):
            timezone (str | Unset):
            job (JobCreate | Unset): A job runs either a `command` (a program, in a subprocess) or a registered Python
                `task`
                with a JSON `payload` (in the worker process): exactly one of `command` and `task`, else
                422 `COMMAND_OR_TASK`. A task no worker has registered is 422 `UNKNOWN_TASK`.
            template (ScheduleTemplate | Unset): A job template (`/api/v1/templates`) the schedule fires, at one version:
                the schedule's
                `job` is what its `parameters` make of it, checked as `POST /api/v1/templates/{id}/run`
                checks them, once, when the schedule is saved (a version never changes). Without
                `version`, the latest when saved. A workflow template is 422 `INVALID_SCHEDULE`.
            overlap_policy (OverlapPolicy | Unset): When a fire time comes while the schedule's previous run is still live
                (scheduled, pending
                or running): `allow` runs anyway, `skip` drops the fire time (`schedule.skipped`), `queue`
                keeps it waiting (at most one: a further one is skipped) and runs it once no run is live,
                `cancel_previous` cancels the live runs and starts the new one.
            misfire_policy (MisfirePolicy | Unset): For fire times missed by more than 60 s (the server was down, or
                `start_at` lies in the
                past): `skip` drops them, `run_once` runs the newest of them once, `run_all` runs the newest
                `max_catch_up` of them, oldest first. Fire times missed while paused are never caught up.
            max_catch_up (int | Unset):
            start_at (datetime.datetime | None | Unset):
            end_at (datetime.datetime | None | Unset):
            max_runs (int | None | Unset):
            jitter_seconds (int | Unset):
            labels (LabelsPatchType0 | None | Unset): Merged into a job's labels: a string adds or replaces a label, `null`
                removes it; `null`
                for the whole object removes every label. Keys follow the rule of `Labels`.
     """

    name: str | Unset = UNSET
    cron: None | str | Unset = UNSET
    interval_seconds: int | None | Unset = UNSET
    timezone: str | Unset = UNSET
    job: JobCreate | Unset = UNSET
    template: ScheduleTemplate | Unset = UNSET
    overlap_policy: OverlapPolicy | Unset = UNSET
    misfire_policy: MisfirePolicy | Unset = UNSET
    max_catch_up: int | Unset = UNSET
    start_at: datetime.datetime | None | Unset = UNSET
    end_at: datetime.datetime | None | Unset = UNSET
    max_runs: int | None | Unset = UNSET
    jitter_seconds: int | Unset = UNSET
    labels: LabelsPatchType0 | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.job_create import JobCreate # noqa: PLC0415
        from ..models.labels_patch_type_0 import LabelsPatchType0 # noqa: PLC0415
        from ..models.schedule_template import ScheduleTemplate # noqa: PLC0415
        name = self.name

        cron: None | str | Unset
        if isinstance(self.cron, Unset):
            cron = UNSET
        else:
            cron = self.cron

        interval_seconds: int | None | Unset
        if isinstance(self.interval_seconds, Unset):
            interval_seconds = UNSET
        else:
            interval_seconds = self.interval_seconds

        timezone = self.timezone

        job: dict[str, Any] | Unset = UNSET
        if not isinstance(self.job, Unset):
            job = self.job.to_dict()

        template: dict[str, Any] | Unset = UNSET
        if not isinstance(self.template, Unset):
            template = self.template.to_dict()

        overlap_policy: str | Unset = UNSET
        if not isinstance(self.overlap_policy, Unset):
            overlap_policy = self.overlap_policy.value


        misfire_policy: str | Unset = UNSET
        if not isinstance(self.misfire_policy, Unset):
            misfire_policy = self.misfire_policy.value


        max_catch_up = self.max_catch_up

        start_at: None | str | Unset
        if isinstance(self.start_at, Unset):
            start_at = UNSET
        elif isinstance(self.start_at, datetime.datetime):
            start_at = self.start_at.isoformat()
        else:
            start_at = self.start_at

        end_at: None | str | Unset
        if isinstance(self.end_at, Unset):
            end_at = UNSET
        elif isinstance(self.end_at, datetime.datetime):
            end_at = self.end_at.isoformat()
        else:
            end_at = self.end_at

        max_runs: int | None | Unset
        if isinstance(self.max_runs, Unset):
            max_runs = UNSET
        else:
            max_runs = self.max_runs

        jitter_seconds = self.jitter_seconds

        labels: dict[str, Any] | None | Unset
        if isinstance(self.labels, Unset):
            labels = UNSET
        elif isinstance(self.labels, LabelsPatchType0):
            labels = self.labels.to_dict()
        else:
            labels = self.labels


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if name is not UNSET:
            field_dict["name"] = name
        if cron is not UNSET:
            field_dict["cron"] = cron
        if interval_seconds is not UNSET:
            field_dict["interval_seconds"] = interval_seconds
        if timezone is not UNSET:
            field_dict["timezone"] = timezone
        if job is not UNSET:
            field_dict["job"] = job
        if template is not UNSET:
            field_dict["template"] = template
        if overlap_policy is not UNSET:
            field_dict["overlap_policy"] = overlap_policy
        if misfire_policy is not UNSET:
            field_dict["misfire_policy"] = misfire_policy
        if max_catch_up is not UNSET:
            field_dict["max_catch_up"] = max_catch_up
        if start_at is not UNSET:
            field_dict["start_at"] = start_at
        if end_at is not UNSET:
            field_dict["end_at"] = end_at
        if max_runs is not UNSET:
            field_dict["max_runs"] = max_runs
        if jitter_seconds is not UNSET:
            field_dict["jitter_seconds"] = jitter_seconds
        if labels is not UNSET:
            field_dict["labels"] = labels

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_create import JobCreate # noqa: PLC0415
        from ..models.labels_patch_type_0 import LabelsPatchType0 # noqa: PLC0415
        from ..models.schedule_template import ScheduleTemplate # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        def _parse_cron(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cron = _parse_cron(d.pop("cron", UNSET))


        def _parse_interval_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        interval_seconds = _parse_interval_seconds(d.pop("interval_seconds", UNSET))


        timezone = d.pop("timezone", UNSET)

        _job = d.pop("job", UNSET)
        job: JobCreate | Unset
        if isinstance(_job,  Unset):
            job = UNSET
        else:
            job = JobCreate.from_dict(_job)




        _template = d.pop("template", UNSET)
        template: ScheduleTemplate | Unset
        if isinstance(_template,  Unset):
            template = UNSET
        else:
            template = ScheduleTemplate.from_dict(_template)




        _overlap_policy = d.pop("overlap_policy", UNSET)
        overlap_policy: OverlapPolicy | Unset
        if isinstance(_overlap_policy,  Unset):
            overlap_policy = UNSET
        else:
            overlap_policy = OverlapPolicy(_overlap_policy)




        _misfire_policy = d.pop("misfire_policy", UNSET)
        misfire_policy: MisfirePolicy | Unset
        if isinstance(_misfire_policy,  Unset):
            misfire_policy = UNSET
        else:
            misfire_policy = MisfirePolicy(_misfire_policy)




        max_catch_up = d.pop("max_catch_up", UNSET)

        def _parse_start_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                start_at_type_0 = datetime.datetime.fromisoformat(data)



                return start_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        start_at = _parse_start_at(d.pop("start_at", UNSET))


        def _parse_end_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                end_at_type_0 = datetime.datetime.fromisoformat(data)



                return end_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        end_at = _parse_end_at(d.pop("end_at", UNSET))


        def _parse_max_runs(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_runs = _parse_max_runs(d.pop("max_runs", UNSET))


        jitter_seconds = d.pop("jitter_seconds", UNSET)

        def _parse_labels(data: object) -> LabelsPatchType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_labels_patch_type_0 = LabelsPatchType0.from_dict(data)



                return componentsschemas_labels_patch_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LabelsPatchType0 | None | Unset, data)

        labels = _parse_labels(d.pop("labels", UNSET))


        schedule_patch = cls(
            name=name,
            cron=cron,
            interval_seconds=interval_seconds,
            timezone=timezone,
            job=job,
            template=template,
            overlap_policy=overlap_policy,
            misfire_policy=misfire_policy,
            max_catch_up=max_catch_up,
            start_at=start_at,
            end_at=end_at,
            max_runs=max_runs,
            jitter_seconds=jitter_seconds,
            labels=labels,
        )

        return schedule_patch

