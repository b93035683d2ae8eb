from enum import StrEnum

class LiveJobStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    SCHEDULED = "scheduled"
    WAITING = "waiting"

    def __str__(self) -> str:
        return str(self.value)
