from enum import StrEnum

class ExportJobsSortItem(StrEnum):
    CREATED_AT = "created_at"
    NAME = "name"
    PRIORITY = "priority"
    RUN_AT = "run_at"
    UPDATED_AT = "updated_at"
    VALUE_1 = "-created_at"
    VALUE_3 = "-updated_at"
    VALUE_5 = "-run_at"
    VALUE_7 = "-priority"
    VALUE_9 = "-name"

    def __str__(self) -> str:
        return str(self.value)
