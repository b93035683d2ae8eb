""" Contains all the data models used in inputs/outputs """

from .analytics_figures import AnalyticsFigures
from .analytics_summary import AnalyticsSummary
from .analytics_trends import AnalyticsTrends
from .analytics_trends_bucket import AnalyticsTrendsBucket
from .api_key import ApiKey
from .api_key_create import ApiKeyCreate
from .api_key_created import ApiKeyCreated
from .api_key_page import ApiKeyPage
from .attempt_report import AttemptReport
from .audit_action import AuditAction
from .audit_event import AuditEvent
from .audit_event_details import AuditEventDetails
from .audit_event_outcome import AuditEventOutcome
from .audit_event_page import AuditEventPage
from .audit_event_target_type_type_1 import AuditEventTargetTypeType1
from .audit_event_target_type_type_2_type_1 import AuditEventTargetTypeType2Type1
from .audit_event_target_type_type_3_type_1 import AuditEventTargetTypeType3Type1
from .claim_request import ClaimRequest
from .claim_result import ClaimResult
from .claimed_job import ClaimedJob
from .claimed_job_labels import ClaimedJobLabels
from .claimed_job_payload_type_0 import ClaimedJobPayloadType0
from .duration_percentiles import DurationPercentiles
from .event import Event
from .event_page import EventPage
from .event_subject_type import EventSubjectType
from .execution import Execution
from .execution_page import ExecutionPage
from .execution_status import ExecutionStatus
from .export_executions_sort_item import ExportExecutionsSortItem
from .export_jobs_sort_item import ExportJobsSortItem
from .field_error import FieldError
from .fleet import Fleet
from .fleet_jobs_by_status import FleetJobsByStatus
from .fleet_workers import FleetWorkers
from .get_analytics_trends_bucket import GetAnalyticsTrendsBucket
from .get_execution_log_stream import GetExecutionLogStream
from .health import Health
from .health_check import HealthCheck
from .health_check_status import HealthCheckStatus
from .health_details import HealthDetails
from .health_details_checks import HealthDetailsChecks
from .health_details_status import HealthDetailsStatus
from .health_status import HealthStatus
from .info import Info
from .info_executor import InfoExecutor
from .info_storage import InfoStorage
from .job import Job
from .job_batch import JobBatch
from .job_batch_item_result import JobBatchItemResult
from .job_batch_result import JobBatchResult
from .job_cancel_request import JobCancelRequest
from .job_cancel_result import JobCancelResult
from .job_create import JobCreate
from .job_create_payload import JobCreatePayload
from .job_event_data import JobEventData
from .job_event_data_labels import JobEventDataLabels
from .job_filter import JobFilter
from .job_filter_labels import JobFilterLabels
from .job_labels import JobLabels
from .job_page import JobPage
from .job_patch import JobPatch
from .job_payload_type_0 import JobPayloadType0
from .job_status import JobStatus
from .labels import Labels
from .labels_patch_type_0 import LabelsPatchType0
from .lease import Lease
from .lease_request import LeaseRequest
from .list_jobs_sort_item import ListJobsSortItem
from .live_job_status import LiveJobStatus
from .login_request import LoginRequest
from .misfire_policy import MisfirePolicy
from .name_figures import NameFigures
from .overlap_policy import OverlapPolicy
from .pagination import Pagination
from .password_change import PasswordChange
from .problem import Problem
from .queue import Queue
from .queue_create import QueueCreate
from .queue_depth import QueueDepth
from .queue_depth_event_data import QueueDepthEventData
from .queue_event_data import QueueEventData
from .queue_figures import QueueFigures
from .queue_page import QueuePage
from .queue_patch import QueuePatch
from .queue_stats import QueueStats
from .queue_stats_by_status import QueueStatsByStatus
from .readiness import Readiness
from .readiness_checks import ReadinessChecks
from .readiness_status import ReadinessStatus
from .refresh_request import RefreshRequest
from .role import Role
from .schedule import Schedule
from .schedule_create import ScheduleCreate
from .schedule_event_data import ScheduleEventData
from .schedule_job import ScheduleJob
from .schedule_labels import ScheduleLabels
from .schedule_page import SchedulePage
from .schedule_patch import SchedulePatch
from .schedule_preview import SchedulePreview
from .schedule_preview_fire_times_item import SchedulePreviewFireTimesItem
from .schedule_template import ScheduleTemplate
from .schedule_template_parameters import ScheduleTemplateParameters
from .schedule_template_type_0 import ScheduleTemplateType0
from .schedule_template_type_0_parameters import ScheduleTemplateType0Parameters
from .scope import Scope
from .status_counts import StatusCounts
from .template import Template
from .template_create import TemplateCreate
from .template_create_job import TemplateCreateJob
from .template_create_parameters import TemplateCreateParameters
from .template_create_visibility import TemplateCreateVisibility
from .template_create_workflow import TemplateCreateWorkflow
from .template_definition import TemplateDefinition
from .template_kind import TemplateKind
from .template_page import TemplatePage
from .template_parameters import TemplateParameters
from .template_run import TemplateRun
from .template_run_parameters import TemplateRunParameters
from .template_run_result import TemplateRunResult
from .template_run_result_kind import TemplateRunResultKind
from .template_visibility import TemplateVisibility
from .token_pair import TokenPair
from .token_pair_token_type import TokenPairTokenType
from .token_request import TokenRequest
from .token_request_grant_type import TokenRequestGrantType
from .trend_point import TrendPoint
from .user import User
from .user_create import UserCreate
from .user_page import UserPage
from .user_patch import UserPatch
from .wait_percentiles import WaitPercentiles
from .webhook import Webhook
from .webhook_attempt import WebhookAttempt
from .webhook_create import WebhookCreate
from .webhook_delivery import WebhookDelivery
from .webhook_delivery_detail import WebhookDeliveryDetail
from .webhook_delivery_page import WebhookDeliveryPage
from .webhook_delivery_status import WebhookDeliveryStatus
from .webhook_event_data import WebhookEventData
from .webhook_event_type import WebhookEventType
from .webhook_filters import WebhookFilters
from .webhook_filters_create import WebhookFiltersCreate
from .webhook_filters_labels import WebhookFiltersLabels
from .webhook_filters_patch import WebhookFiltersPatch
from .webhook_last_attempt_type_0 import WebhookLastAttemptType0
from .webhook_page import WebhookPage
from .webhook_patch import WebhookPatch
from .webhook_replay_request import WebhookReplayRequest
from .webhook_replay_result import WebhookReplayResult
from .webhook_with_secret import WebhookWithSecret
from .worker import Worker
from .worker_event_data import WorkerEventData
from .worker_event_data_state import WorkerEventDataState
from .worker_event_data_status import WorkerEventDataStatus
from .worker_heartbeat import WorkerHeartbeat
from .worker_labels import WorkerLabels
from .worker_page import WorkerPage
from .worker_registration import WorkerRegistration
from .worker_state import WorkerState
from .worker_status import WorkerStatus
from .workflow import Workflow
from .workflow_create import WorkflowCreate
from .workflow_detail import WorkflowDetail
from .workflow_detail_progress import WorkflowDetailProgress
from .workflow_event_data import WorkflowEventData
from .workflow_labels import WorkflowLabels
from .workflow_page import WorkflowPage
from .workflow_phase import WorkflowPhase
from .workflow_phase_create import WorkflowPhaseCreate
from .workflow_phase_status import WorkflowPhaseStatus
from .workflow_status import WorkflowStatus
from .workflow_step import WorkflowStep
from .workflow_step_create import WorkflowStepCreate
from .workflow_step_create_on_failure import WorkflowStepCreateOnFailure
from .workflow_step_on_failure import WorkflowStepOnFailure
from .workflow_step_status import WorkflowStepStatus
from .ws_ticket import WsTicket

