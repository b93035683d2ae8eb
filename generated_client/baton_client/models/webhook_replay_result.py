from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="WebhookReplayResult")



@_attrs_define
class WebhookReplayResult:
    """ 
        Attributes:
            queued (int): Messages queued again.
            scanned_up_to (int): The last event id looked at.
            complete (bool): False: the 5000-message limit was reached; replay on from `scanned_up_to`.
     """

    queued: int
    scanned_up_to: int
    complete: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        queued = self.queued

        scanned_up_to = self.scanned_up_to

        complete = self.complete


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "queued": queued,
            "scanned_up_to": scanned_up_to,
            "complete": complete,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        queued = d.pop("queued")

        scanned_up_to = d.pop("scanned_up_to")

        complete = d.pop("complete")

        webhook_replay_result = cls(
            queued=queued,
            scanned_up_to=scanned_up_to,
            complete=complete,
        )


        webhook_replay_result.additional_properties = d
        return webhook_replay_result

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
