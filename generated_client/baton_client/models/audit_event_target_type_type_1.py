from enum import StrEnum

class AuditEventTargetTypeType1(StrEnum):
    API_KEY = "api_key"
    JOB = "job"
    QUEUE = "queue"
    SESSION = "session"
    USER = "user"
    WEBHOOK = "webhook"
    WORKER = "worker"

    def __str__(self) -> str:
        return str(self.value)
