from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.misfire_policy import MisfirePolicy
from ..models.overlap_policy import OverlapPolicy
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.schedule_job import ScheduleJob
  from ..models.schedule_labels import ScheduleLabels
  from ..models.schedule_template_type_0 import ScheduleTemplateType0





T = TypeVar("T", bound="Schedule")



@_attrs_define
class Schedule:
    """ 
        Attributes:
            id (str): A UUID in canonical form.
            name (str):
            owner (str): Username of the owner; the jobs it creates are theirs.
            cron (None | str):
            interval_seconds (int | None):
            timezone (str):
            job (ScheduleJob): The job template, as `POST /api/v1/jobs` takes it (defaults filled in).
            template (None | ScheduleTemplateType0): The job template version `job` was made from, with its parameter
                values; null for an inline job.
            overlap_policy (OverlapPolicy): When a fire time comes while the schedule's previous run is still live
                (scheduled, pending
                or running): `allow` runs anyway, `skip` drops the fire time (`schedule.skipped`), `queue`
                keeps it waiting (at most one: a further one is skipped) and runs it once no run is live,
                `cancel_previous` cancels the live runs and starts the new one.
            misfire_policy (MisfirePolicy): For fire times missed by more than 60 s (the server was down, or `start_at` lies
                in the
                past): `skip` drops them, `run_once` runs the newest of them once, `run_all` runs the newest
                `max_catch_up` of them, oldest first. Fire times missed while paused are never caught up.
            max_catch_up (int):
            start_at (datetime.datetime | None):
            end_at (datetime.datetime | None):
            max_runs (int | None):
            jitter_seconds (int):
            paused (bool):
            labels (ScheduleLabels):
            next_run_at (datetime.datetime | None): The next fire time; null while paused or once the schedule is over.
            queued_fire_at (datetime.datetime | None): Overlap policy `queue`: the fire time waiting for the live run.
            last_run_at (datetime.datetime | None): When its last job was created.
            last_job_id (None | str): The last job it created.
            run_count (int): Jobs created at fire times (runs by `trigger` not counted).
            skipped_count (int): Fire times dropped by the overlap or misfire policy.
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
     """

    id: str
    name: str
    owner: str
    cron: None | str
    interval_seconds: int | None
    timezone: str
    job: ScheduleJob
    template: None | ScheduleTemplateType0
    overlap_policy: OverlapPolicy
    misfire_policy: MisfirePolicy
    max_catch_up: int
    start_at: datetime.datetime | None
    end_at: datetime.datetime | None
    max_runs: int | None
    jitter_seconds: int
    paused: bool
    labels: ScheduleLabels
    next_run_at: datetime.datetime | None
    queued_fire_at: datetime.datetime | None
    last_run_at: datetime.datetime | None
    last_job_id: None | str
    run_count: int
    skipped_count: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.schedule_job import ScheduleJob # noqa: PLC0415
        from ..models.schedule_labels import ScheduleLabels # noqa: PLC0415
        from ..models.schedule_template_type_0 import ScheduleTemplateType0 # noqa: PLC0415
        id = self.id

        name = self.name

        owner = self.owner

        cron: None | str
        cron = self.cron

        interval_seconds: int | None
        interval_seconds = self.interval_seconds

        timezone = self.timezone

        job = self.job.to_dict()

        template: dict[str, Any] | None
        if isinstance(self.template, ScheduleTemplateType0):
            template = self.template.to_dict()
        else:
            template = self.template

        overlap_policy = self.overlap_policy.value

        misfire_policy = self.misfire_policy.value

        max_catch_up = self.max_catch_up

        start_at: None | str
        if isinstance(self.start_at, datetime.datetime):
            start_at = self.start_at.isoformat()
        else:
            start_at = self.start_at

        end_at: None | str
        if isinstance(self.end_at, datetime.datetime):
            end_at = self.end_at.isoformat()
        else:
            end_at = self.end_at

        max_runs: int | None
        max_runs = self.max_runs

        jitter_seconds = self.jitter_seconds

        paused = self.paused

        labels = self.labels.to_dict()

        next_run_at: None | str
        if isinstance(self.next_run_at, datetime.datetime):
            next_run_at = self.next_run_at.isoformat()
        else:
            next_run_at = self.next_run_at

        queued_fire_at: None | str
        if isinstance(self.queued_fire_at, datetime.datetime):
            queued_fire_at = self.queued_fire_at.isoformat()
        else:
            queued_fire_at = self.queued_fire_at

        last_run_at: None | str
        if isinstance(self.last_run_at, datetime.datetime):
            last_run_at = self.last_run_at.isoformat()
        else:
            last_run_at = self.last_run_at

        last_job_id: None | str
        last_job_id = self.last_job_id

        run_count = self.run_count

        skipped_count = self.skipped_count

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
            "owner": owner,
            "cron": cron,
            "interval_seconds": interval_seconds,
            "timezone": timezone,
            "job": job,
            "template": template,
            "overlap_policy": overlap_policy,
            "misfire_policy": misfire_policy,
            "max_catch_up": max_catch_up,
            "start_at": start_at,
            "end_at": end_at,
            "max_runs": max_runs,
            "jitter_seconds": jitter_seconds,
            "paused": paused,
            "labels": labels,
            "next_run_at": next_run_at,
            "queued_fire_at": queued_fire_at,
            "last_run_at": last_run_at,
            "last_job_id": last_job_id,
            "run_count": run_count,
            "skipped_count": skipped_count,
            "created_at": created_at,
            "updated_at": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.schedule_job import ScheduleJob # noqa: PLC0415
        from ..models.schedule_labels import ScheduleLabels # noqa: PLC0415
        from ..models.schedule_template_type_0 import ScheduleTemplateType0 # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        owner = d.pop("owner")

        def _parse_cron(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cron = _parse_cron(d.pop("cron"))


        def _parse_interval_seconds(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        interval_seconds = _parse_interval_seconds(d.pop("interval_seconds"))


        timezone = d.pop("timezone")

        job = ScheduleJob.from_dict(d.pop("job"))




        def _parse_template(data: object) -> None | ScheduleTemplateType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                template_type_0 = ScheduleTemplateType0.from_dict(data)



                return template_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ScheduleTemplateType0, data)

        template = _parse_template(d.pop("template"))


        overlap_policy = OverlapPolicy(d.pop("overlap_policy"))




        misfire_policy = MisfirePolicy(d.pop("misfire_policy"))




        max_catch_up = d.pop("max_catch_up")

        def _parse_start_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                start_at_type_0 = datetime.datetime.fromisoformat(data)



                return start_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        start_at = _parse_start_at(d.pop("start_at"))


        def _parse_end_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                end_at_type_0 = datetime.datetime.fromisoformat(data)



                return end_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        end_at = _parse_end_at(d.pop("end_at"))


        def _parse_max_runs(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_runs = _parse_max_runs(d.pop("max_runs"))


        jitter_seconds = d.pop("jitter_seconds")

        paused = d.pop("paused")

        labels = ScheduleLabels.from_dict(d.pop("labels"))




        def _parse_next_run_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_run_at_type_0 = datetime.datetime.fromisoformat(data)



                return next_run_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        next_run_at = _parse_next_run_at(d.pop("next_run_at"))


        def _parse_queued_fire_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                queued_fire_at_type_0 = datetime.datetime.fromisoformat(data)



                return queued_fire_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        queued_fire_at = _parse_queued_fire_at(d.pop("queued_fire_at"))


        def _parse_last_run_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_run_at_type_0 = datetime.datetime.fromisoformat(data)



                return last_run_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_run_at = _parse_last_run_at(d.pop("last_run_at"))


        def _parse_last_job_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_job_id = _parse_last_job_id(d.pop("last_job_id"))


        run_count = d.pop("run_count")

        skipped_count = d.pop("skipped_count")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        schedule = cls(
            id=id,
            name=name,
            owner=owner,
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
            next_run_at=next_run_at,
            queued_fire_at=queued_fire_at,
            last_run_at=last_run_at,
            last_job_id=last_job_id,
            run_count=run_count,
            skipped_count=skipped_count,
            created_at=created_at,
            updated_at=updated_at,
        )


        schedule.additional_properties = d
        return schedule

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
