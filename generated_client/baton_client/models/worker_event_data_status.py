from enum import StrEnum

class WorkerEventDataStatus(StrEnum):
    OFFLINE = "offline"
    ONLINE = "online"
    STALE = "stale"

    def __str__(self) -> str:
        return str(self.value)
