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
  from ..models.webhook_filters_create import WebhookFiltersCreate





T = TypeVar("T", bound="WebhookCreate")



@_attrs_define
class WebhookCreate:
    """ 
        Attributes:
            name (str):
            url (str): `https://` (or `http://` where the server allows it) and a public address; at most 2048 characters.
            events (list[WebhookEventType]):
            description (str | Unset):  Default: ''.
            filters (WebhookFiltersCreate | Unset): Narrow what the webhook gets; every filter given must match.
            enabled (bool | Unset):  Default: True.
            parallel (bool | Unset): Deliver several messages at once, in any order (default: one at a time, in event
                order). Default: False.
     """

    name: str
    url: str
    events: list[WebhookEventType]
    description: str | Unset = ''
    filters: WebhookFiltersCreate | Unset = UNSET
    enabled: bool | Unset = True
    parallel: bool | Unset = False





    def to_dict(self) -> dict[str, Any]:
        from ..models.webhook_filters_create import WebhookFiltersCreate # noqa: PLC0415
        name = self.name

        url = self.url

        events = []
        for events_item_data in self.events:
            events_item = events_item_data.value
            events.append(events_item)



        description = self.description

        filters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.filters, Unset):
            filters = self.filters.to_dict()

        enabled = self.enabled

        parallel = self.parallel


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "url": url,
            "events": events,
        })
        if description is not UNSET:
            field_dict["description"] = description
        if filters is not UNSET:
            field_dict["filters"] = filters
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if parallel is not UNSET:
            field_dict["parallel"] = parallel

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_filters_create import WebhookFiltersCreate # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        url = d.pop("url")

        events = []
        _events = d.pop("events")
        for events_item_data in (_events):
            events_item = WebhookEventType(events_item_data)



            events.append(events_item)


        description = d.pop("description", UNSET)

        _filters = d.pop("filters", UNSET)
        filters: WebhookFiltersCreate | Unset
        if isinstance(_filters,  Unset):
            filters = UNSET
        else:
            filters = WebhookFiltersCreate.from_dict(_filters)




        enabled = d.pop("enabled", UNSET)

        parallel = d.pop("parallel", UNSET)

        webhook_create = cls(
            name=name,
            url=url,
            events=events,
            description=description,
            filters=filters,
            enabled=enabled,
            parallel=parallel,
        )

        return webhook_create

