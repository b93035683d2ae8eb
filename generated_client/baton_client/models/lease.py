from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="Lease")



@_attrs_define
class Lease:
    """ 
        Attributes:
            job_id (str): A UUID in canonical form.
            worker_id (str): A UUID in canonical form.
            attempt (int):
            lease_expires_at (datetime.datetime):
     """

    job_id: str
    worker_id: str
    attempt: int
    lease_expires_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        job_id = self.job_id

        worker_id = self.worker_id

        attempt = self.attempt

        lease_expires_at = self.lease_expires_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "job_id": job_id,
            "worker_id": worker_id,
            "attempt": attempt,
            "lease_expires_at": lease_expires_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        job_id = d.pop("job_id")

        worker_id = d.pop("worker_id")

        attempt = d.pop("attempt")

        lease_expires_at = datetime.datetime.fromisoformat(d.pop("lease_expires_at"))




        lease = cls(
            job_id=job_id,
            worker_id=worker_id,
            attempt=attempt,
            lease_expires_at=lease_expires_at,
        )


        lease.additional_properties = d
        return lease

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
