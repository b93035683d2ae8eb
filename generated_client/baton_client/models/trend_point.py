from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.duration_percentiles import DurationPercentiles
  from ..models.status_counts import StatusCounts
  from ..models.wait_percentiles import WaitPercentiles





T = TypeVar("T", bound="TrendPoint")



@_attrs_define
class TrendPoint:
    """ 
        Attributes:
            jobs (int): Jobs created in the window.
            by_status (StatusCounts): Jobs in each state.
            success_rate (float | None): completed / (completed + failed + timed_out); null while none has ended so.
            duration_seconds (DurationPercentiles): How long finished executions ran, in seconds; percentiles are null
                without any.
            queue_wait_seconds (WaitPercentiles): How long jobs waited from due (`run_at`) to start, in seconds; null
                without any.
            start (datetime.datetime): Where the bucket begins (UTC).
     """

    jobs: int
    by_status: StatusCounts
    success_rate: float | None
    duration_seconds: DurationPercentiles
    queue_wait_seconds: WaitPercentiles
    start: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.duration_percentiles import DurationPercentiles # noqa: PLC0415
        from ..models.status_counts import StatusCounts # noqa: PLC0415
        from ..models.wait_percentiles import WaitPercentiles # noqa: PLC0415
        jobs = self.jobs

        by_status = self.by_status.to_dict()

        success_rate: float | None
        success_rate = self.success_rate

        duration_seconds = self.duration_seconds.to_dict()

        queue_wait_seconds = self.queue_wait_seconds.to_dict()

        start = self.start.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "jobs": jobs,
            "by_status": by_status,
            "success_rate": success_rate,
            "duration_seconds": duration_seconds,
            "queue_wait_seconds": queue_wait_seconds,
            "start": start,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.duration_percentiles import DurationPercentiles # noqa: PLC0415
        from ..models.status_counts import StatusCounts # noqa: PLC0415
        from ..models.wait_percentiles import WaitPercentiles # noqa: PLC0415
        d = dict(src_dict)
        jobs = d.pop("jobs")

        by_status = StatusCounts.from_dict(d.pop("by_status"))




        def _parse_success_rate(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        success_rate = _parse_success_rate(d.pop("success_rate"))


        duration_seconds = DurationPercentiles.from_dict(d.pop("duration_seconds"))




        queue_wait_seconds = WaitPercentiles.from_dict(d.pop("queue_wait_seconds"))




        start = datetime.datetime.fromisoformat(d.pop("start"))




        trend_point = cls(
            jobs=jobs,
            by_status=by_status,
            success_rate=success_rate,
            duration_seconds=duration_seconds,
            queue_wait_seconds=queue_wait_seconds,
            start=start,
        )


        trend_point.additional_properties = d
        return trend_point

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
