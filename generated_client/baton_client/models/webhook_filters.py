from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.webhook_filters_labels import WebhookFiltersLabels





T = TypeVar("T", bound="WebhookFilters")



@_attrs_define
class WebhookFilters:
    """ 
        Attributes:
            queue (None | str):
            labels (WebhookFiltersLabels):
            owner (None | str):
     """

    queue: None | str
    labels: WebhookFiltersLabels
    owner: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.webhook_filters_labels import WebhookFiltersLabels # noqa: PLC0415
        queue: None | str
        queue = self.queue

        labels = self.labels.to_dict()

        owner: None | str
        owner = self.owner


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "queue": queue,
            "labels": labels,
            "owner": owner,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_filters_labels import WebhookFiltersLabels # noqa: PLC0415
        d = dict(src_dict)
        def _parse_queue(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        queue = _parse_queue(d.pop("queue"))


        labels = WebhookFiltersLabels.from_dict(d.pop("labels"))




        def _parse_owner(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        owner = _parse_owner(d.pop("owner"))


        webhook_filters = cls(
            queue=queue,
            labels=labels,
            owner=owner,
        )


        webhook_filters.additional_properties = d
        return webhook_filters

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
