from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.health_details_status import HealthDetailsStatus
from typing import cast

if TYPE_CHECKING:
  from ..models.health_details_checks import HealthDetailsChecks





T = TypeVar("T", bound="HealthDetails")



@_attrs_define
class HealthDetails:
    """ 
        Attributes:
            status (HealthDetailsStatus):
            checks (HealthDetailsChecks): `database` and `executor` always; `rate_limits` when they are shared through
                Redis.
     """

    status: HealthDetailsStatus
    checks: HealthDetailsChecks
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.health_details_checks import HealthDetailsChecks # noqa: PLC0415
        status = self.status.value

        checks = self.checks.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "status": status,
            "checks": checks,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.health_details_checks import HealthDetailsChecks # noqa: PLC0415
        d = dict(src_dict)
        status = HealthDetailsStatus(d.pop("status"))




        checks = HealthDetailsChecks.from_dict(d.pop("checks"))




        health_details = cls(
            status=status,
            checks=checks,
        )


        health_details.additional_properties = d
        return health_details

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
