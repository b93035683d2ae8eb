from enum import StrEnum

class WorkflowStepCreateOnFailure(StrEnum):
    ALWAYS = "always"
    CONTINUE = "continue"
    FAIL = "fail"

    def __str__(self) -> str:
        return str(self.value)
