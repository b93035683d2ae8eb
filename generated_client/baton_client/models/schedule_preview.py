from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.schedule_preview_fire_times_item import SchedulePreviewFireTimesItem





T = TypeVar("T", bound="SchedulePreview")



@_attrs_define
class SchedulePreview:
    """ 
        Attributes:
            schedule_id (str):
            timezone (str):
            fire_times (list[SchedulePreviewFireTimesItem]):
     """

    schedule_id: str
    timezone: str
    fire_times: list[SchedulePreviewFireTimesItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.schedule_preview_fire_times_item import SchedulePreviewFireTimesItem # noqa: PLC0415
        schedule_id = self.schedule_id

        timezone = self.timezone

        fire_times = []
        for fire_times_item_data in self.fire_times:
            fire_times_item = fire_times_item_data.to_dict()
            fire_times.append(fire_times_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "schedule_id": schedule_id,
            "timezone": timezone,
            "fire_times": fire_times,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.schedule_preview_fire_times_item import SchedulePreviewFireTimesItem # noqa: PLC0415
        d = dict(src_dict)
        schedule_id = d.pop("schedule_id")

        timezone = d.pop("timezone")

        fire_times = []
        _fire_times = d.pop("fire_times")
        for fire_times_item_data in (_fire_times):
            fire_times_item = SchedulePreviewFireTimesItem.from_dict(fire_times_item_data)



            fire_times.append(fire_times_item)


        schedule_preview = cls(
            schedule_id=schedule_id,
            timezone=timezone,
            fire_times=fire_times,
        )


        schedule_preview.additional_properties = d
        return schedule_preview

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
