from enum import StrEnum

class EventSubjectType(StrEnum):
    JOB = "job"
    QUEUE = "queue"
    SCHEDULE = "schedule"
    WEBHOOK = "webhook"
    WORKER = "worker"
    WORKFLOW = "workflow"

    def __str__(self) -> str:
        return str(self.value)
