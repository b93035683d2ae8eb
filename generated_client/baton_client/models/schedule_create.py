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
  from ..models.labels import Labels
  from ..models.schedule_template import ScheduleTemplate





T = TypeVar("T", bound="ScheduleCreate")



@_attrs_define
class ScheduleCreate:
    """ What to run is exactly one of `job` (inline) and `template` (a job template's version with
    parameter values); both or neither is 422 `INVALID_SCHEDULE`.

        Attributes:
            name (str):
            cron (str | Unset): 5 fields (`minute hour day month weekday`), 6 with seconds first, or `@yearly` `@monthly`
                `@weekly` `@daily` `@hourly`. Exactly one of `cron` and `interval_seconds`.
            interval_seconds (int | Unset): A fixed interval of elapsed time.
            timezone (str | Unset): The IANA time zone `cron` is read in. Default: 'UTC'.
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
                 Default: OverlapPolicy.SKIP.
            misfire_policy (MisfirePolicy | Unset): For fire times missed by more than 60 s (the server was down, or
                `start_at` lies in the
                past): `skip` drops them, `run_once` runs the newest of them once, `run_all` runs the newest
                `max_catch_up` of them, oldest first. Fire times missed while paused are never caught up.
                 Default: MisfirePolicy.RUN_ONCE.
            max_catch_up (int | Unset): `run_all`: at most this many missed fire times run. Default: 10.
            start_at (datetime.datetime | None | Unset): No fire time before this one.
            end_at (datetime.datetime | None | Unset): No fire time after this one.
            max_runs (int | None | Unset): The schedule ends after this many runs.
            jitter_seconds (int | Unset): Each run starts up to this long after its fire time (the same delay in every
                server process). Default: 0.
            paused (bool | Unset):  Default: False.
            labels (Labels | Unset): Free-form key/value labels (at most 32). Keys start with a letter or digit and use
                letters,
                digits, `_`, `.`, `-` and `/`, up to 63 characters.
     """

    name: str
    cron: str | Unset = UNSET
    interval_seconds: int | Unset = UNSET
    timezone: str | Unset = 'UTC'
    job: JobCreate | Unset = UNSET
    template: ScheduleTemplate | Unset = UNSET
    overlap_policy: OverlapPolicy | Unset = OverlapPolicy.SKIP
    misfire_policy: MisfirePolicy | Unset = MisfirePolicy.RUN_ONCE
    max_catch_up: int | Unset = 10
    start_at: datetime.datetime | None | Unset = UNSET
    end_at: datetime.datetime | None | Unset = UNSET
    max_runs: int | None | Unset = UNSET
    jitter_seconds: int | Unset = 0
    paused: bool | Unset = False
    labels: Labels | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.job_create import JobCreate # noqa: PLC0415
        from ..models.labels import Labels # noqa: PLC0415
        from ..models.schedule_template import ScheduleTemplate # noqa: PLC0415
        name = self.name

        cron = self.cron

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

        paused = self.paused

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
        })
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
        if paused is not UNSET:
            field_dict["paused"] = paused
        if labels is not UNSET:
            field_dict["labels"] = labels

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_create import JobCreate # noqa: PLC0415
        from ..models.labels import Labels # noqa: PLC0415
        from ..models.schedule_template import ScheduleTemplate # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        cron = d.pop("cron", UNSET)

        interval_seconds = d.pop("interval_seconds", UNSET)

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

        paused = d.pop("paused", UNSET)

        _labels = d.pop("labels", UNSET)
        labels: Labels | Unset
        if isinstance(_labels,  Unset):
            labels = UNSET
        else:
            labels = Labels.from_dict(_labels)




        schedule_create = cls(
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
            paused=paused,
            labels=labels,
        )

        return schedule_create

