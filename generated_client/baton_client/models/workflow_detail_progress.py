from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="WorkflowDetailProgress")



@_attrs_define
class WorkflowDetailProgress:
    """ 
        Attributes:
            total_steps (int):
            completed_steps (int):
            total_phases (int):
            completed_phases (int):
     """

    total_steps: int
    completed_steps: int
    total_phases: int
    completed_phases: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        total_steps = self.total_steps

        completed_steps = self.completed_steps

        total_phases = self.total_phases

        completed_phases = self.completed_phases


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "total_steps": total_steps,
            "completed_steps": completed_steps,
            "total_phases": total_phases,
            "completed_phases": completed_phases,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        total_steps = d.pop("total_steps")

        completed_steps = d.pop("completed_steps")

        total_phases = d.pop("total_phases")

        completed_phases = d.pop("completed_phases")

        workflow_detail_progress = cls(
            total_steps=total_steps,
            completed_steps=completed_steps,
            total_phases=total_phases,
            completed_phases=completed_phases,
        )


        workflow_detail_progress.additional_properties = d
        return workflow_detail_progress

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
