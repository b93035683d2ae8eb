from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="LeaseRequest")



@_attrs_define
class LeaseRequest:
    """ 
        Attributes:
            worker_id (str): A UUID in canonical form.
            attempt (int):
            lease_seconds (int | Unset):  Default: 60.
     """

    worker_id: str
    attempt: int
    lease_seconds: int | Unset = 60





    def to_dict(self) -> dict[str, Any]:
        worker_id = self.worker_id

        attempt = self.attempt

        lease_seconds = self.lease_seconds


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "worker_id": worker_id,
            "attempt": attempt,
        })
        if lease_seconds is not UNSET:
            field_dict["lease_seconds"] = lease_seconds

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        worker_id = d.pop("worker_id")

        attempt = d.pop("attempt")

        lease_seconds = d.pop("lease_seconds", UNSET)

        lease_request = cls(
            worker_id=worker_id,
            attempt=attempt,
            lease_seconds=lease_seconds,
        )

        return lease_request

