""" Contains all the data models used in inputs/outputs """

from .execution import Execution
from .execution_page import ExecutionPage
from .execution_status import ExecutionStatus
from .field_error import FieldError
from .health import Health
from .health_status import HealthStatus
from .info import Info
from .info_executor import InfoExecutor
from .info_storage import InfoStorage
from .job import Job
from .job_create import JobCreate
from .job_labels import JobLabels
from .job_page import JobPage
from .job_patch import JobPatch
from .job_status import JobStatus
from .labels import Labels
from .labels_patch_type_0 import LabelsPatchType0
from .list_jobs_sort import ListJobsSort
from .login_request import LoginRequest
from .pagination import Pagination
from .problem import Problem
from .readiness import Readiness
from .readiness_checks import ReadinessChecks
from .readiness_status import ReadinessStatus
from .refresh_request import RefreshRequest
from .role import Role
from .token_pair import TokenPair
from .token_pair_token_type import TokenPairTokenType
from .token_request import TokenRequest
from .token_request_grant_type import TokenRequestGrantType
from .user import User

__all__ = (
    "Execution",
    "ExecutionPage",
    "ExecutionStatus",
    "FieldError",
    "Health",
    "HealthStatus",
    "Info",
    "InfoExecutor",
    "InfoStorage",
    "Job",
    "JobCreate",
    "JobLabels",
    "JobPage",
    "JobPatch",
    "JobStatus",
    "Labels",
    "LabelsPatchType0",
    "ListJobsSort",
    "LoginRequest",
    "Pagination",
    "Problem",
    "Readiness",
    "ReadinessChecks",
    "ReadinessStatus",
    "RefreshRequest",
    "Role",
    "TokenPair",
    "TokenPairTokenType",
    "TokenRequest",
    "TokenRequestGrantType",
    "User",
)
