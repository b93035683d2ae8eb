from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.worker_event_data_state import WorkerEventDataState
from ..models.worker_event_data_status import WorkerEventDataStatus
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="WorkerEventData")



@_attrs_define
class WorkerEventData:
    """ A pull worker as it is after the change (`worker.*` events).

        Attributes:
            worker_id (str):
            name (str):
            hostname (str):
            queues (list[str]):
            state (WorkerEventDataState):
            capacity (int):
            last_heartbeat_at (datetime.datetime):
            status (WorkerEventDataStatus | Unset): The derived status (`worker.online`, `worker.stale`, `worker.offline`).
     """

    worker_id: str
    name: str
    hostname: str
    queues: list[str]
    state: WorkerEventDataState
    capacity: int
    last_heartbeat_at: datetime.datetime
    status: WorkerEventDataStatus | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        worker_id = self.worker_id

        name = self.name

        hostname = self.hostname

        queues = self.queues



        state = self.state.value

        capacity = self.capacity

        last_heartbeat_at = self.last_heartbeat_at.isoformat()

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value



        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "worker_id": worker_id,
            "name": name,
            "hostname": hostname,
            "queues": queues,
            "state": state,
            "capacity": capacity,
            "last_heartbeat_at": last_heartbeat_at,
        })
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        worker_id = d.pop("worker_id")

        name = d.pop("name")

        hostname = d.pop("hostname")

        queues = cast(list[str], d.pop("queues"))


        state = WorkerEventDataState(d.pop("state"))




        capacity = d.pop("capacity")

        last_heartbeat_at = datetime.datetime.fromisoformat(d.pop("last_heartbeat_at"))




        _status = d.pop("status", UNSET)
        status: WorkerEventDataStatus | Unset
        if isinstance(_status,  Unset):
            status = UNSET
        else:
            status = WorkerEventDataStatus(_status)




        worker_event_data = cls(
            worker_id=worker_id,
            name=name,
            hostname=hostname,
            queues=queues,
            state=state,
            capacity=capacity,
            last_heartbeat_at=last_heartbeat_at,
            status=status,
        )


        worker_event_data.additional_properties = d
        return worker_event_data

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
