from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.live_job_status import LiveJobStatus
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.job_filter_labels import JobFilterLabels





T = TypeVar("T", bound="JobFilter")



@_attrs_define
class JobFilter:
    """ Criteria a job must all meet.

        Attributes:
            ids (list[str] | Unset):
            status (list[LiveJobStatus] | Unset):
            queue (str | Unset):
            labels (JobFilterLabels | Unset): Labels the job must all have, as `key: value` pairs.
            name_prefix (str | Unset):
            created_after (datetime.datetime | Unset):
            created_before (datetime.datetime | Unset):
     """

    ids: list[str] | Unset = UNSET
    status: list[LiveJobStatus] | Unset = UNSET
    queue: str | Unset = UNSET
    labels: JobFilterLabels | Unset = UNSET
    name_prefix: str | Unset = UNSET
    created_after: datetime.datetime | Unset = UNSET
    created_before: datetime.datetime | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.job_filter_labels import JobFilterLabels # noqa: PLC0415
        ids: list[str] | Unset = UNSET
        if not isinstance(self.ids, Unset):
            ids = self.ids



        status: list[str] | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = []
            for status_item_data in self.status:
                status_item = status_item_data.value
                status.append(status_item)



        queue = self.queue

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        name_prefix = self.name_prefix

        created_after: str | Unset = UNSET
        if not isinstance(self.created_after, Unset):
            created_after = self.created_after.isoformat()

        created_before: str | Unset = UNSET
        if not isinstance(self.created_before, Unset):
            created_before = self.created_before.isoformat()


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if ids is not UNSET:
            field_dict["ids"] = ids
        if status is not UNSET:
            field_dict["status"] = status
        if queue is not UNSET:
            field_dict["queue"] = queue
        if labels is not UNSET:
            field_dict["labels"] = labels
        if name_prefix is not UNSET:
            field_dict["name_prefix"] = name_prefix
        if created_after is not UNSET:
            field_dict["created_after"] = created_after
        if created_before is not UNSET:
            field_dict["created_before"] = created_before

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_filter_labels import JobFilterLabels # noqa: PLC0415
        d = dict(src_dict)
        ids = cast(list[str], d.pop("ids", UNSET))


        _status = d.pop("status", UNSET)
        status: list[LiveJobStatus] | Unset = UNSET
        if _status is not UNSET:
            status = []
            for status_item_data in _status:
                status_item = LiveJobStatus(status_item_data)



                status.append(status_item)


        queue = d.pop("queue", UNSET)

        _labels = d.pop("labels", UNSET)
        labels: JobFilterLabels | Unset
        if isinstance(_labels,  Unset):
            labels = UNSET
        else:
            labels = JobFilterLabels.from_dict(_labels)




        name_prefix = d.pop("name_prefix", UNSET)

        _created_after = d.pop("created_after", UNSET)
        created_after: datetime.datetime | Unset
        if isinstance(_created_after,  Unset):
            created_after = UNSET
        else:
            created_after = datetime.datetime.fromisoformat(_created_after)




        _created_before = d.pop("created_before", UNSET)
        created_before: datetime.datetime | Unset
        if isinstance(_created_before,  Unset):
            created_before = UNSET
        else:
            created_before = datetime.datetime.fromisoformat(_created_before)




        job_filter = cls(
            ids=ids,
            status=status,
            queue=queue,
            labels=labels,
            name_prefix=name_prefix,
            created_after=created_after,
            created_before=created_before,
        )

        return job_filter

