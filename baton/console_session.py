"""The jobs CLI's session: credentials saved by `baton login` (mode 0600 under the user's config
directory), the generated client built from them, a refresh when the access token expired, and
an API error turned into a message and an exit code."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from baton_client import AuthenticatedClient, Client
from baton_client.api.auth import login, refresh_token
from baton_client.models import LoginRequest, RefreshRequest

__all__ = [
    "EXIT_API_ERROR",
    "EXIT_NOT_FOUND",
    "EXIT_USAGE",
    "CliError",
    "Session",
    "credentials_path",
    "log_in",
]

EXIT_API_ERROR = 1  # the server refused or failed the request
EXIT_USAGE = 2  # bad arguments, or not logged in
EXIT_NOT_FOUND = 4  # no such job, queue or worker (or not yours to see)


class CliError(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_API_ERROR) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def credentials_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "baton" / "credentials.json"


def _save(path: Path, data: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # created 0600 from the first byte: never readable by others, not even for a moment
    fd = os.open(path.with_suffix(".tmp"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    os.chmod(path.with_suffix(".tmp"), 0o600)
    os.replace(path.with_suffix(".tmp"), path)


def log_in(server: str, username: str, password: str) -> Path:
    """Log in and save {server, access_token, refresh_token}; the file's path."""
    answer = login.sync_detailed(
        client=Client(base_url=server.rstrip("/"), timeout=30), body=LoginRequest(username, password)
    )
    if answer.status_code != 200:
        raise CliError(_problem_text(answer.status_code, answer.content))
    tokens = answer.parsed
    path = credentials_path()
    _save(
        path,
        {
            "server": server.rstrip("/"),
            "access_token": tokens.access_token,
            "refresh_token": tokens.refresh_token,
        },
    )
    return path


@dataclass
class Session:
    server: str
    access_token: str
    refresh: str | None
    path: Path | None  # where the tokens came from, to save refreshed ones

    @classmethod
    def load(cls, server: str | None = None) -> Session:
        """From BATON_TOKEN (and BATON_SERVER), else from the credentials `baton login` saved."""
        if os.environ.get("BATON_TOKEN"):
            url = server or os.environ.get("BATON_SERVER", "http://127.0.0.1:8000")
            return cls(url.rstrip("/"), os.environ["BATON_TOKEN"], None, None)
        path = credentials_path()
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise CliError("not logged in: run `baton login --server URL` first", EXIT_USAGE) from None
        return cls(server or saved["server"], saved["access_token"], saved.get("refresh_token"), path)

    def client(self) -> AuthenticatedClient:
        return AuthenticatedClient(base_url=self.server, token=self.access_token, timeout=60)

    def call(
        self, operation: Callable[..., Any], *args: Any, expect: tuple[int, ...] = (200,), **kwargs: Any
    ) -> Any:
        """`operation.sync_detailed(*args, client=…, **kwargs)`, once more after a refresh if the
        access token expired; the answer, or CliError for any status not in `expect`. A keyword
        given as None is left out (the generated client wants UNSET for "not given")."""
        kwargs = {name: value for name, value in kwargs.items() if value is not None}
        answer = operation.sync_detailed(*args, client=self.client(), **kwargs)
        if answer.status_code == 401 and _code(answer.content) == "TOKEN_EXPIRED" and self._refreshed():
            answer = operation.sync_detailed(*args, client=self.client(), **kwargs)
        if answer.status_code not in expect:
            code = EXIT_NOT_FOUND if answer.status_code == 404 else EXIT_API_ERROR
            raise CliError(_problem_text(answer.status_code, answer.content), code)
        return answer

    def _refreshed(self) -> bool:
        if not self.refresh:
            return False
        answer = refresh_token.sync_detailed(
            client=Client(base_url=self.server, timeout=30), body=RefreshRequest(self.refresh)
        )
        if answer.status_code != 200:
            return False
        self.access_token, self.refresh = answer.parsed.access_token, answer.parsed.refresh_token
        if self.path is not None:
            _save(
                self.path,
                {"server": self.server, "access_token": self.access_token, "refresh_token": self.refresh},
            )
        return True


def _code(content: bytes) -> str | None:
    try:
        return json.loads(content).get("code")
    except (ValueError, AttributeError):
        return None


def _problem_text(status: int, content: bytes) -> str:
    try:
        problem = json.loads(content)
        text = f"{problem.get('code', status)}: {problem.get('detail') or problem.get('title')}"
        for error in problem.get("errors") or []:
            text += f"\n  {error.get('field')}: {error.get('message')}"
        return text
    except (ValueError, AttributeError):
        return f"HTTP {status}"


def warn(message: str) -> None:
    print(f"baton: {message}", file=sys.stderr)
