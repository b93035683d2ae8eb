from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="JobCancelResult")



@_attrs_define
class JobCancelResult:
    """ 
        Attributes:
            cancelled (int):
            skipped (int): Matching jobs that finished or changed while this ran.
            has_more (bool): More matching live jobs remain; call again.
            job_ids (list[str]): The cancelled jobs.
     """

    cancelled: int
    skipped: int
    has_more: bool
    job_ids: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        cancelled = self.cancelled

        skipped = self.skipped

        has_more = self.has_more

        job_ids = self.job_ids




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "cancelled": cancelled,
            "skipped": skipped,
            "has_more": has_more,
            "job_ids": job_ids,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cancelled = d.pop("cancelled")

        skipped = d.pop("skipped")

        has_more = d.pop("has_more")

        job_ids = cast(list[str], d.pop("job_ids"))


        job_cancel_result = cls(
            cancelled=cancelled,
            skipped=skipped,
            has_more=has_more,
            job_ids=job_ids,
        )


        job_cancel_result.additional_properties = d
        return job_cancel_result

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
