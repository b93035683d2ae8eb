from enum import StrEnum

class WorkflowStepOnFailure(StrEnum):
    ALWAYS = "always"
    CONTINUE = "continue"
    FAIL = "fail"

    def __str__(self) -> str:
        return str(self.value)
