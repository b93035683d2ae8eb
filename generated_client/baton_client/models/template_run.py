from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.template_run_parameters import TemplateRunParameters





T = TypeVar("T", bound="TemplateRun")



@_attrs_define
class TemplateRun:
    """ 
        Attributes:
            parameters (TemplateRunParameters | Unset): The parameter values.
            version (int | Unset): Run this version (default: the latest).
     """

    parameters: TemplateRunParameters | Unset = UNSET
    version: int | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.template_run_parameters import TemplateRunParameters # noqa: PLC0415
        parameters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.parameters, Unset):
            parameters = self.parameters.to_dict()

        version = self.version


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if parameters is not UNSET:
            field_dict["parameters"] = parameters
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_run_parameters import TemplateRunParameters # noqa: PLC0415
        d = dict(src_dict)
        _parameters = d.pop("parameters", UNSET)
        parameters: TemplateRunParameters | Unset
        if isinstance(_parameters,  Unset):
            parameters = UNSET
        else:
            parameters = TemplateRunParameters.from_dict(_parameters)




        version = d.pop("version", UNSET)

        template_run = cls(
            parameters=parameters,
            version=version,
        )

        return template_run

