from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.workflow_phase_status import WorkflowPhaseStatus
from typing import cast






T = TypeVar("T", bound="WorkflowPhase")



@_attrs_define
class WorkflowPhase:
    """ 
        Attributes:
            name (str):
            steps (list[str]):
            status (WorkflowPhaseStatus): As a workflow's, or `pending` while none of its steps has started.
            total (int):
            completed (int):
            failed (int): Failed or timed out.
            cancelled (int): Cancelled or upstream-failed.
            running (int):
            waiting (int): Waiting, scheduled or pending.
     """

    name: str
    steps: list[str]
    status: WorkflowPhaseStatus
    total: int
    completed: int
    failed: int
    cancelled: int
    running: int
    waiting: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        steps = self.steps



        status = self.status.value

        total = self.total

        completed = self.completed

        failed = self.failed

        cancelled = self.cancelled

        running = self.running

        waiting = self.waiting


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
            "steps": steps,
            "status": status,
            "total": total,
            "completed": completed,
            "failed": failed,
            "cancelled": cancelled,
            "running": running,
            "waiting": waiting,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        steps = cast(list[str], d.pop("steps"))


        status = WorkflowPhaseStatus(d.pop("status"))




        total = d.pop("total")

        completed = d.pop("completed")

        failed = d.pop("failed")

        cancelled = d.pop("cancelled")

        running = d.pop("running")

        waiting = d.pop("waiting")

        workflow_phase = cls(
            name=name,
            steps=steps,
            status=status,
            total=total,
            completed=completed,
            failed=failed,
            cancelled=cancelled,
            running=running,
            waiting=waiting,
        )


        workflow_phase.additional_properties = d
        return workflow_phase

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
