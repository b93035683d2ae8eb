from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.workflow_status import WorkflowStatus
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.workflow_labels import WorkflowLabels





T = TypeVar("T", bound="Workflow")



@_attrs_define
class Workflow:
    """ 
        Attributes:
            id (str): A UUID in canonical form.
            name (str):
            status (WorkflowStatus): Derived from the steps: `running` while any is live, then `completed` (all completed),
                `failed` (any failed or timed out) or `cancelled`.
            owner (str): Username of the workflow's owner.
            labels (WorkflowLabels):
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            finished_at (datetime.datetime | None):
     """

    id: str
    name: str
    status: WorkflowStatus
    owner: str
    labels: WorkflowLabels
    created_at: datetime.datetime
    updated_at: datetime.datetime
    finished_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.workflow_labels import WorkflowLabels # noqa: PLC0415
        id = self.id

        name = self.name

        status = self.status.value

        owner = self.owner

        labels = self.labels.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
            "status": status,
            "owner": owner,
            "labels": labels,
            "created_at": created_at,
            "updated_at": updated_at,
            "finished_at": finished_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.workflow_labels import WorkflowLabels # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        status = WorkflowStatus(d.pop("status"))




        owner = d.pop("owner")

        labels = WorkflowLabels.from_dict(d.pop("labels"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)



                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))


        workflow = cls(
            id=id,
            name=name,
            status=status,
            owner=owner,
            labels=labels,
            created_at=created_at,
            updated_at=updated_at,
            finished_at=finished_at,
        )


        workflow.additional_properties = d
        return workflow

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
