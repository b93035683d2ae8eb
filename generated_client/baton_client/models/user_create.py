from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.role import Role






T = TypeVar("T", bound="UserCreate")



@_attrs_define
class UserCreate:
    """ 
        Attributes:
            username (str):
            role (Role):
            password (str):
     """

    username: str
    role: Role
    password: str





    def to_dict(self) -> dict[str, Any]:
        username = self.username

        role = self.role.value

        password = self.password


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "username": username,
            "role": role,
            "password": password,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        username = d.pop("username")

        role = Role(d.pop("role"))




        password = d.pop("password")

        user_create = cls(
            username=username,
            role=role,
            password=password,
        )

        return user_create

