from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.workflow_step_create_on_failure import WorkflowStepCreateOnFailure
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.job_create import JobCreate





T = TypeVar("T", bound="WorkflowStepCreate")



@_attrs_define
class WorkflowStepCreate:
    """ 
        Attributes:
            name (str): Unique within the workflow; letters, digits, `_`, `.`, `-`.
            job (JobCreate): A job runs either a `command` (a program, in a subprocess) or a registered Python `task`
                with a JSON `payload` (in the worker process): exactly one of `command` and `task`, else
                422 `COMMAND_OR_TASK`. A task no worker has registered is 422 `UNKNOWN_TASK`.
            depends_on (list[str] | Unset): Names of the steps that must finish first.
            on_failure (WorkflowStepCreateOnFailure | Unset): What a dependency that did not complete does to this step:
                `fail` cancels it (upstream-failed), `continue` runs it unless a dependency never ran, `always` runs it
                regardless. Default: WorkflowStepCreateOnFailure.FAIL.
     """

    name: str
    job: JobCreate
    depends_on: list[str] | Unset = UNSET
    on_failure: WorkflowStepCreateOnFailure | Unset = WorkflowStepCreateOnFailure.FAIL





    def to_dict(self) -> dict[str, Any]:
        from ..models.job_create import JobCreate # noqa: PLC0415
        name = self.name

        job = self.job.to_dict()

        depends_on: list[str] | Unset = UNSET
        if not isinstance(self.depends_on, Unset):
            depends_on = self.depends_on



        on_failure: str | Unset = UNSET
        if not isinstance(self.on_failure, Unset):
            on_failure = self.on_failure.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "job": job,
        })
        if depends_on is not UNSET:
            field_dict["depends_on"] = depends_on
        if on_failure is not UNSET:
            field_dict["on_failure"] = on_failure

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_create import JobCreate # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        job = JobCreate.from_dict(d.pop("job"))




        depends_on = cast(list[str], d.pop("depends_on", UNSET))


        _on_failure = d.pop("on_failure", UNSET)
        on_failure: WorkflowStepCreateOnFailure | Unset
        if isinstance(_on_failure,  Unset):
            on_failure = UNSET
        else:
            on_failure = WorkflowStepCreateOnFailure(_on_failure)




        workflow_step_create = cls(
            name=name,
            job=job,
            depends_on=depends_on,
            on_failure=on_failure,
        )

        return workflow_step_create

