from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="WebhookReplayRequest")



@_attrs_define
class WebhookReplayRequest:
    """ 
        Attributes:
            after_event_id (int | Unset):
            up_to_event_id (int | Unset):
            since (datetime.datetime | Unset):
            until (datetime.datetime | Unset):
     """

    after_event_id: int | Unset = UNSET
    up_to_event_id: int | Unset = UNSET
    since: datetime.datetime | Unset = UNSET
    until: datetime.datetime | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        after_event_id = self.after_event_id

        up_to_event_id = self.up_to_event_id

        since: str | Unset = UNSET
        if not isinstance(self.since, Unset):
            since = self.since.isoformat()

        until: str | Unset = UNSET
        if not isinstance(self.until, Unset):
            until = self.until.isoformat()


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if after_event_id is not UNSET:
            field_dict["after_event_id"] = after_event_id
        if up_to_event_id is not UNSET:
            field_dict["up_to_event_id"] = up_to_event_id
        if since is not UNSET:
            field_dict["since"] = since
        if until is not UNSET:
            field_dict["until"] = until

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        after_event_id = d.pop("after_event_id", UNSET)

        up_to_event_id = d.pop("up_to_event_id", UNSET)

        _since = d.pop("since", UNSET)
        since: datetime.datetime | Unset
        if isinstance(_since,  Unset):
            since = UNSET
        else:
            since = datetime.datetime.fromisoformat(_since)




        _until = d.pop("until", UNSET)
        until: datetime.datetime | Unset
        if isinstance(_until,  Unset):
            until = UNSET
        else:
            until = datetime.datetime.fromisoformat(_until)




        webhook_replay_request = cls(
            after_event_id=after_event_id,
            up_to_event_id=up_to_event_id,
            since=since,
            until=until,
        )

        return webhook_replay_request

