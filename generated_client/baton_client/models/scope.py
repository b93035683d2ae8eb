from enum import StrEnum

class Scope(StrEnum):
    ADMIN = "admin"
    JOBSREAD = "jobs:read"
    JOBSWRITE = "jobs:write"
    METRICSREAD = "metrics:read"
    QUEUESWRITE = "queues:write"
    SCHEDULESREAD = "schedules:read"
    SCHEDULESWRITE = "schedules:write"
    WEBHOOKSREAD = "webhooks:read"
    WEBHOOKSWRITE = "webhooks:write"
    WORKERSREAD = "workers:read"
    WORKERSWRITE = "workers:write"

    def __str__(self) -> str:
        return str(self.value)
