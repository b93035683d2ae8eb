from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.labels_patch_type_0 import LabelsPatchType0





T = TypeVar("T", bound="JobPatch")



@_attrs_define
class JobPatch:
    """ A JSON Merge Patch (RFC 7396) of a job: the fields to change, nothing else. No field is
    required; an empty object changes nothing.

        Attributes:
            priority (int | Unset): 9 runs first.
            labels (LabelsPatchType0 | None | Unset): Merged into a job's labels: a string adds or replaces a label, `null`
                removes it; `null`
                for the whole object removes every label. Keys follow the rule of `Labels`.
            run_at (datetime.datetime | None | Unset): Do not start before this time (RFC 3339 with offset); `null` means
                now.
     """

    priority: int | Unset = UNSET
    labels: LabelsPatchType0 | None | Unset = UNSET
    run_at: datetime.datetime | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.labels_patch_type_0 import LabelsPatchType0 # noqa: PLC0415
        priority = self.priority

        labels: dict[str, Any] | None | Unset
        if isinstance(self.labels, Unset):
            labels = UNSET
        elif isinstance(self.labels, LabelsPatchType0):
            labels = self.labels.to_dict()
        else:
            labels = self.labels

        run_at: None | str | Unset
        if isinstance(self.run_at, Unset):
            run_at = UNSET
        elif isinstance(self.run_at, datetime.datetime):
            run_at = self.run_at.isoformat()
        else:
            run_at = self.run_at


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if priority is not UNSET:
            field_dict["priority"] = priority
        if labels is not UNSET:
            field_dict["labels"] = labels
        if run_at is not UNSET:
            field_dict["run_at"] = run_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.labels_patch_type_0 import LabelsPatchType0 # noqa: PLC0415
        d = dict(src_dict)
        priority = d.pop("priority", UNSET)

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


        def _parse_run_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                run_at_type_0 = datetime.datetime.fromisoformat(data)



                return run_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        run_at = _parse_run_at(d.pop("run_at", UNSET))


        job_patch = cls(
            priority=priority,
            labels=labels,
            run_at=run_at,
        )

        return job_patch