__all__ = (
    "AnalyticsFigures",
    "AnalyticsSummary",
    "AnalyticsTrends",
    "AnalyticsTrendsBucket",
    "ApiKey",
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyPage",
    "AttemptReport",
    "AuditAction",
    "AuditEvent",
    "AuditEventDetails",
    "AuditEventOutcome",
    "AuditEventPage",
    "AuditEventTargetTypeType1",
    "AuditEventTargetTypeType2Type1",
    "AuditEventTargetTypeType3Type1",
    "ClaimedJob",
    "ClaimedJobLabels",
    "ClaimedJobPayloadType0",
    "ClaimRequest",
    "ClaimResult",
    "DurationPercentiles",
    "Event",
    "EventPage",
    "EventSubjectType",
    "Execution",
    "ExecutionPage",
    "ExecutionStatus",
    "ExportExecutionsSortItem",
    "ExportJobsSortItem",
    "FieldError",
    "Fleet",
    "FleetJobsByStatus",
    "FleetWorkers",
    "GetAnalyticsTrendsBucket",
    "GetExecutionLogStream",
    "Health",
    "HealthCheck",
    "HealthCheckStatus",
    "HealthDetails",
    "HealthDetailsChecks",
    "HealthDetailsStatus",
    "HealthStatus",
    "Info",
    "InfoExecutor",
    "InfoStorage",
    "Job",
    "JobBatch",
    "JobBatchItemResult",
    "JobBatchResult",
    "JobCancelRequest",
    "JobCancelResult",
    "JobCreate",
    "JobCreatePayload",
    "JobEventData",
    "JobEventDataLabels",
    "JobFilter",
    "JobFilterLabels",
    "JobLabels",
    "JobPage",
    "JobPatch",
    "JobPayloadType0",
    "JobStatus",
    "Labels",
    "LabelsPatchType0",
    "Lease",
    "LeaseRequest",
    "ListJobsSortItem",
    "LiveJobStatus",
    "LoginRequest",
    "MisfirePolicy",
    "NameFigures",
    "OverlapPolicy",
    "Pagination",
    "PasswordChange",
    "Problem",
    "Queue",
    "QueueCreate",
    "QueueDepth",
    "QueueDepthEventData",
    "QueueEventData",
    "QueueFigures",
    "QueuePage",
    "QueuePatch",
    "QueueStats",
    "QueueStatsByStatus",
    "Readiness",
    "ReadinessChecks",
    "ReadinessStatus",
    "RefreshRequest",
    "Role",
    "Schedule",
    "ScheduleCreate",
    "ScheduleEventData",
    "ScheduleJob",
    "ScheduleLabels",
    "SchedulePage",
    "SchedulePatch",
    "SchedulePreview",
    "SchedulePreviewFireTimesItem",
    "ScheduleTemplate",
    "ScheduleTemplateParameters",
    "ScheduleTemplateType0",
    "ScheduleTemplateType0Parameters",
    "Scope",
    "StatusCounts",
    "Template",
    "TemplateCreate",
    "TemplateCreateJob",
    "TemplateCreateParameters",
    "TemplateCreateVisibility",
    "TemplateCreateWorkflow",
    "TemplateDefinition",
    "TemplateKind",
    "TemplatePage",
    "TemplateParameters",
    "TemplateRun",
    "TemplateRunParameters",
    "TemplateRunResult",
    "TemplateRunResultKind",
    "TemplateVisibility",
    "TokenPair",
    "TokenPairTokenType",
    "TokenRequest",
    "TokenRequestGrantType",
    "TrendPoint",
    "User",
    "UserCreate",
    "UserPage",
    "UserPatch",
    "WaitPercentiles",
    "Webhook",
    "WebhookAttempt",
    "WebhookCreate",
    "WebhookDelivery",
    "WebhookDeliveryDetail",
    "WebhookDeliveryPage",
    "WebhookDeliveryStatus",
    "WebhookEventData",
    "WebhookEventType",
    "WebhookFilters",
    "WebhookFiltersCreate",
    "WebhookFiltersLabels",
    "WebhookFiltersPatch",
    "WebhookLastAttemptType0",
    "WebhookPage",
    "WebhookPatch",
    "WebhookReplayRequest",
    "WebhookReplayResult",
    "WebhookWithSecret",
    "Worker",
    "WorkerEventData",
    "WorkerEventDataState",
    "WorkerEventDataStatus",
    "WorkerHeartbeat",
    "WorkerLabels",
    "WorkerPage",
    "WorkerRegistration",
    "WorkerState",
    "WorkerStatus",
    "Workflow",
    "WorkflowCreate",
    "WorkflowDetail",
    "WorkflowDetailProgress",
    "WorkflowEventData",
    "WorkflowLabels",
    "WorkflowPage",
    "WorkflowPhase",
    "WorkflowPhaseCreate",
    "WorkflowPhaseStatus",
    "WorkflowStatus",
    "WorkflowStep",
    "WorkflowStepCreate",
    "WorkflowStepCreateOnFailure",
    "WorkflowStepOnFailure",
    "WorkflowStepStatus",
    "WsTicket",
)
