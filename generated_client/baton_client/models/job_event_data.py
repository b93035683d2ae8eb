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
  from ..models.job_event_data_labels import JobEventDataLabels





T = TypeVar("T", bound="JobEventData")



@_attrs_define
class JobEventData:
    """ A job as it is after the change (`job.*` events).

        Attributes:
            job_id (str):
            name (str):
            queue (str):
            status (JobStatus): `waiting`: a workflow step waiting on the steps it depends on (see the workflows tag).
            previous_status (None | str): The status before the move (null for `job.created`).
            attempt (int):
            retries_used (int):
            worker (None | str):
            exit_code (int | None):
            error (None | str): The job's error, at most 500 characters.
            run_at (datetime.datetime):
            owner (str):
            labels (JobEventDataLabels | Unset): The job's labels (events written before webhooks existed have none).
            task (None | str | Unset): The registered Python task it runs; null for a command (events written before tasks
                existed have none).
            workflow_id (None | str | Unset): The workflow whose step the job is (events written before workflows existed
                have none).
            step (None | str | Unset): The job's step name in that workflow.
     """

    job_id: str
    name: str
    queue: str
    status: JobStatus
    previous_status: None | str
    attempt: int
    retries_used: int
    worker: None | str
    exit_code: int | None
    error: None | str
    run_at: datetime.datetime
    owner: str
    labels: JobEventDataLabels | Unset = UNSET
    task: None | str | Unset = UNSET
    workflow_id: None | str | Unset = UNSET
    step: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.job_event_data_labels import JobEventDataLabels # noqa: PLC0415
        job_id = self.job_id

        name = self.name

        queue = self.queue

        status = self.status.value

        previous_status: None | str
        previous_status = self.previous_status

        attempt = self.attempt

        retries_used = self.retries_used

        worker: None | str
        worker = self.worker

        exit_code: int | None
        exit_code = self.exit_code

        error: None | str
        error = self.error

        run_at = self.run_at.isoformat()

        owner = self.owner

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        task: None | str | Unset
        if isinstance(self.task, Unset):
            task = UNSET
        else:
            task = self.task

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
            "job_id": job_id,
            "name": name,
            "queue": queue,
            "status": status,
            "previous_status": previous_status,
            "attempt": attempt,
            "retries_used": retries_used,
            "worker": worker,
            "exit_code": exit_code,
            "error": error,
            "run_at": run_at,
            "owner": owner,
        })
        if labels is not UNSET:
            field_dict["labels"] = labels
        if task is not UNSET:
            field_dict["task"] = task
        if workflow_id is not UNSET:
            field_dict["workflow_id"] = workflow_id
        if step is not UNSET:
            field_dict["step"] = step

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_event_data_labels import JobEventDataLabels # noqa: PLC0415
        d = dict(src_dict)
        job_id = d.pop("job_id")

        name = d.pop("name")

        queue = d.pop("queue")

        status = JobStatus(d.pop("status"))




        def _parse_previous_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        previous_status = _parse_previous_status(d.pop("previous_status"))


        attempt = d.pop("attempt")

        retries_used = d.pop("retries_used")

        def _parse_worker(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        worker = _parse_worker(d.pop("worker"))


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


        run_at = datetime.datetime.fromisoformat(d.pop("run_at"))




        owner = d.pop("owner")

        _labels = d.pop("labels", UNSET)
        labels: JobEventDataLabels | Unset
        if isinstance(_labels,  Unset):
            labels = UNSET
        else:
            labels = JobEventDataLabels.from_dict(_labels)




        def _parse_task(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        task = _parse_task(d.pop("task", UNSET))


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


        job_event_data = cls(
            job_id=job_id,
            name=name,
            queue=queue,
            status=status,
            previous_status=previous_status,
            attempt=attempt,
            retries_used=retries_used,
            worker=worker,
            exit_code=exit_code,
            error=error,
            run_at=run_at,
            owner=owner,
            labels=labels,
            task=task,
            workflow_id=workflow_id,
            step=step,
        )


        job_event_data.additional_properties = d
        return job_event_data

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
