from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.template_kind import TemplateKind
from ..models.template_visibility import TemplateVisibility
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.template_definition import TemplateDefinition
  from ..models.template_parameters import TemplateParameters





T = TypeVar("T", bound="Template")



@_attrs_define
class Template:
    """ 
        Attributes:
            id (str): A UUID in canonical form.
            name (str):
            description (str):
            visibility (TemplateVisibility):
            owner (str): Username of the template's owner.
            version (int): The version shown (the latest unless `?version=` asked for another).
            parameters (TemplateParameters): The parameters' JSON Schema.
            kind (TemplateKind):
            definition (TemplateDefinition): The job or workflow, markers included.
            created_at (datetime.datetime):
            updated_at (datetime.datetime): When the shown version was saved.
            latest_version (int | Unset):
     """

    id: str
    name: str
    description: str
    visibility: TemplateVisibility
    owner: str
    version: int
    parameters: TemplateParameters
    kind: TemplateKind
    definition: TemplateDefinition
    created_at: datetime.datetime
    updated_at: datetime.datetime
    latest_version: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.template_definition import TemplateDefinition # noqa: PLC0415
        from ..models.template_parameters import TemplateParameters # noqa: PLC0415
        id = self.id

        name = self.name

        description = self.description

        visibility = self.visibility.value

        owner = self.owner

        version = self.version

        parameters = self.parameters.to_dict()

        kind = self.kind.value

        definition = self.definition.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        latest_version = self.latest_version


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
            "description": description,
            "visibility": visibility,
            "owner": owner,
            "version": version,
            "parameters": parameters,
            "kind": kind,
            "definition": definition,
            "created_at": created_at,
            "updated_at": updated_at,
        })
        if latest_version is not UNSET:
            field_dict["latest_version"] = latest_version

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_definition import TemplateDefinition # noqa: PLC0415
        from ..models.template_parameters import TemplateParameters # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        description = d.pop("description")

        visibility = TemplateVisibility(d.pop("visibility"))




        owner = d.pop("owner")

        version = d.pop("version")

        parameters = TemplateParameters.from_dict(d.pop("parameters"))




        kind = TemplateKind(d.pop("kind"))




        definition = TemplateDefinition.from_dict(d.pop("definition"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        latest_version = d.pop("latest_version", UNSET)

        template = cls(
            id=id,
            name=name,
            description=description,
            visibility=visibility,
            owner=owner,
            version=version,
            parameters=parameters,
            kind=kind,
            definition=definition,
            created_at=created_at,
            updated_at=updated_at,
            latest_version=latest_version,
        )


        template.additional_properties = d
        return template

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
