from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="WorkflowPhaseCreate")



@_attrs_define
class WorkflowPhaseCreate:
    """ 
        Attributes:
            name (str):
            steps (list[str]):
     """

    name: str
    steps: list[str]





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        steps = self.steps




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "steps": steps,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        steps = cast(list[str], d.pop("steps"))


        workflow_phase_create = cls(
            name=name,
            steps=steps,
        )

        return workflow_phase_create

