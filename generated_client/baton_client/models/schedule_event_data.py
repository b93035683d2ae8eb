from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="ScheduleEventData")



@_attrs_define
class ScheduleEventData:
    """ A schedule as it is after the change (`schedule.*` events); `schedule.fired` adds the job created,
    `schedule.skipped` why.

        Attributes:
            schedule_id (str):
            name (str):
            owner (str):
            paused (bool):
            next_run_at (datetime.datetime | None):
            run_count (int):
            job_id (str | Unset): `schedule.fired`: the job created.
            fire_time (datetime.datetime | None | Unset): `schedule.fired`, `schedule.skipped`: the fire time (null for a
                count of missed ones).
            manual (bool | Unset): `schedule.fired`: a run asked for with `trigger`.
            reason (str | Unset): `schedule.skipped`: why.
            count (int | Unset): `schedule.skipped`: how many fire times.
     """

    schedule_id: str
    name: str
    owner: str
    paused: bool
    next_run_at: datetime.datetime | None
    run_count: int
    job_id: str | Unset = UNSET
    fire_time: datetime.datetime | None | Unset = UNSET
    manual: bool | Unset = UNSET
    reason: str | Unset = UNSET
    count: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        schedule_id = self.schedule_id

        name = self.name

        owner = self.owner

        paused = self.paused

        next_run_at: None | str
        if isinstance(self.next_run_at, datetime.datetime):
            next_run_at = self.next_run_at.isoformat()
        else:
            next_run_at = self.next_run_at

        run_count = self.run_count

        job_id = self.job_id

        fire_time: None | str | Unset
        if isinstance(self.fire_time, Unset):
            fire_time = UNSET
        elif isinstance(self.fire_time, datetime.datetime):
            fire_time = self.fire_time.isoformat()
        else:
            fire_time = self.fire_time

        manual = self.manual

        reason = self.reason

        count = self.count


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "schedule_id": schedule_id,
            "name": name,
            "owner": owner,
            "paused": paused,
            "next_run_at": next_run_at,
            "run_count": run_count,
        })
        if job_id is not UNSET:
            field_dict["job_id"] = job_id
        if fire_time is not UNSET:
            field_dict["fire_time"] = fire_time
        if manual is not UNSET:
            field_dict["manual"] = manual
        if reason is not UNSET:
            field_dict["reason"] = reason
        if count is not UNSET:
            field_dict["count"] = count

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        schedule_id = d.pop("schedule_id")

        name = d.pop("name")

        owner = d.pop("owner")

        paused = d.pop("paused")

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


        run_count = d.pop("run_count")

        job_id = d.pop("job_id", UNSET)

        def _parse_fire_time(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                fire_time_type_0 = datetime.datetime.fromisoformat(data)



                return fire_time_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        fire_time = _parse_fire_time(d.pop("fire_time", UNSET))


        manual = d.pop("manual", UNSET)

        reason = d.pop("reason", UNSET)

        count = d.pop("count", UNSET)

        schedule_event_data = cls(
            schedule_id=schedule_id,
            name=name,
            owner=owner,
            paused=paused,
            next_run_at=next_run_at,
            run_count=run_count,
            job_id=job_id,
            fire_time=fire_time,
            manual=manual,
            reason=reason,
            count=count,
        )


        schedule_event_data.additional_properties = d
        return schedule_event_data

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
