from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.health_check_status import HealthCheckStatus
from ..types import UNSET, Unset






T = TypeVar("T", bound="HealthCheck")



@_attrs_define
class HealthCheck:
    """ 
        Attributes:
            status (HealthCheckStatus):
            backend (str): The dependency's kind: `sqlite`, `postgresql`, `mysql`, `local`, `arq`, `redis`.
            latency_ms (float): How long the check took, in milliseconds.
            error (str | Unset): When `status` is `error`: the class of the error (e.g. `TimeoutError`).
     """

    status: HealthCheckStatus
    backend: str
    latency_ms: float
    error: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        backend = self.backend

        latency_ms = self.latency_ms

        error = self.error


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "status": status,
            "backend": backend,
            "latency_ms": latency_ms,
        })
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = HealthCheckStatus(d.pop("status"))




        backend = d.pop("backend")

        latency_ms = d.pop("latency_ms")

        error = d.pop("error", UNSET)

        health_check = cls(
            status=status,
            backend=backend,
            latency_ms=latency_ms,
            error=error,
        )


        health_check.additional_properties = d
        return health_check

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
