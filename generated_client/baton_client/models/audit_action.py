from enum import StrEnum

class AuditAction(StrEnum):
    API_KEY_CREATE = "api_key.create"
    API_KEY_REVOKE = "api_key.revoke"
    AUTH_LOGIN = "auth.login"
    AUTH_LOGIN_FAILED = "auth.login_failed"
    AUTH_LOGOUT = "auth.logout"
    AUTH_REFRESH_REUSED = "auth.refresh_reused"
    JOB_DELETE = "job.delete"
    QUEUE_DELETE = "queue.delete"
    SCHEDULE_DELETE = "schedule.delete"
    USER_CREATE = "user.create"
    USER_PASSWORD_RESET = "user.password_reset"
    USER_UPDATE = "user.update"
    WEBHOOK_DELETE = "webhook.delete"
    WEBHOOK_ROTATE_SECRET = "webhook.rotate_secret"
    WORKER_DELETE = "worker.delete"

    def __str__(self) -> str:
        return str(self.value)
