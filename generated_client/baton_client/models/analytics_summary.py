from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.analytics_figures import AnalyticsFigures
  from ..models.name_figures import NameFigures
  from ..models.queue_figures import QueueFigures





T = TypeVar("T", bound="AnalyticsSummary")



@_attrs_define
class AnalyticsSummary:
    """ 
        Attributes:
            from_ (datetime.datetime):
            to (datetime.datetime):
            totals (AnalyticsFigures):
            by_queue (list[QueueFigures]): One entry per queue with jobs in the window, most jobs first.
            by_name (list[NameFigures]): The 50 job names with most jobs in the window, most first.
     """

    from_: datetime.datetime
    to: datetime.datetime
    totals: AnalyticsFigures
    by_queue: list[QueueFigures]
    by_name: list[NameFigures]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.analytics_figures import AnalyticsFigures # noqa: PLC0415
        from ..models.name_figures import NameFigures # noqa: PLC0415
        from ..models.queue_figures import QueueFigures # noqa: PLC0415
        from_ = self.from_.isoformat()

        to = self.to.isoformat()

        totals = self.totals.to_dict()

        by_queue = []
        for by_queue_item_data in self.by_queue:
            by_queue_item = by_queue_item_data.to_dict()
            by_queue.append(by_queue_item)



        by_name = []
        for by_name_item_data in self.by_name:
            by_name_item = by_name_item_data.to_dict()
            by_name.append(by_name_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "from": from_,
            "to": to,
            "totals": totals,
            "by_queue": by_queue,
            "by_name": by_name,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.analytics_figures import AnalyticsFigures # noqa: PLC0415
        from ..models.name_figures import NameFigures # noqa: PLC0415
        from ..models.queue_figures import QueueFigures # noqa: PLC0415
        d = dict(src_dict)
        from_ = datetime.datetime.fromisoformat(d.pop("from"))




        to = datetime.datetime.fromisoformat(d.pop("to"))




        totals = AnalyticsFigures.from_dict(d.pop("totals"))




        by_queue = []
        _by_queue = d.pop("by_queue")
        for by_queue_item_data in (_by_queue):
            by_queue_item = QueueFigures.from_dict(by_queue_item_data)



            by_queue.append(by_queue_item)


        by_name = []
        _by_name = d.pop("by_name")
        for by_name_item_data in (_by_name):
            by_name_item = NameFigures.from_dict(by_name_item_data)



            by_name.append(by_name_item)


        analytics_summary = cls(
            from_=from_,
            to=to,
            totals=totals,
            by_queue=by_queue,
            by_name=by_name,
        )


        analytics_summary.additional_properties = d
        return analytics_summary

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
