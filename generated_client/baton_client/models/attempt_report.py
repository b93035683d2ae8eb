from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="AttemptReport")



@_attrs_define
class AttemptReport:
    """ 
        Attributes:
            worker_id (str): A UUID in canonical form.
            attempt (int):
            exit_code (int | None | Unset):
            stdout (str | Unset):  Default: ''.
            stderr (str | Unset):  Default: ''.
            error (None | str | Unset): Why the attempt failed.
            timed_out (bool | Unset): `fail` only: the command ran past its timeout. Default: False.
            result (Any | Unset): `complete` only: a task job's JSON result. More than 64 KiB encoded fails the attempt
                instead (its error says so).
     """

    worker_id: str
    attempt: int
    exit_code: int | None | Unset = UNSET
    stdout: str | Unset = ''
    stderr: str | Unset = ''
    error: None | str | Unset = UNSET
    timed_out: bool | Unset = False
    result: Any | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        worker_id = self.worker_id

        attempt = self.attempt

        exit_code: int | None | Unset
        if isinstance(self.exit_code, Unset):
            exit_code = UNSET
        else:
            exit_code = self.exit_code

        stdout = self.stdout

        stderr = self.stderr

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        timed_out = self.timed_out

        result = self.result


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "worker_id": worker_id,
            "attempt": attempt,
        })
        if exit_code is not UNSET:
            field_dict["exit_code"] = exit_code
        if stdout is not UNSET:
            field_dict["stdout"] = stdout
        if stderr is not UNSET:
            field_dict["stderr"] = stderr
        if error is not UNSET:
            field_dict["error"] = error
        if timed_out is not UNSET:
            field_dict["timed_out"] = timed_out
        if result is not UNSET:
            field_dict["result"] = result

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        worker_id = d.pop("worker_id")

        attempt = d.pop("attempt")

        def _parse_exit_code(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        exit_code = _parse_exit_code(d.pop("exit_code", UNSET))


        stdout = d.pop("stdout", UNSET)

        stderr = d.pop("stderr", UNSET)

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))


        timed_out = d.pop("timed_out", UNSET)

        result = d.pop("result", UNSET)

        attempt_report = cls(
            worker_id=worker_id,
            attempt=attempt,
            exit_code=exit_code,
            stdout=stdout,
            stderr=stderr,
            error=error,
            timed_out=timed_out,
            result=result,
        )

        return attempt_report

