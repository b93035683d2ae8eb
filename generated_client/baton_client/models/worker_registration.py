from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.labels import Labels





T = TypeVar("T", bound="WorkerRegistration")



@_attrs_define
class WorkerRegistration:
    """ 
        Attributes:
            name (str):
            queues (list[str]): The queues it takes jobs from.
            hostname (str | Unset):  Default: ''.
            labels (Labels | Unset): Free-form key/value labels (at most 32). Keys start with a letter or digit and use
                letters,
                digits, `_`, `.`, `-` and `/`, up to 63 characters.
            capacity (int | Unset): Most jobs it runs at once; claims never lease it more. Default: 1.
            tasks (list[str] | Unset): The registered Python tasks it can run; jobs naming them are accepted at submit.
     """

    name: str
    queues: list[str]
    hostname: str | Unset = ''
    labels: Labels | Unset = UNSET
    capacity: int | Unset = 1
    tasks: list[str] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.labels import Labels # noqa: PLC0415
        name = self.name

        queues = self.queues



        hostname = self.hostname

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        capacity = self.capacity

        tasks: list[str] | Unset = UNSET
        if not isinstance(self.tasks, Unset):
            tasks = self.tasks




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "queues": queues,
        })
        if hostname is not UNSET:
            field_dict["hostname"] = hostname
        if labels is not UNSET:
            field_dict["labels"] = labels
        if capacity is not UNSET:
            field_dict["capacity"] = capacity
        if tasks is not UNSET:
            field_dict["tasks"] = tasks

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.labels import Labels # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        queues = cast(list[str], d.pop("queues"))


        hostname = d.pop("hostname", UNSET)

        _labels = d.pop("labels", UNSET)
        labels: Labels | Unset
        if isinstance(_labels,  Unset):
            labels = UNSET
        else:
            labels = Labels.from_dict(_labels)




        capacity = d.pop("capacity", UNSET)

        tasks = cast(list[str], d.pop("tasks", UNSET))


        worker_registration = cls(
            name=name,
            queues=queues,
            hostname=hostname,
            labels=labels,
            capacity=capacity,
            tasks=tasks,
        )

        return worker_registration

