from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="WebhookLastAttemptType0")



@_attrs_define
class WebhookLastAttemptType0:
    """ The last finished attempt (null before the first has finished).

        Attributes:
            at (datetime.datetime):
            status_code (int | None): The receiver's HTTP status; null when there was no answer (see `error`).
            error (None | str): A network error, timeout, refused address or redirect, in one line.
            duration_seconds (float | None):
            response_body (None | str): The first 4 KiB of the receiver's answer.
     """

    at: datetime.datetime
    status_code: int | None
    error: None | str
    duration_seconds: float | None
    response_body: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        status_code: int | None
        status_code = self.status_code

        error: None | str
        error = self.error

        duration_seconds: float | None
        duration_seconds = self.duration_seconds

        response_body: None | str
        response_body = self.response_body


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "at": at,
            "status_code": status_code,
            "error": error,
            "duration_seconds": duration_seconds,
            "response_body": response_body,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))




        def _parse_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status_code = _parse_status_code(d.pop("status_code"))


        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))


        def _parse_duration_seconds(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        duration_seconds = _parse_duration_seconds(d.pop("duration_seconds"))


        def _parse_response_body(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        response_body = _parse_response_body(d.pop("response_body"))


        webhook_last_attempt_type_0 = cls(
            at=at,
            status_code=status_code,
            error=error,
            duration_seconds=duration_seconds,
            response_body=response_body,
        )


        webhook_last_attempt_type_0.additional_properties = d
        return webhook_last_attempt_type_0

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
