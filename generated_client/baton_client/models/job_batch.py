from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.job_create import JobCreate





T = TypeVar("T", bound="JobBatch")



@_attrs_define
class JobBatch:
    """ 
        Attributes:
            jobs (list[JobCreate]):
            atomic (bool | Unset): All or nothing (`true`), or create the accepted jobs even if others are rejected.
                Default: True.
     """

    jobs: list[JobCreate]
    atomic: bool | Unset = True





    def to_dict(self) -> dict[str, Any]:
        from ..models.job_create import JobCreate # noqa: PLC0415
        jobs = []
        for jobs_item_data in self.jobs:
            jobs_item = jobs_item_data.to_dict()
            jobs.append(jobs_item)



        atomic = self.atomic


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "jobs": jobs,
        })
        if atomic is not UNSET:
            field_dict["atomic"] = atomic

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_create import JobCreate # noqa: PLC0415
        d = dict(src_dict)
        jobs = []
        _jobs = d.pop("jobs")
        for jobs_item_data in (_jobs):
            jobs_item = JobCreate.from_dict(jobs_item_data)



            jobs.append(jobs_item)


        atomic = d.pop("atomic", UNSET)

        job_batch = cls(
            jobs=jobs,
            atomic=atomic,
        )

        return job_batch

