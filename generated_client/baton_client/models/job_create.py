from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.job_create_payload import JobCreatePayload
  from ..models.labels import Labels





T = TypeVar("T", bound="JobCreate")



@_attrs_define
class JobCreate:
    """ A job runs either a `command` (a program, in a subprocess) or a registered Python `task`
    with a JSON `payload` (in the worker process): exactly one of `command` and `task`, else
    422 `COMMAND_OR_TASK`. A task no worker has registered is 422 `UNKNOWN_TASK`.

        Attributes:
            name (str | Unset): Human-readable name; defaults to the command or the task's name.
            queue (str | Unset):  Default: 'default'.
            command (list[str] | Unset): Program and arguments, run without a shell. Exclusive with `task`.
            task (str | Unset): A registered Python task's name, dotted identifiers (`reports.build`).
            payload (JobCreatePayload | Unset): The task's input, passed to it as a dict; only with `task`. Omitted with a
                task, `{}`.
            timeout_seconds (int | Unset): The process is killed (and the attempt ends `timed_out`) after this many seconds.
                Omitted: the queue's `default_timeout_seconds`, else 3600.
            max_retries (int | Unset): Automatic re-runs after a failure or timeout. Omitted: the queue's
                `default_max_retries`, else 0.
            retry_backoff_seconds (int | Unset): Delay before the first automatic retry; it doubles for each further retry
                (capped at one day). Default: 10.
            priority (int | Unset): 9 runs first. Default: 5.
            labels (Labels | Unset): Free-form key/value labels (at most 32). Keys start with a letter or digit and use
                letters,
                digits, `_`, `.`, `-` and `/`, up to 63 characters.
            run_at (datetime.datetime | None | Unset): Do not start before this time (RFC 3339 with offset); omitted or null
                means now.
     """

    name: str | Unset = UNSET
    queue: str | Unset = 'default'
    command: list[str] | Unset = UNSET
    task: str | Unset = UNSET
    payload: JobCreatePayload | Unset = UNSET
    timeout_seconds: int | Unset = UNSET
    max_retries: int | Unset = UNSET
    retry_backoff_seconds: int | Unset = 10
    priority: int | Unset = 5
    labels: Labels | Unset = UNSET
    run_at: datetime.datetime | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.job_create_payload import JobCreatePayload # noqa: PLC0415
        from ..models.labels import Labels # noqa: PLC0415
        name = self.name

        queue = self.queue

        command: list[str] | Unset = UNSET
        if not isinstance(self.command, Unset):
            command = self.command



        task = self.task

        payload: dict[str, Any] | Unset = UNSET
        if not isinstance(self.payload, Unset):
            payload = self.payload.to_dict()

        timeout_seconds = self.timeout_seconds

        max_retries = self.max_retries

        retry_backoff_seconds = self.retry_backoff_seconds

        priority = self.priority

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        run_at: None | str | Unset
        if isinstance(self.run_at, Unset):
            run_at = UNSET
        elif isinstance(self.run_at, datetime.datetime):
            run_at = self.run_at.isoformat()
        else:
            run_at = self.run_at


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if name is not UNSET:
            field_dict["name"] = name
        if queue is not UNSET:
            field_dict["queue"] = queue
        if command is not UNSET:
            field_dict["command"] = command
        if task is not UNSET:
            field_dict["task"] = task
        if payload is not UNSET:
            field_dict["payload"] = payload
        if timeout_seconds is not UNSET:
            field_dict["timeout_seconds"] = timeout_seconds
        if max_retries is not UNSET:
            field_dict["max_retries"] = max_retries
        if retry_backoff_seconds is not UNSET:
            field_dict["retry_backoff_seconds"] = retry_backoff_seconds
        if priority is not UNSET:
            field_dict["priority"] = priority
        if labels is not UNSET:
            field_dict["labels"] = labels
        if run_at is not UNSET:
            field_dict["run_at"] = run_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_create_payload import JobCreatePayload # noqa: PLC0415
        from ..models.labels import Labels # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        queue = d.pop("queue", UNSET)

        command = cast(list[str], d.pop("command", UNSET))


        task = d.pop("task", UNSET)

        _payload = d.pop("payload", UNSET)
        payload: JobCreatePayload | Unset
        if isinstance(_payload,  Unset):
            payload = UNSET
        else:
            payload = JobCreatePayload.from_dict(_payload)




        timeout_seconds = d.pop("timeout_seconds", UNSET)

        max_retries = d.pop("max_retries", UNSET)

        retry_backoff_seconds = d.pop("retry_backoff_seconds", UNSET)

        priority = d.pop("priority", UNSET)

        _labels = d.pop("labels", UNSET)
        labels: Labels | Unset
        if isinstance(_labels,  Unset):
            labels = UNSET
        else:
            labels = Labels.from_dict(_labels)




        def _parse_run_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                run_at_type_0 = datetime.datetime.fromisoformat(data)



                return run_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        run_at = _parse_run_at(d.pop("run_at", UNSET))


        job_create = cls(
            name=name,
            queue=queue,
            command=command,
            task=task,
            payload=payload,
            timeout_seconds=timeout_seconds,
            max_retries=max_retries,
            retry_backoff_seconds=retry_backoff_seconds,
            priority=priority,
            labels=labels,
            run_at=run_at,
        )

        return job_create

