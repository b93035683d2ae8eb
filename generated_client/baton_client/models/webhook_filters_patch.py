from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.labels_patch_type_0 import LabelsPatchType0





T = TypeVar("T", bound="WebhookFiltersPatch")



@_attrs_define
class WebhookFiltersPatch:
    """ A JSON Merge Patch of the filters.

        Attributes:
            queue (None | str | Unset):
            labels (LabelsPatchType0 | None | Unset): Merged into a job's labels: a string adds or replaces a label, `null`
                removes it; `null`
                for the whole object removes every label. Keys follow the rule of `Labels`.
            owner (None | str | Unset):
     """

    queue: None | str | Unset = UNSET
    labels: LabelsPatchType0 | None | Unset = UNSET
    owner: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.labels_patch_type_0 import LabelsPatchType0 # noqa: PLC0415
        queue: None | str | Unset
        if isinstance(self.queue, Unset):
            queue = UNSET
        else:
            queue = self.queue

        labels: dict[str, Any] | None | Unset
        if isinstance(self.labels, Unset):
            labels = UNSET
        elif isinstance(self.labels, LabelsPatchType0):
            labels = self.labels.to_dict()
        else:
            labels = self.labels

        owner: None | str | Unset
        if isinstance(self.owner, Unset):
            owner = UNSET
        else:
            owner = self.owner


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if queue is not UNSET:
            field_dict["queue"] = queue
        if labels is not UNSET:
            field_dict["labels"] = labels
        if owner is not UNSET:
            field_dict["owner"] = owner

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.labels_patch_type_0 import LabelsPatchType0 # noqa: PLC0415
        d = dict(src_dict)
        def _parse_queue(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        queue = _parse_queue(d.pop("queue", UNSET))


        def _parse_labels(data: object) -> LabelsPatchType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_labels_patch_type_0 = LabelsPatchType0.from_dict(data)



                return componentsschemas_labels_patch_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LabelsPatchType0 | None | Unset, data)

        labels = _parse_labels(d.pop("labels", UNSET))


        def _parse_owner(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        owner = _parse_owner(d.pop("owner", UNSET))


        webhook_filters_patch = cls(
            queue=queue,
            labels=labels,
            owner=owner,
        )

        return webhook_filters_patch

