from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="QueuePatch")



@_attrs_define
class QueuePatch:
    """ A JSON Merge Patch of a queue; an empty object changes nothing.

        Attributes:
            description (str | Unset):
            max_concurrency (int | None | Unset):
            default_timeout_seconds (int | None | Unset):
            default_max_retries (int | None | Unset):
     """

    description: str | Unset = UNSET
    max_concurrency: int | None | Unset = UNSET
    default_timeout_seconds: int | None | Unset = UNSET
    default_max_retries: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        description = self.description

        max_concurrency: int | None | Unset
        if isinstance(self.max_concurrency, Unset):
            max_concurrency = UNSET
        else:
            max_concurrency = self.max_concurrency

        default_timeout_seconds: int | None | Unset
        if isinstance(self.default_timeout_seconds, Unset):
            default_timeout_seconds = UNSET
        else:
            default_timeout_seconds = self.default_timeout_seconds

        default_max_retries: int | None | Unset
        if isinstance(self.default_max_retries, Unset):
            default_max_retries = UNSET
        else:
            default_max_retries = self.default_max_retries


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if description is not UNSET:
            field_dict["description"] = description
        if max_concurrency is not UNSET:
            field_dict["max_concurrency"] = max_concurrency
        if default_timeout_seconds is not UNSET:
            field_dict["default_timeout_seconds"] = default_timeout_seconds
        if default_max_retries is not UNSET:
            field_dict["default_max_retries"] = default_max_retries

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description", UNSET)

        def _parse_max_concurrency(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_concurrency = _parse_max_concurrency(d.pop("max_concurrency", UNSET))


        def _parse_default_timeout_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        default_timeout_seconds = _parse_default_timeout_seconds(d.pop("default_timeout_seconds", UNSET))


        def _parse_default_max_retries(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        default_max_retries = _parse_default_max_retries(d.pop("default_max_retries", UNSET))


        queue_patch = cls(
            description=description,
            max_concurrency=max_concurrency,
            default_timeout_seconds=default_timeout_seconds,
            default_max_retries=default_max_retries,
        )

        return queue_patch

