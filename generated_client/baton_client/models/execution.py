from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.execution_status import ExecutionStatus
from typing import cast
import datetime






T = TypeVar("T", bound="Execution")



@_attrs_define
class Execution:
    """ 
        Attributes:
            attempt (int):
            status (ExecutionStatus): `lost`: the worker running it stopped answering (for example the server died).
            worker (str):
            started_at (datetime.datetime):
            finished_at (datetime.datetime | None):
            duration_seconds (float | None):
            exit_code (int | None):
            stdout (str): The output's tail (at most 64 KiB, UTF-8, invalid bytes replaced).
            stderr (str):
            stdout_truncated (bool): True when earlier output was dropped.
            stderr_truncated (bool):
            error (None | str):
            result (Any): A task job's JSON result (any JSON value), at most 64 KiB encoded: a larger one (or one
                JSON cannot hold) fails the attempt instead. Null for commands and unfinished attempts.
     """

    attempt: int
    status: ExecutionStatus
    worker: str
    started_at: datetime.datetime
    finished_at: datetime.datetime | None
    duration_seconds: float | None
    exit_code: int | None
    stdout: str
    stderr: str
    stdout_truncated: bool
    stderr_truncated: bool
    error: None | str
    result: Any
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        attempt = self.attempt

        status = self.status.value

        worker = self.worker

        started_at = self.started_at.isoformat()

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        duration_seconds: float | None
        duration_seconds = self.duration_seconds

        exit_code: int | None
        exit_code = self.exit_code

        stdout = self.stdout

        stderr = self.stderr

        stdout_truncated = self.stdout_truncated

        stderr_truncated = self.stderr_truncated

        error: None | str
        error = self.error

        result = self.result


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attempt": attempt,
            "status": status,
            "worker": worker,
            "started_at": started_at,
            "finished_at": finished_at,
            "duration_seconds": duration_seconds,
            "exit_code": exit_code,
            "stdout": stdout,
            "stderr": stderr,
            "stdout_truncated": stdout_truncated,
            "stderr_truncated": stderr_truncated,
            "error": error,
            "result": result,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempt = d.pop("attempt")

        status = ExecutionStatus(d.pop("status"))




        worker = d.pop("worker")

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))




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


        def _parse_duration_seconds(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        duration_seconds = _parse_duration_seconds(d.pop("duration_seconds"))


        def _parse_exit_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        exit_code = _parse_exit_code(d.pop("exit_code"))


        stdout = d.pop("stdout")

        stderr = d.pop("stderr")

        stdout_truncated = d.pop("stdout_truncated")

        stderr_truncated = d.pop("stderr_truncated")

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))


        result = d.pop("result")

        execution = cls(
            attempt=attempt,
            status=status,
            worker=worker,
            started_at=started_at,
            finished_at=finished_at,
            duration_seconds=duration_seconds,
            exit_code=exit_code,
            stdout=stdout,
            stderr=stderr,
            stdout_truncated=stdout_truncated,
            stderr_truncated=stderr_truncated,
            error=error,
            result=result,
        )


        execution.additional_properties = d
        return execution

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
