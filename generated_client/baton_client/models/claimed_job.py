from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.claimed_job_labels import ClaimedJobLabels
  from ..models.claimed_job_payload_type_0 import ClaimedJobPayloadType0





T = TypeVar("T", bound="ClaimedJob")



@_attrs_define
class ClaimedJob:
    """ 
        Attributes:
            id (str): A UUID in canonical form.
            name (str):
            queue (str):
            command (list[str]): `[]` for a task job.
            task (None | str): The registered Python task to run; null for a command.
            payload (ClaimedJobPayloadType0 | None): The task's JSON input; null for a command.
            priority (int):
            labels (ClaimedJobLabels):
            timeout_seconds (int): Kill the command after this long and report `fail` with `timed_out`.
            attempt (int): Send it back with every lease, complete and fail call.
            lease_expires_at (datetime.datetime):
     """

    id: str
    name: str
    queue: str
    command: list[str]
    task: None | str
    payload: ClaimedJobPayloadType0 | None
    priority: int
    labels: ClaimedJobLabels
    timeout_seconds: int
    attempt: int
    lease_expires_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.claimed_job_labels import ClaimedJobLabels # noqa: PLC0415
        from ..models.claimed_job_payload_type_0 import ClaimedJobPayloadType0 # noqa: PLC0415
        id = self.id

        name = self.name

        queue = self.queue

        command = self.command



        task: None | str
        task = self.task

        payload: dict[str, Any] | None
        if isinstance(self.payload, ClaimedJobPayloadType0):
            payload = self.payload.to_dict()
        else:
            payload = self.payload

        priority = self.priority

        labels = self.labels.to_dict()

        timeout_seconds = self.timeout_seconds

        attempt = self.attempt

        lease_expires_at = self.lease_expires_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
            "queue": queue,
            "command": command,
            "task": task,
            "payload": payload,
            "priority": priority,
            "labels": labels,
            "timeout_seconds": timeout_seconds,
            "attempt": attempt,
            "lease_expires_at": lease_expires_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.claimed_job_labels import ClaimedJobLabels # noqa: PLC0415
        from ..models.claimed_job_payload_type_0 import ClaimedJobPayloadType0 # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        queue = d.pop("queue")

        command = cast(list[str], d.pop("command"))


        def _parse_task(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        task = _parse_task(d.pop("task"))


        def _parse_payload(data: object) -> ClaimedJobPayloadType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payload_type_0 = ClaimedJobPayloadType0.from_dict(data)



                return payload_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ClaimedJobPayloadType0 | None, data)

        payload = _parse_payload(d.pop("payload"))


        priority = d.pop("priority")

        labels = ClaimedJobLabels.from_dict(d.pop("labels"))




        timeout_seconds = d.pop("timeout_seconds")

        attempt = d.pop("attempt")

        lease_expires_at = datetime.datetime.fromisoformat(d.pop("lease_expires_at"))




        claimed_job = cls(
            id=id,
            name=name,
            queue=queue,
            command=command,
            task=task,
            payload=payload,
            priority=priority,
            labels=labels,
            timeout_seconds=timeout_seconds,
            attempt=attempt,
            lease_expires_at=lease_expires_at,
        )


        claimed_job.additional_properties = d
        return claimed_job

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
