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
  from ..models.workflow_phase_create import WorkflowPhaseCreate
  from ..models.workflow_step_create import WorkflowStepCreate





T = TypeVar("T", bound="WorkflowCreate")



@_attrs_define
class WorkflowCreate:
    """ 
        Attributes:
            name (str):
            steps (list[WorkflowStepCreate]):
            phases (list[WorkflowPhaseCreate] | Unset):
            labels (Labels | Unset): Free-form key/value labels (at most 32). Keys start with a letter or digit and use
                letters,
                digits, `_`, `.`, `-` and `/`, up to 63 characters.
     """

    name: str
    steps: list[WorkflowStepCreate]
    phases: list[WorkflowPhaseCreate] | Unset = UNSET
    labels: Labels | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.labels import Labels # noqa: PLC0415
        from ..models.workflow_phase_create import WorkflowPhaseCreate # noqa: PLC0415
        from ..models.workflow_step_create import WorkflowStepCreate # noqa: PLC0415
        name = self.name

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)



        phases: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.phases, Unset):
            phases = []
            for phases_item_data in self.phases:
                phases_item = phases_item_data.to_dict()
                phases.append(phases_item)



        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "steps": steps,
        })
        if phases is not UNSET:
            field_dict["phases"] = phases
        if labels is not UNSET:
            field_dict["labels"] = labels

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.labels import Labels # noqa: PLC0415
        from ..models.workflow_phase_create import WorkflowPhaseCreate # noqa: PLC0415
        from ..models.workflow_step_create import WorkflowStepCreate # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        steps = []
        _steps = d.pop("steps")
        for steps_item_data in (_steps):
            steps_item = WorkflowStepCreate.from_dict(steps_item_data)



            steps.append(steps_item)


        _phases = d.pop("phases", UNSET)
        phases: list[WorkflowPhaseCreate] | Unset = UNSET
        if _phases is not UNSET:
            phases = []
            for phases_item_data in _phases:
                phases_item = WorkflowPhaseCreate.from_dict(phases_item_data)



                phases.append(phases_item)


        _labels = d.pop("labels", UNSET)
        labels: Labels | Unset
        if isinstance(_labels,  Unset):
            labels = UNSET
        else:
            labels = Labels.from_dict(_labels)




        workflow_create = cls(
            name=name,
            steps=steps,
            phases=phases,
            labels=labels,
        )

        return workflow_create

