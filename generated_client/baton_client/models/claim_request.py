from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ClaimRequest")



@_attrs_define
class ClaimRequest:
    """ 
        Attributes:
            queues (list[str] | Unset): Queues to take jobs from now, among the worker's; omitted means all of them.
            max_jobs (int | Unset):  Default: 1.
            lease_seconds (int | Unset): The lease of each job taken; extend it well before it runs out. Default: 60.
            wait_seconds (int | Unset): How long to wait for a job when none can be taken at once. Default: 0.
     """

    queues: list[str] | Unset = UNSET
    max_jobs: int | Unset = 1
    lease_seconds: int | Unset = 60
    wait_seconds: int | Unset = 0





    def to_dict(self) -> dict[str, Any]:
        queues: list[str] | Unset = UNSET
        if not isinstance(self.queues, Unset):
            queues = self.queues



        max_jobs = self.max_jobs

        lease_seconds = self.lease_seconds

        wait_seconds = self.wait_seconds


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if queues is not UNSET:
            field_dict["queues"] = queues
        if max_jobs is not UNSET:
            field_dict["max_jobs"] = max_jobs
        if lease_seconds is not UNSET:
            field_dict["lease_seconds"] = lease_seconds
        if wait_seconds is not UNSET:
            field_dict["wait_seconds"] = wait_seconds

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        queues = cast(list[str], d.pop("queues", UNSET))


        max_jobs = d.pop("max_jobs", UNSET)

        lease_seconds = d.pop("lease_seconds", UNSET)

        wait_seconds = d.pop("wait_seconds", UNSET)

        claim_request = cls(
            queues=queues,
            max_jobs=max_jobs,
            lease_seconds=lease_seconds,
            wait_seconds=wait_seconds,
        )

        return claim_request

