from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.schedule_template_type_0_parameters import ScheduleTemplateType0Parameters





T = TypeVar("T", bound="ScheduleTemplateType0")



@_attrs_define
class ScheduleTemplateType0:
    """ The job template version `job` was made from, with its parameter values; null for an inline job.

        Attributes:
            id (str): A UUID in canonical form.
            version (int):
            parameters (ScheduleTemplateType0Parameters):
     """

    id: str
    version: int
    parameters: ScheduleTemplateType0Parameters
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.schedule_template_type_0_parameters import ScheduleTemplateType0Parameters # noqa: PLC0415
        id = self.id

        version = self.version

        parameters = self.parameters.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "version": version,
            "parameters": parameters,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.schedule_template_type_0_parameters import ScheduleTemplateType0Parameters # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        version = d.pop("version")

        parameters = ScheduleTemplateType0Parameters.from_dict(d.pop("parameters"))




        schedule_template_type_0 = cls(
            id=id,
            version=version,
            parameters=parameters,
        )


        schedule_template_type_0.additional_properties = d
        return schedule_template_type_0

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
