from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.job_batch_item_result import JobBatchItemResult





T = TypeVar("T", bound="JobBatchResult")



@_attrs_define
class JobBatchResult:
    """ 
        Attributes:
            created (int):
            rejected (int):
            results (list[JobBatchItemResult]):
     """

    created: int
    rejected: int
    results: list[JobBatchItemResult]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.job_batch_item_result import JobBatchItemResult # noqa: PLC0415
        created = self.created

        rejected = self.rejected

        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "created": created,
            "rejected": rejected,
            "results": results,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_batch_item_result import JobBatchItemResult # noqa: PLC0415
        d = dict(src_dict)
        created = d.pop("created")

        rejected = d.pop("rejected")

        results = []
        _results = d.pop("results")
        for results_item_data in (_results):
            results_item = JobBatchItemResult.from_dict(results_item_data)



            results.append(results_item)


        job_batch_result = cls(
            created=created,
            rejected=rejected,
            results=results,
        )


        job_batch_result.additional_properties = d
        return job_batch_result

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
