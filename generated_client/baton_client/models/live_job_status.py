from enum import StrEnum

class LiveJobStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    SCHEDULED = "scheduled"

    def __str__(self) -> str:
        return str(self.value)
