from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.template_create_visibility import TemplateCreateVisibility
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.template_create_job import TemplateCreateJob
  from ..models.template_create_parameters import TemplateCreateParameters
  from ..models.template_create_workflow import TemplateCreateWorkflow





T = TypeVar("T", bound="TemplateCreate")



@_attrs_define
class TemplateCreate:
    """ Exactly one of `job` and `workflow` (both or neither is 422 `INVALID_TEMPLATE`).

        Attributes:
            name (str):
            description (str | Unset):  Default: ''.
            visibility (TemplateCreateVisibility | Unset):  Default: TemplateCreateVisibility.PRIVATE.
            parameters (TemplateCreateParameters | Unset): A JSON Schema (draft 2020-12) of the parameters object; default:
                no parameters.
            job (TemplateCreateJob | Unset): The body of `POST /api/v1/jobs`, with `{"$param": name}` and double-brace text
                markers.
            workflow (TemplateCreateWorkflow | Unset): The body of `POST /api/v1/workflows`, with markers in its name and
                its steps' jobs.
     """

    name: str
    description: str | Unset = ''
    visibility: TemplateCreateVisibility | Unset = TemplateCreateVisibility.PRIVATE
    parameters: TemplateCreateParameters | Unset = UNSET
    job: TemplateCreateJob | Unset = UNSET
    workflow: TemplateCreateWorkflow | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.template_create_job import TemplateCreateJob # noqa: PLC0415
        from ..models.template_create_parameters import TemplateCreateParameters # noqa: PLC0415
        from ..models.template_create_workflow import TemplateCreateWorkflow # noqa: PLC0415
        name = self.name

        description = self.description

        visibility: str | Unset = UNSET
        if not isinstance(self.visibility, Unset):
            visibility = self.visibility.value


        parameters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.parameters, Unset):
            parameters = self.parameters.to_dict()

        job: dict[str, Any] | Unset = UNSET
        if not isinstance(self.job, Unset):
            job = self.job.to_dict()

        workflow: dict[str, Any] | Unset = UNSET
        if not isinstance(self.workflow, Unset):
            workflow = self.workflow.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
        })
        if description is not UNSET:
            field_dict["description"] = description
        if visibility is not UNSET:
            field_dict["visibility"] = visibility
        if parameters is not UNSET:
            field_dict["parameters"] = parameters
        if job is not UNSET:
            field_dict["job"] = job
        if workflow is not UNSET:
            field_dict["workflow"] = workflow

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_create_job import TemplateCreateJob # noqa: PLC0415
        from ..models.template_create_parameters import TemplateCreateParameters # noqa: PLC0415
        from ..models.template_create_workflow import TemplateCreateWorkflow # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        description = d.pop("description", UNSET)

        _visibility = d.pop("visibility", UNSET)
        visibility: TemplateCreateVisibility | Unset
        if isinstance(_visibility,  Unset):
            visibility = UNSET
        else:
            visibility = TemplateCreateVisibility(_visibility)




        _parameters = d.pop("parameters", UNSET)
        parameters: TemplateCreateParameters | Unset
        if isinstance(_parameters,  Unset):
            parameters = UNSET
        else:
            parameters = TemplateCreateParameters.from_dict(_parameters)




        _job = d.pop("job", UNSET)
        job: TemplateCreateJob | Unset
        if isinstance(_job,  Unset):
            job = UNSET
        else:
            job = TemplateCreateJob.from_dict(_job)




        _workflow = d.pop("workflow", UNSET)
        workflow: TemplateCreateWorkflow | Unset
        if isinstance(_workflow,  Unset):
            workflow = UNSET
        else:
            workflow = TemplateCreateWorkflow.from_dict(_workflow)




        template_create = cls(
            name=name,
            description=description,
            visibility=visibility,
            parameters=parameters,
            job=job,
            workflow=workflow,
        )

        return template_create

