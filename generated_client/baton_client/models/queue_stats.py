from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.queue_stats_by_status import QueueStatsByStatus





T = TypeVar("T", bound="QueueStats")



@_attrs_define
class QueueStats:
    """ 
        Attributes:
            queue (str):
            paused (bool):
            max_concurrency (int | None):
            running (int):
            by_status (QueueStatsByStatus): Jobs of the queue in each state.
            oldest_pending_age_seconds (float | None): How long the oldest pending job has been due; null when none is
                pending.
            finished_last_minute (int): Jobs of the queue that ended in the last 60 seconds.
     """

    queue: str
    paused: bool
    max_concurrency: int | None
    running: int
    by_status: QueueStatsByStatus
    oldest_pending_age_seconds: float | None
    finished_last_minute: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.queue_stats_by_status import QueueStatsByStatus # noqa: PLC0415
        queue = self.queue

        paused = self.paused

        max_concurrency: int | None
        max_concurrency = self.max_concurrency

        running = self.running

        by_status = self.by_status.to_dict()

        oldest_pending_age_seconds: float | None
        oldest_pending_age_seconds = self.oldest_pending_age_seconds

        finished_last_minute = self.finished_last_minute


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "queue": queue,
            "paused": paused,
            "max_concurrency": max_concurrency,
            "running": running,
            "by_status": by_status,
            "oldest_pending_age_seconds": oldest_pending_age_seconds,
            "finished_last_minute": finished_last_minute,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.queue_stats_by_status import QueueStatsByStatus # noqa: PLC0415
        d = dict(src_dict)
        queue = d.pop("queue")

        paused = d.pop("paused")

        def _parse_max_concurrency(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_concurrency = _parse_max_concurrency(d.pop("max_concurrency"))


        running = d.pop("running")

        by_status = QueueStatsByStatus.from_dict(d.pop("by_status"))




        def _parse_oldest_pending_age_seconds(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        oldest_pending_age_seconds = _parse_oldest_pending_age_seconds(d.pop("oldest_pending_age_seconds"))


        finished_last_minute = d.pop("finished_last_minute")

        queue_stats = cls(
            queue=queue,
            paused=paused,
            max_concurrency=max_concurrency,
            running=running,
            by_status=by_status,
            oldest_pending_age_seconds=oldest_pending_age_seconds,
            finished_last_minute=finished_last_minute,
        )


        queue_stats.additional_properties = d
        return queue_stats

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
