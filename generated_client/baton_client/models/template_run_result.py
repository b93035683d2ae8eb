from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.template_run_result_kind import TemplateRunResultKind
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.job import Job
  from ..models.workflow_detail import WorkflowDetail





T = TypeVar("T", bound="TemplateRunResult")



@_attrs_define
class TemplateRunResult:
    """ 
        Attributes:
            kind (TemplateRunResultKind):
            template_version (int):
            job (Job | Unset):
            workflow (WorkflowDetail | Unset):
     """

    kind: TemplateRunResultKind
    template_version: int
    job: Job | Unset = UNSET
    workflow: WorkflowDetail | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.job import Job # noqa: PLC0415
        from ..models.workflow_detail import WorkflowDetail # noqa: PLC0415
        kind = self.kind.value

        template_version = self.template_version

        job: dict[str, Any] | Unset = UNSET
        if not isinstance(self.job, Unset):
            job = self.job.to_dict()

        workflow: dict[str, Any] | Unset = UNSET
        if not isinstance(self.workflow, Unset):
            workflow = self.workflow.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "kind": kind,
            "template_version": template_version,
        })
        if job is not UNSET:
            field_dict["job"] = job
        if workflow is not UNSET:
            field_dict["workflow"] = workflow

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job import Job # noqa: PLC0415
        from ..models.workflow_detail import WorkflowDetail # noqa: PLC0415
        d = dict(src_dict)
        kind = TemplateRunResultKind(d.pop("kind"))




        template_version = d.pop("template_version")

        _job = d.pop("job", UNSET)
        job: Job | Unset
        if isinstance(_job,  Unset):
            job = UNSET
        else:
            job = Job.from_dict(_job)




        _workflow = d.pop("workflow", UNSET)
        workflow: WorkflowDetail | Unset
        if isinstance(_workflow,  Unset):
            workflow = UNSET
        else:
            workflow = WorkflowDetail.from_dict(_workflow)




        template_run_result = cls(
            kind=kind,
            template_version=template_version,
            job=job,
            workflow=workflow,
        )


        template_run_result.additional_properties = d
        return template_run_result

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
