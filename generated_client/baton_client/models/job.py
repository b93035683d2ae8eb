from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.job_status import JobStatus
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.job_labels import JobLabels
  from ..models.job_payload_type_0 import JobPayloadType0





T = TypeVar("T", bound="Job")



@_attrs_define
class Job:
    """ 
        Attributes:
            id (str): A UUID in canonical form.
            name (str):
            queue (str):
            command (list[str]):
            priority (int):
            timeout_seconds (int):
            max_retries (int):
            retry_backoff_seconds (int):
            labels (JobLabels):
            status (JobStatus): `waiting`: a workflow step waiting on the steps it depends on (see the workflows tag).
            attempt (int): Number of attempts started so far.
            retries_used (int): Automatic retries used since the job was submitted or last retried by hand.
            run_at (datetime.datetime): When the job becomes (or became) due.
            owner (str): Username of the job's owner.
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            started_at (datetime.datetime | None):
            finished_at (datetime.datetime | None):
            exit_code (int | None):
            error (None | str): Why the last attempt did not succeed.
            schedule_id (None | str): The schedule that created the job (null for a job submitted otherwise).
            task (None | str): The registered Python task it runs (then `command` is `[]`); null for a command job.
            payload (JobPayloadType0 | None): The task's JSON input; null for a command job.
            workflow_id (None | str | Unset): The workflow whose step this job is (null for a job of its own).
            step (None | str | Unset): The step's name in that workflow.
     """

    id: str
    name: str
    queue: str
    command: list[str]
    priority: int
    timeout_seconds: int
    max_retries: int
    retry_backoff_seconds: int
    labels: JobLabels
    status: JobStatus
    attempt: int
    retries_used: int
    run_at: datetime.datetime
    owner: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    exit_code: int | None
    error: None | str
    schedule_id: None | str
    task: None | str
    payload: JobPayloadType0 | None
    workflow_id: None | str | Unset = UNSET
    step: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.job_labels import JobLabels # noqa: PLC0415
        from ..models.job_payload_type_0 import JobPayloadType0 # noqa: PLC0415
        id = self.id

        name = self.name

        queue = self.queue

        command = self.command



        priority = self.priority

        timeout_seconds = self.timeout_seconds

        max_retries = self.max_retries

        retry_backoff_seconds = self.retry_backoff_seconds

        labels = self.labels.to_dict()

        status = self.status.value

        attempt = self.attempt

        retries_used = self.retries_used

        run_at = self.run_at.isoformat()

        owner = self.owner

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        exit_code: int | None
        exit_code = self.exit_code

        error: None | str
        error = self.error

        schedule_id: None | str
        schedule_id = self.schedule_id

        task: None | str
        task = self.task

        payload: dict[str, Any] | None
        if isinstance(self.payload, JobPayloadType0):
            payload = self.payload.to_dict()
        else:
            payload = self.payload

        workflow_id: None | str | Unset
        if isinstance(self.workflow_id, Unset):
            workflow_id = UNSET
        else:
            workflow_id = self.workflow_id

        step: None | str | Unset
        if isinstance(self.step, Unset):
            step = UNSET
        else:
            step = self.step


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
            "queue": queue,
            "command": command,
            "priority": priority,
            "timeout_seconds": timeout_seconds,
            "max_retries": max_retries,
            "retry_backoff_seconds": retry_backoff_seconds,
            "labels": labels,
            "status": status,
            "attempt": attempt,
            "retries_used": retries_used,
            "run_at": run_at,
            "owner": owner,
            "created_at": created_at,
            "updated_at": updated_at,
            "started_at": started_at,
            "finished_at": finished_at,
            "exit_code": exit_code,
            "error": error,
            "schedule_id": schedule_id,
            "task": task,
            "payload": payload,
        })
        if workflow_id is not UNSET:
            field_dict["workflow_id"] = workflow_id
        if step is not UNSET:
            field_dict["step"] = step

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_labels import JobLabels # noqa: PLC0415
        from ..models.job_payload_type_0 import JobPayloadType0 # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        queue = d.pop("queue")

        command = cast(list[str], d.pop("command"))


        priority = d.pop("priority")

        timeout_seconds = d.pop("timeout_seconds")

        max_retries = d.pop("max_retries")

        retry_backoff_seconds = d.pop("retry_backoff_seconds")

        labels = JobLabels.from_dict(d.pop("labels"))




        status = JobStatus(d.pop("status"))




        attempt = d.pop("attempt")

        retries_used = d.pop("retries_used")

        run_at = datetime.datetime.fromisoformat(d.pop("run_at"))




        owner = d.pop("owner")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)



                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))


        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)



                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))


        def _parse_exit_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        exit_code = _parse_exit_code(d.pop("exit_code"))


        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))


        def _parse_schedule_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        schedule_id = _parse_schedule_id(d.pop("schedule_id"))


        def _parse_task(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        task = _parse_task(d.pop("task"))


        def _parse_payload(data: object) -> JobPayloadType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payload_type_0 = JobPayloadType0.from_dict(data)



                return payload_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobPayloadType0 | None, data)

        payload = _parse_payload(d.pop("payload"))


        def _parse_workflow_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        workflow_id = _parse_workflow_id(d.pop("workflow_id", UNSET))


        def _parse_step(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        step = _parse_step(d.pop("step", UNSET))


        job = cls(
            id=id,
            name=name,
            queue=queue,
            command=command,
            priority=priority,
            timeout_seconds=timeout_seconds,
            max_retries=max_retries,
            retry_backoff_seconds=retry_backoff_seconds,
            labels=labels,
            status=status,
            attempt=attempt,
            retries_used=retries_used,
            run_at=run_at,
            owner=owner,
            created_at=created_at,
            updated_at=updated_at,
            started_at=started_at,
            finished_at=finished_at,
            exit_code=exit_code,
            error=error,
            schedule_id=schedule_id,
            task=task,
            payload=payload,
            workflow_id=workflow_id,
            step=step,
        )


        job.additional_properties = d
        return job

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
