from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.worker_state import WorkerState
from ..models.worker_status import WorkerStatus
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.worker_labels import WorkerLabels





T = TypeVar("T", bound="Worker")



@_attrs_define
class Worker:
    """ 
        Attributes:
            id (str): A UUID in canonical form.
            name (str):
            hostname (str):
            queues (list[str]):
            labels (WorkerLabels):
            capacity (int):
            load (int): As last reported by the worker.
            running_jobs (int): Jobs running on it by the database.
            state (WorkerState): `draining`: the worker gets no new jobs (one-way).
            status (WorkerStatus): Derived from the time since the worker's last heartbeat (or claim): `online` below 2
                heartbeat intervals (`BATON_WORKER_HEARTBEAT_SECONDS`), `stale` below 5, else `offline`.
            registered_at (datetime.datetime):
            last_heartbeat_at (datetime.datetime):
            heartbeat_interval_seconds (float): How often the worker should send a heartbeat.
            tasks (list[str]): The registered Python tasks it can run.
     """

    id: str
    name: str
    hostname: str
    queues: list[str]
    labels: WorkerLabels
    capacity: int
    load: int
    running_jobs: int
    state: WorkerState
    status: WorkerStatus
    registered_at: datetime.datetime
    last_heartbeat_at: datetime.datetime
    heartbeat_interval_seconds: float
    tasks: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.worker_labels import WorkerLabels # noqa: PLC0415
        id = self.id

        name = self.name

        hostname = self.hostname

        queues = self.queues



        labels = self.labels.to_dict()

        capacity = self.capacity

        load = self.load

        running_jobs = self.running_jobs

        state = self.state.value

        status = self.status.value

        registered_at = self.registered_at.isoformat()

        last_heartbeat_at = self.last_heartbeat_at.isoformat()

        heartbeat_interval_seconds = self.heartbeat_interval_seconds

        tasks = self.tasks




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
            "hostname": hostname,
            "queues": queues,
            "labels": labels,
            "capacity": capacity,
            "load": load,
            "running_jobs": running_jobs,
            "state": state,
            "status": status,
            "registered_at": registered_at,
            "last_heartbeat_at": last_heartbeat_at,
            "heartbeat_interval_seconds": heartbeat_interval_seconds,
            "tasks": tasks,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.worker_labels import WorkerLabels # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        hostname = d.pop("hostname")

        queues = cast(list[str], d.pop("queues"))


        labels = WorkerLabels.from_dict(d.pop("labels"))




        capacity = d.pop("capacity")

        load = d.pop("load")

        running_jobs = d.pop("running_jobs")

        state = WorkerState(d.pop("state"))




        status = WorkerStatus(d.pop("status"))




        registered_at = datetime.datetime.fromisoformat(d.pop("registered_at"))




        last_heartbeat_at = datetime.datetime.fromisoformat(d.pop("last_heartbeat_at"))




        heartbeat_interval_seconds = d.pop("heartbeat_interval_seconds")

        tasks = cast(list[str], d.pop("tasks"))


        worker = cls(
            id=id,
            name=name,
            hostname=hostname,
            queues=queues,
            labels=labels,
            capacity=capacity,
            load=load,
            running_jobs=running_jobs,
            state=state,
            status=status,
            registered_at=registered_at,
            last_heartbeat_at=last_heartbeat_at,
            heartbeat_interval_seconds=heartbeat_interval_seconds,
            tasks=tasks,
        )


        worker.additional_properties = d
        return worker

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
