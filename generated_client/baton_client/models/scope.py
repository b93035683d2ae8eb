from enum import StrEnum

class Scope(StrEnum):
    ADMIN = "admin"
    JOBSREAD = "jobs:read"
    JOBSWRITE = "jobs:write"
    METRICSREAD = "metrics:read"
    QUEUESWRITE = "queues:write"
    SCHEDULESREAD = "schedules:read"
    SCHEDULESWRITE = "schedules:write"
    TEMPLATESREAD = "templates:read"
    TEMPLATESWRITE = "templates:write"
    WEBHOOKSREAD = "webhooks:read"
    WEBHOOKSWRITE = "webhooks:write"
    WORKERSREAD = "workers:read"
    WORKERSWRITE = "workers:write"
    WORKFLOWSREAD = "workflows:read"
    WORKFLOWSWRITE = "workflows:write"

    def __str__(self) -> str:
        return str(self.value)
