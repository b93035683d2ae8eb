from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.job_filter import JobFilter





T = TypeVar("T", bound="JobCancelRequest")



@_attrs_define
class JobCancelRequest:
    """ 
        Attributes:
            filter_ (JobFilter): Criteria a job must all meet.
            limit (int | Unset): Most jobs to cancel in this call. Default: 1000.
     """

    filter_: JobFilter
    limit: int | Unset = 1000





    def to_dict(self) -> dict[str, Any]:
        from ..models.job_filter import JobFilter # noqa: PLC0415
        filter_ = self.filter_.to_dict()

        limit = self.limit


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "filter": filter_,
        })
        if limit is not UNSET:
            field_dict["limit"] = limit

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_filter import JobFilter # noqa: PLC0415
        d = dict(src_dict)
        filter_ = JobFilter.from_dict(d.pop("filter"))




        limit = d.pop("limit", UNSET)

        job_cancel_request = cls(
            filter_=filter_,
            limit=limit,
        )

        return job_cancel_request

