from enum import StrEnum

class WorkflowStepStatus(StrEnum):
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    FAILED = "failed"
    PENDING = "pending"
    RUNNING = "running"
    SCHEDULED = "scheduled"
    TIMED_OUT = "timed_out"
    UPSTREAM_FAILED = "upstream_failed"
    WAITING = "waiting"

    def __str__(self) -> str:
        return str(self.value)
