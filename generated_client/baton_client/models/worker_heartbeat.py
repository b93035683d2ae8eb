from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.worker_state import WorkerState
from ..types import UNSET, Unset






T = TypeVar("T", bound="WorkerHeartbeat")



@_attrs_define
class WorkerHeartbeat:
    """ Every field is optional; an empty object only records that the worker is alive.

        Attributes:
            load (int | Unset): Jobs (or units of work) it runs now.
            capacity (int | Unset):
            state (WorkerState | Unset): `draining`: the worker gets no new jobs (one-way).
     """

    load: int | Unset = UNSET
    capacity: int | Unset = UNSET
    state: WorkerState | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        load = self.load

        capacity = self.capacity

        state: str | Unset = UNSET
        if not isinstance(self.state, Unset):
            state = self.state.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if load is not UNSET:
            field_dict["load"] = load
        if capacity is not UNSET:
            field_dict["capacity"] = capacity
        if state is not UNSET:
            field_dict["state"] = state

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        load = d.pop("load", UNSET)

        capacity = d.pop("capacity", UNSET)

        _state = d.pop("state", UNSET)
        state: WorkerState | Unset
        if isinstance(_state,  Unset):
            state = UNSET
        else:
            state = WorkerState(_state)




        worker_heartbeat = cls(
            load=load,
            capacity=capacity,
            state=state,
        )

        return worker_heartbeat

