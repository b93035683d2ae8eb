from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.job import Job
  from ..models.problem import Problem





T = TypeVar("T", bound="JobBatchItemResult")



@_attrs_define
class JobBatchItemResult:
    """ One submitted job's result, with `job` when it was created or `error` when it was rejected.

        Attributes:
            index (int): Position of the job in the request.
            status (int): The HTTP status this job would have got alone: 201, or 4xx.
            job (Job | Unset):
            error (Problem | Unset): RFC 9457 problem details.
     """

    index: int
    status: int
    job: Job | Unset = UNSET
    error: Problem | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.job import Job # noqa: PLC0415
        from ..models.problem import Problem # noqa: PLC0415
        index = self.index

        status = self.status

        job: dict[str, Any] | Unset = UNSET
        if not isinstance(self.job, Unset):
            job = self.job.to_dict()

        error: dict[str, Any] | Unset = UNSET
        if not isinstance(self.error, Unset):
            error = self.error.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "index": index,
            "status": status,
        })
        if job is not UNSET:
            field_dict["job"] = job
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job import Job # noqa: PLC0415
        from ..models.problem import Problem # noqa: PLC0415
        d = dict(src_dict)
        index = d.pop("index")

        status = d.pop("status")

        _job = d.pop("job", UNSET)
        job: Job | Unset
        if isinstance(_job,  Unset):
            job = UNSET
        else:
            job = Job.from_dict(_job)




        _error = d.pop("error", UNSET)
        error: Problem | Unset
        if isinstance(_error,  Unset):
            error = UNSET
        else:
            error = Problem.from_dict(_error)




        job_batch_item_result = cls(
            index=index,
            status=status,
            job=job,
            error=error,
        )


        job_batch_item_result.additional_properties = d
        return job_batch_item_result

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
