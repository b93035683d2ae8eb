from enum import StrEnum

class ListJobsSort(StrEnum):
    CREATED_AT = "created_at"
    PRIORITY = "priority"
    VALUE_1 = "-created_at"
    VALUE_3 = "-priority"

    def __str__(self) -> str:
        return str(self.value)
