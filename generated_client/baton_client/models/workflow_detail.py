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
  from ..models.workflow_detail_progress import WorkflowDetailProgress
  from ..models.workflow_labels import WorkflowLabels
  from ..models.workflow_phase import WorkflowPhase
  from ..models.workflow_step import WorkflowStep





T = TypeVar("T", bound="WorkflowDetail")



@_attrs_define
class WorkflowDetail:
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
            steps (list[WorkflowStep]): In the order given; with `depends_on`, the edges of the graph.
            phases (list[WorkflowPhase]):
            progress (WorkflowDetailProgress):
     """

    id: str
    name: str
    status: WorkflowStatus
    owner: str
    labels: WorkflowLabels
    created_at: datetime.datetime
    updated_at: datetime.datetime
    finished_at: datetime.datetime | None
    steps: list[WorkflowStep]
    phases: list[WorkflowPhase]
    progress: WorkflowDetailProgress
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.workflow_detail_progress import WorkflowDetailProgress # noqa: PLC0415
        from ..models.workflow_labels import WorkflowLabels # noqa: PLC0415
        from ..models.workflow_phase import WorkflowPhase # noqa: PLC0415
        from ..models.workflow_step import WorkflowStep # noqa: PLC0415
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

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)



        phases = []
        for phases_item_data in self.phases:
            phases_item = phases_item_data.to_dict()
            phases.append(phases_item)



        progress = self.progress.to_dict()


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
            "steps": steps,
            "phases": phases,
            "progress": progress,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.workflow_detail_progress import WorkflowDetailProgress # noqa: PLC0415
        from ..models.workflow_labels import WorkflowLabels # noqa: PLC0415
        from ..models.workflow_phase import WorkflowPhase # noqa: PLC0415
        from ..models.workflow_step import WorkflowStep # noqa: PLC0415
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


        steps = []
        _steps = d.pop("steps")
        for steps_item_data in (_steps):
            steps_item = WorkflowStep.from_dict(steps_item_data)



            steps.append(steps_item)


        phases = []
        _phases = d.pop("phases")
        for phases_item_data in (_phases):
            phases_item = WorkflowPhase.from_dict(phases_item_data)



            phases.append(phases_item)


        progress = WorkflowDetailProgress.from_dict(d.pop("progress"))




        workflow_detail = cls(
            id=id,
            name=name,
            status=status,
            owner=owner,
            labels=labels,
            created_at=created_at,
            updated_at=updated_at,
            finished_at=finished_at,
            steps=steps,
            phases=phases,
            progress=progress,
        )


        workflow_detail.additional_properties = d
        return workflow_detail

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
