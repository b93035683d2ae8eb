from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.workflow_step_on_failure import WorkflowStepOnFailure
from ..models.workflow_step_status import WorkflowStepStatus
from typing import cast
import datetime






T = TypeVar("T", bound="WorkflowStep")



@_attrs_define
class WorkflowStep:
    """ 
        Attributes:
            name (str):
            job_id (None | str): The step's job (null if it was deleted).
            status (WorkflowStepStatus): The job's status, or `upstream_failed`: cancelled because a dependency did not
                succeed.
            depends_on (list[str]):
            on_failure (WorkflowStepOnFailure):
            started_at (datetime.datetime | None):
            finished_at (datetime.datetime | None):
     """

    name: str
    job_id: None | str
    status: WorkflowStepStatus
    depends_on: list[str]
    on_failure: WorkflowStepOnFailure
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        job_id: None | str
        job_id = self.job_id

        status = self.status.value

        depends_on = self.depends_on



        on_failure = self.on_failure.value

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
            "job_id": job_id,
            "status": status,
            "depends_on": depends_on,
            "on_failure": on_failure,
            "started_at": started_at,
            "finished_at": finished_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_job_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        job_id = _parse_job_id(d.pop("job_id"))


        status = WorkflowStepStatus(d.pop("status"))




        depends_on = cast(list[str], d.pop("depends_on"))


        on_failure = WorkflowStepOnFailure(d.pop("on_failure"))




        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)



                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))


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


        workflow_step = cls(
            name=name,
            job_id=job_id,
            status=status,
            depends_on=depends_on,
            on_failure=on_failure,
            started_at=started_at,
            finished_at=finished_at,
        )


        workflow_step.additional_properties = d
        return workflow_step

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
