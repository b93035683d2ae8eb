from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.audit_action import AuditAction
from ..models.audit_event_outcome import AuditEventOutcome
from ..models.audit_event_target_type_type_1 import AuditEventTargetTypeType1
from ..models.audit_event_target_type_type_2_type_1 import AuditEventTargetTypeType2Type1
from ..models.audit_event_target_type_type_3_type_1 import AuditEventTargetTypeType3Type1
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.audit_event_details import AuditEventDetails





T = TypeVar("T", bound="AuditEvent")



@_attrs_define
class AuditEvent:
    """ 
        Attributes:
            id (str): A UUID in canonical form.
            at (datetime.datetime):
            action (AuditAction):
            outcome (AuditEventOutcome):
            actor_id (None | str): The acting user's id; null when nobody authenticated.
            actor (None | str): The acting username (or the name tried, for a failed login).
            target_type (AuditEventTargetTypeType1 | AuditEventTargetTypeType2Type1 | AuditEventTargetTypeType3Type1 |
                None):
            target_id (None | str):
            client (None | str): The client's address.
            details (AuditEventDetails): What changed, e.g. `{role: {from: member, to: manager}}`; never a secret.
     """

    id: str
    at: datetime.datetime
    action: AuditAction
    outcome: AuditEventOutcome
    actor_id: None | str
    actor: None | str
    target_type: AuditEventTargetTypeType1 | AuditEventTargetTypeType2Type1 | AuditEventTargetTypeType3Type1 | None
    target_id: None | str
    client: None | str
    details: AuditEventDetails
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.audit_event_details import AuditEventDetails # noqa: PLC0415
        id = self.id

        at = self.at.isoformat()

        action = self.action.value

        outcome = self.outcome.value

        actor_id: None | str
        actor_id = self.actor_id

        actor: None | str
        actor = self.actor

        target_type: None | str
        if isinstance(self.target_type, AuditEventTargetTypeType1):
            target_type = self.target_type.value
        elif isinstance(self.target_type, AuditEventTargetTypeType2Type1):
            target_type = self.target_type.value
        elif isinstance(self.target_type, AuditEventTargetTypeType3Type1):
            target_type = self.target_type.value
        else:
            target_type = self.target_type

        target_id: None | str
        target_id = self.target_id

        client: None | str
        client = self.client

        details = self.details.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "at": at,
            "action": action,
            "outcome": outcome,
            "actor_id": actor_id,
            "actor": actor,
            "target_type": target_type,
            "target_id": target_id,
            "client": client,
            "details": details,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_event_details import AuditEventDetails # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        at = datetime.datetime.fromisoformat(d.pop("at"))




        action = AuditAction(d.pop("action"))




        outcome = AuditEventOutcome(d.pop("outcome"))




        def _parse_actor_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        actor_id = _parse_actor_id(d.pop("actor_id"))


        def _parse_actor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        actor = _parse_actor(d.pop("actor"))


        def _parse_target_type(data: object) -> AuditEventTargetTypeType1 | AuditEventTargetTypeType2Type1 | AuditEventTargetTypeType3Type1 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                target_type_type_1 = AuditEventTargetTypeType1(data)



                return target_type_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                target_type_type_2_type_1 = AuditEventTargetTypeType2Type1(data)



                return target_type_type_2_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                target_type_type_3_type_1 = AuditEventTargetTypeType3Type1(data)



                return target_type_type_3_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AuditEventTargetTypeType1 | AuditEventTargetTypeType2Type1 | AuditEventTargetTypeType3Type1 | None, data)

        target_type = _parse_target_type(d.pop("target_type"))


        def _parse_target_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        target_id = _parse_target_id(d.pop("target_id"))


        def _parse_client(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client = _parse_client(d.pop("client"))


        details = AuditEventDetails.from_dict(d.pop("details"))




        audit_event = cls(
            id=id,
            at=at,
            action=action,
            outcome=outcome,
            actor_id=actor_id,
            actor=actor,
            target_type=target_type,
            target_id=target_id,
            client=client,
            details=details,
        )


        audit_event.additional_properties = d
        return audit_event

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
