from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="Queue")



@_attrs_define
class Queue:
    """ 
        Attributes:
            name (str):
            description (str):
            max_concurrency (int | None): Most jobs of the queue running at once everywhere; null is no limit.
            default_timeout_seconds (int | None): For jobs submitted without timeout_seconds (else 3600).
            default_max_retries (int | None): For jobs submitted without max_retries (else 0).
            paused (bool): No job of a paused queue starts.
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
     """

    name: str
    description: str
    max_concurrency: int | None
    default_timeout_seconds: int | None
    default_max_retries: int | None
    paused: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        description = self.description

        max_concurrency: int | None
        max_concurrency = self.max_concurrency

        default_timeout_seconds: int | None
        default_timeout_seconds = self.default_timeout_seconds

        default_max_retries: int | None
        default_max_retries = self.default_max_retries

        paused = self.paused

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
            "description": description,
            "max_concurrency": max_concurrency,
            "default_timeout_seconds": default_timeout_seconds,
            "default_max_retries": default_max_retries,
            "paused": paused,
            "created_at": created_at,
            "updated_at": updated_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        description = d.pop("description")

        def _parse_max_concurrency(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_concurrency = _parse_max_concurrency(d.pop("max_concurrency"))


        def _parse_default_timeout_seconds(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        default_timeout_seconds = _parse_default_timeout_seconds(d.pop("default_timeout_seconds"))


        def _parse_default_max_retries(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        default_max_retries = _parse_default_max_retries(d.pop("default_max_retries"))


        paused = d.pop("paused")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        queue = cls(
            name=name,
            description=description,
            max_concurrency=max_concurrency,
            default_timeout_seconds=default_timeout_seconds,
            default_max_retries=default_max_retries,
            paused=paused,
            created_at=created_at,
            updated_at=updated_at,
        )


        queue.additional_properties = d
        return queue

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
