from enum import StrEnum

class OverlapPolicy(StrEnum):
    ALLOW = "allow"
    CANCEL_PREVIOUS = "cancel_previous"
    QUEUE = "queue"
    SKIP = "skip"

    def __str__(self) -> str:
        return str(self.value)
