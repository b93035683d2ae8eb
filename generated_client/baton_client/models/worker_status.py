from enum import StrEnum

class WorkerStatus(StrEnum):
    OFFLINE = "offline"
    ONLINE = "online"
    STALE = "stale"

    def __str__(self) -> str:
        return str(self.value)
