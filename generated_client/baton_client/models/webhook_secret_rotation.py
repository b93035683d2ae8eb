from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="WebhookSecretRotation")



@_attrs_define
class WebhookSecretRotation:
    """ 
        Attributes:
            previous_secret_seconds (int | Unset): How long the current secret keeps signing beside the new one; 0: it stops
                at once. Default: 86400.
     """

    previous_secret_seconds: int | Unset = 86400





    def to_dict(self) -> dict[str, Any]:
        previous_secret_seconds = self.previous_secret_seconds


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if previous_secret_seconds is not UNSET:
            field_dict["previous_secret_seconds"] = previous_secret_seconds

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        previous_secret_seconds = d.pop("previous_secret_seconds", UNSET)

        webhook_secret_rotation = cls(
            previous_secret_seconds=previous_secret_seconds,
        )

        return webhook_secret_rotation

