from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.event_subject_type import EventSubjectType
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.job_event_data import JobEventData
  from ..models.queue_depth_event_data import QueueDepthEventData
  from ..models.queue_event_data import QueueEventData
  from ..models.schedule_event_data import ScheduleEventData
  from ..models.webhook_event_data import WebhookEventData
  from ..models.worker_event_data import WorkerEventData
  from ..models.workflow_event_data import WorkflowEventData





T = TypeVar("T", bound="Event")



@_attrs_define
class Event:
    """ 
        Attributes:
            id (int): Increasing and gap-free, in commit order.
            type_ (str): `job.created`, `job.<status>` (waiting, scheduled, pending, running, completed, failed,
                cancelled, timed_out: a move to that status), `job.updated` (a change that kept the status),
                `job.deleted`; `worker.registered`, `worker.online`, `worker.stale`, `worker.offline`,
                `worker.drained`, `worker.deregistered`; `queue.created`, `queue.updated`,
                `queue.paused`, `queue.resumed`, `queue.deleted`, `queue.depth_changed` (at most once a
                second per queue); `webhook.created`, `webhook.updated`, `webhook.deleted`,
                `webhook.disabled` (the server disabled it: see its `disabled_reason`), `webhook.test`
                (sent only to the webhook tested); `schedule.created`, `schedule.updated`,
                `schedule.fired` (a job was created: `job_id`), `schedule.skipped` (fire times dropped by
                the overlap or misfire policy: `reason`, `count`), `schedule.paused`, `schedule.resumed`,
                `schedule.deleted`; `workflow.created`, `workflow.completed`,
                `workflow.failed`, `workflow.cancelled`, `workflow.retried`.
                 Example: job.completed.
            at (datetime.datetime):
            subject_type (EventSubjectType):
            subject_id (str): The job's id, the worker's id, the queue's name, or the webhook's, schedule's or workflow's
                id.
            queue (None | str): The queue it concerns, if any.
            worker_id (None | str): The worker it concerns, if any (for a job: the one that runs or ran it).
            data (JobEventData | QueueDepthEventData | QueueEventData | ScheduleEventData | WebhookEventData |
                WorkerEventData | WorkflowEventData):
     """

    id: int
    type_: str
    at: datetime.datetime
    subject_type: EventSubjectType
    subject_id: str
    queue: None | str
    worker_id: None | str
    data: JobEventData | QueueDepthEventData | QueueEventData | ScheduleEventData | WebhookEventData | WorkerEventData | WorkflowEventData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.job_event_data import JobEventData # noqa: PLC0415
        from ..models.queue_depth_event_data import QueueDepthEventData # noqa: PLC0415
        from ..models.queue_event_data import QueueEventData # noqa: PLC0415
        from ..models.schedule_event_data import ScheduleEventData # noqa: PLC0415
        from ..models.webhook_event_data import WebhookEventData # noqa: PLC0415
        from ..models.worker_event_data import WorkerEventData # noqa: PLC0415
        from ..models.workflow_event_data import WorkflowEventData # noqa: PLC0415
        id = self.id

        type_ = self.type_

        at = self.at.isoformat()

        subject_type = self.subject_type.value

        subject_id = self.subject_id

        queue: None | str
        queue = self.queue

        worker_id: None | str
        worker_id = self.worker_id

        data: dict[str, Any]
        if isinstance(self.data, JobEventData):
            data = self.data.to_dict()
        elif isinstance(self.data, WorkerEventData):
            data = self.data.to_dict()
        elif isinstance(self.data, QueueDepthEventData):
            data = self.data.to_dict()
        elif isinstance(self.data, QueueEventData):
            data = self.data.to_dict()
        elif isinstance(self.data, WebhookEventData):
            data = self.data.to_dict()
        elif isinstance(self.data, ScheduleEventData):
            data = self.data.to_dict()
        else:
            data = self.data.to_dict()



        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "type": type_,
            "at": at,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "queue": queue,
            "worker_id": worker_id,
            "data": data,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_event_data import JobEventData # noqa: PLC0415
        from ..models.queue_depth_event_data import QueueDepthEventData # noqa: PLC0415
        from ..models.queue_event_data import QueueEventData # noqa: PLC0415
        from ..models.schedule_event_data import ScheduleEventData # noqa: PLC0415
        from ..models.webhook_event_data import WebhookEventData # noqa: PLC0415
        from ..models.worker_event_data import WorkerEventData # noqa: PLC0415
        from ..models.workflow_event_data import WorkflowEventData # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        type_ = d.pop("type")

        at = datetime.datetime.fromisoformat(d.pop("at"))




        subject_type = EventSubjectType(d.pop("subject_type"))




        subject_id = d.pop("subject_id")

        def _parse_queue(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        queue = _parse_queue(d.pop("queue"))


        def _parse_worker_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        worker_id = _parse_worker_id(d.pop("worker_id"))


        def _parse_data(data: object) -> JobEventData | QueueDepthEventData | QueueEventData | ScheduleEventData | WebhookEventData | WorkerEventData | WorkflowEventData:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = JobEventData.from_dict(data)



                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_1 = WorkerEventData.from_dict(data)



                return data_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_2 = QueueDepthEventData.from_dict(data)



                return data_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_3 = QueueEventData.from_dict(data)



                return data_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_4 = WebhookEventData.from_dict(data)



                return data_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_5 = ScheduleEventData.from_dict(data)



                return data_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            data_type_6 = WorkflowEventData.from_dict(data)



            return data_type_6

        data = _parse_data(d.pop("data"))


        event = cls(
            id=id,
            type_=type_,
            at=at,
            subject_type=subject_type,
            subject_id=subject_id,
            queue=queue,
            worker_id=worker_id,
            data=data,
        )


        event.additional_properties = d
        return event

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
