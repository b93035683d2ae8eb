from enum import StrEnum

class WorkerEventDataState(StrEnum):
    ACTIVE = "active"
    DRAINING = "draining"

    def __str__(self) -> str:
        return str(self.value)
