from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="SchedulePreviewFireTimesItem")



@_attrs_define
class SchedulePreviewFireTimesItem:
    """ 
        Attributes:
            at (datetime.datetime): The fire time (UTC).
            run_at (datetime.datetime): When its run starts: the fire time plus jitter.
     """

    at: datetime.datetime
    run_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        run_at = self.run_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "at": at,
            "run_at": run_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))




        run_at = datetime.datetime.fromisoformat(d.pop("run_at"))




        schedule_preview_fire_times_item = cls(
            at=at,
            run_at=run_at,
        )


        schedule_preview_fire_times_item.additional_properties = d
        return schedule_preview_fire_times_item

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
