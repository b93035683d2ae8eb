from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.fleet_jobs_by_status import FleetJobsByStatus
  from ..models.fleet_workers import FleetWorkers
  from ..models.queue_depth import QueueDepth





T = TypeVar("T", bound="Fleet")



@_attrs_define
class Fleet:
    """ 
        Attributes:
            workers (FleetWorkers):
            capacity (int): Summed capacity of the workers not offline.
            load (int): Summed reported load of the workers not offline.
            running_on_workers (int): Jobs running on pull workers (any status).
            jobs_by_status (FleetJobsByStatus): Every job (all owners) in each state.
            queues (list[QueueDepth]): Queues with pending or running jobs, by name.
            heartbeat_interval_seconds (float):
     """

    workers: FleetWorkers
    capacity: int
    load: int
    running_on_workers: int
    jobs_by_status: FleetJobsByStatus
    queues: list[QueueDepth]
    heartbeat_interval_seconds: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.fleet_jobs_by_status import FleetJobsByStatus # noqa: PLC0415
        from ..models.fleet_workers import FleetWorkers # noqa: PLC0415
        from ..models.queue_depth import QueueDepth # noqa: PLC0415
        workers = self.workers.to_dict()

        capacity = self.capacity

        load = self.load

        running_on_workers = self.running_on_workers

        jobs_by_status = self.jobs_by_status.to_dict()

        queues = []
        for queues_item_data in self.queues:
            queues_item = queues_item_data.to_dict()
            queues.append(queues_item)



        heartbeat_interval_seconds = self.heartbeat_interval_seconds


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "workers": workers,
            "capacity": capacity,
            "load": load,
            "running_on_workers": running_on_workers,
            "jobs_by_status": jobs_by_status,
            "queues": queues,
            "heartbeat_interval_seconds": heartbeat_interval_seconds,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fleet_jobs_by_status import FleetJobsByStatus # noqa: PLC0415
        from ..models.fleet_workers import FleetWorkers # noqa: PLC0415
        from ..models.queue_depth import QueueDepth # noqa: PLC0415
        d = dict(src_dict)
        workers = FleetWorkers.from_dict(d.pop("workers"))




        capacity = d.pop("capacity")

        load = d.pop("load")

        running_on_workers = d.pop("running_on_workers")

        jobs_by_status = FleetJobsByStatus.from_dict(d.pop("jobs_by_status"))




        queues = []
        _queues = d.pop("queues")
        for queues_item_data in (_queues):
            queues_item = QueueDepth.from_dict(queues_item_data)



            queues.append(queues_item)


        heartbeat_interval_seconds = d.pop("heartbeat_interval_seconds")

        fleet = cls(
            workers=workers,
            capacity=capacity,
            load=load,
            running_on_workers=running_on_workers,
            jobs_by_status=jobs_by_status,
            queues=queues,
            heartbeat_interval_seconds=heartbeat_interval_seconds,
        )


        fleet.additional_properties = d
        return fleet

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
