from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="WebhookEventData")



@_attrs_define
class WebhookEventData:
    """ A webhook as it is after the change (`webhook.*` events); never its URL or secret.

        Attributes:
            webhook_id (str):
            name (str):
            owner (str):
            events (list[str]):
            enabled (bool):
            disabled_reason (None | str):
     """

    webhook_id: str
    name: str
    owner: str
    events: list[str]
    enabled: bool
    disabled_reason: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        webhook_id = self.webhook_id

        name = self.name

        owner = self.owner

        events = self.events



        enabled = self.enabled

        disabled_reason: None | str
        disabled_reason = self.disabled_reason


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "webhook_id": webhook_id,
            "name": name,
            "owner": owner,
            "events": events,
            "enabled": enabled,
            "disabled_reason": disabled_reason,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        webhook_id = d.pop("webhook_id")

        name = d.pop("name")

        owner = d.pop("owner")

        events = cast(list[str], d.pop("events"))


        enabled = d.pop("enabled")

        def _parse_disabled_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        disabled_reason = _parse_disabled_reason(d.pop("disabled_reason"))


        webhook_event_data = cls(
            webhook_id=webhook_id,
            name=name,
            owner=owner,
            events=events,
            enabled=enabled,
            disabled_reason=disabled_reason,
        )


        webhook_event_data.additional_properties = d
        return webhook_event_data

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
