from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.webhook_event_type import WebhookEventType
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.webhook_filters_patch import WebhookFiltersPatch





T = TypeVar("T", bound="WebhookPatch")



@_attrs_define
class WebhookPatch:
    """ A JSON Merge Patch of a webhook; an empty object changes nothing.

        Attributes:
            name (str | Unset):
            description (str | Unset):
            url (str | Unset): `https://` (or `http://` where the server allows it) and a public address; at most 2048
                characters.
            events (list[WebhookEventType] | Unset):
            filters (WebhookFiltersPatch | Unset): A JSON Merge Patch of the filters.
            enabled (bool | Unset):
            parallel (bool | Unset):
     """

    name: str | Unset = UNSET
    description: str | Unset = UNSET
    url: str | Unset = UNSET
    events: list[WebhookEventType] | Unset = UNSET
    filters: WebhookFiltersPatch | Unset = UNSET
    enabled: bool | Unset = UNSET
    parallel: bool | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.webhook_filters_patch import WebhookFiltersPatch # noqa: PLC0415
        name = self.name

        description = self.description

        url = self.url

        events: list[str] | Unset = UNSET
        if not isinstance(self.events, Unset):
            events = []
            for events_item_data in self.events:
                events_item = events_item_data.value
                events.append(events_item)



        filters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.filters, Unset):
            filters = self.filters.to_dict()

        enabled = self.enabled

        parallel = self.parallel


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if url is not UNSET:
            field_dict["url"] = url
        if events is not UNSET:
            field_dict["events"] = events
        if filters is not UNSET:
            field_dict["filters"] = filters
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if parallel is not UNSET:
            field_dict["parallel"] = parallel

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_filters_patch import WebhookFiltersPatch # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        description = d.pop("description", UNSET)

        url = d.pop("url", UNSET)

        _events = d.pop("events", UNSET)
        events: list[WebhookEventType] | Unset = UNSET
        if _events is not UNSET:
            events = []
            for events_item_data in _events:
                events_item = WebhookEventType(events_item_data)



                events.append(events_item)


        _filters = d.pop("filters", UNSET)
        filters: WebhookFiltersPatch | Unset
        if isinstance(_filters,  Unset):
            filters = UNSET
        else:
            filters = WebhookFiltersPatch.from_dict(_filters)




        enabled = d.pop("enabled", UNSET)

        parallel = d.pop("parallel", UNSET)

        webhook_patch = cls(
            name=name,
            description=description,
            url=url,
            events=events,
            filters=filters,
            enabled=enabled,
            parallel=parallel,
        )

        return webhook_patch

