from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="QueueStatsByStatus")



@_attrs_define
class QueueStatsByStatus:
    """ Jobs of the queue in each state.

        Attributes:
            waiting (int):
            scheduled (int):
            pending (int):
            running (int):
            completed (int):
            failed (int):
            cancelled (int):
            timed_out (int):
     """

    waiting: int
    scheduled: int
    pending: int
    running: int
    completed: int
    failed: int
    cancelled: int
    timed_out: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        waiting = self.waiting

        scheduled = self.scheduled

        pending = self.pending

        running = self.running

        completed = self.completed

        failed = self.failed

        cancelled = self.cancelled

        timed_out = self.timed_out


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "waiting": waiting,
            "scheduled": scheduled,
            "pending": pending,
            "running": running,
            "completed": completed,
            "failed": failed,
            "cancelled": cancelled,
            "timed_out": timed_out,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        waiting = d.pop("waiting")

        scheduled = d.pop("scheduled")

        pending = d.pop("pending")

        running = d.pop("running")

        completed = d.pop("completed")

        failed = d.pop("failed")

        cancelled = d.pop("cancelled")

        timed_out = d.pop("timed_out")

        queue_stats_by_status = cls(
            waiting=waiting,
            scheduled=scheduled,
            pending=pending,
            running=running,
            completed=completed,
            failed=failed,
            cancelled=cancelled,
            timed_out=timed_out,
        )


        queue_stats_by_status.additional_properties = d
        return queue_stats_by_status

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
