from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.workflow_status import WorkflowStatus






T = TypeVar("T", bound="WorkflowEventData")



@_attrs_define
class WorkflowEventData:
    """ A workflow as it is after the change (`workflow.*` events).

        Attributes:
            workflow_id (str):
            name (str):
            status (WorkflowStatus): Derived from the steps: `running` while any is live, then `completed` (all completed),
                `failed` (any failed or timed out) or `cancelled`.
            owner (str):
     """

    workflow_id: str
    name: str
    status: WorkflowStatus
    owner: str





    def to_dict(self) -> dict[str, Any]:
        workflow_id = self.workflow_id

        name = self.name

        status = self.status.value

        owner = self.owner


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "workflow_id": workflow_id,
            "name": name,
            "status": status,
            "owner": owner,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        workflow_id = d.pop("workflow_id")

        name = d.pop("name")

        status = WorkflowStatus(d.pop("status"))




        owner = d.pop("owner")

        workflow_event_data = cls(
            workflow_id=workflow_id,
            name=name,
            status=status,
            owner=owner,
        )

        return workflow_event_data

