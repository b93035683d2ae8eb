from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.info_executor import InfoExecutor
  from ..models.info_storage import InfoStorage





T = TypeVar("T", bound="Info")



@_attrs_define
class Info:
    """ 
        Attributes:
            name (str):
            version (str):
            api_version (str):
            storage (InfoStorage):
            executor (InfoExecutor):
     """

    name: str
    version: str
    api_version: str
    storage: InfoStorage
    executor: InfoExecutor
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.info_executor import InfoExecutor # noqa: PLC0415
        from ..models.info_storage import InfoStorage # noqa: PLC0415
        name = self.name

        version = self.version

        api_version = self.api_version

        storage = self.storage.to_dict()

        executor = self.executor.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
            "version": version,
            "api_version": api_version,
            "storage": storage,
            "executor": executor,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.info_executor import InfoExecutor # noqa: PLC0415
        from ..models.info_storage import InfoStorage # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        version = d.pop("version")

        api_version = d.pop("api_version")

        storage = InfoStorage.from_dict(d.pop("storage"))




        executor = InfoExecutor.from_dict(d.pop("executor"))




        info = cls(
            name=name,
            version=version,
            api_version=api_version,
            storage=storage,
            executor=executor,
        )


        info.additional_properties = d
        return info

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
