from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.schedule_template_parameters import ScheduleTemplateParameters





T = TypeVar("T", bound="ScheduleTemplate")



@_attrs_define
class ScheduleTemplate:
    """ A job template (`/api/v1/templates`) the schedule fires, at one version: the schedule's
    `job` is what its `parameters` make of it, checked as `POST /api/v1/templates/{id}/run`
    checks them, once, when the schedule is saved (a version never changes). Without
    `version`, the latest when saved. A workflow template is 422 `INVALID_SCHEDULE`.

        Attributes:
            id (str): A UUID in canonical form.
            version (int | Unset):
            parameters (ScheduleTemplateParameters | Unset):
     """

    id: str
    version: int | Unset = UNSET
    parameters: ScheduleTemplateParameters | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.schedule_template_parameters import ScheduleTemplateParameters # noqa: PLC0415
        id = self.id

        version = self.version

        parameters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.parameters, Unset):
            parameters = self.parameters.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "id": id,
        })
        if version is not UNSET:
            field_dict["version"] = version
        if parameters is not UNSET:
            field_dict["parameters"] = parameters

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.schedule_template_parameters import ScheduleTemplateParameters # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        version = d.pop("version", UNSET)

        _parameters = d.pop("parameters", UNSET)
        parameters: ScheduleTemplateParameters | Unset
        if isinstance(_parameters,  Unset):
            parameters = UNSET
        else:
            parameters = ScheduleTemplateParameters.from_dict(_parameters)




        schedule_template = cls(
            id=id,
            version=version,
            parameters=parameters,
        )

        return schedule_template

