from enum import StrEnum

class TemplateRunResultKind(StrEnum):
    JOB = "job"
    WORKFLOW = "workflow"

    def __str__(self) -> str:
        return str(self.value)
