"""`baton login`, `baton jobs …`, `baton queues …`, `baton workers …`: a command line for people
and scripts, on the generated client (baton_client) only.

Tables and colour on a terminal, plain tab-separated text when piped, `--json` for programs.
Exit codes: 0 done; 1 the server refused or failed; 2 bad usage or not logged in; 4 not found;
`jobs submit --wait` exits with the job's own exit code (or 1 failed, 124 timed out, 130
cancelled, as shells report them)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from typing import Any

import httpx
from baton_client.api.jobs import cancel_job, create_job, delete_job, get_job, list_jobs, retry_job
from baton_client.api.logs import get_execution_log
from baton_client.api.queues import (
    create_queue,
    delete_queue,
    get_queue_stats,
    list_queues,
    pause_queue,
    resume_queue,
)
from baton_client.api.workers import deregister_worker, drain_worker, get_worker, list_workers
from baton_client.models import GetExecutionLogStream, JobCreate, JobStatus, QueueCreate

from baton.console_output import Output
from baton.console_session import EXIT_USAGE, CliError, Session, log_in

__all__ = ["add_commands", "run"]

COMMANDS = ("login", "jobs", "queues", "workers")
FINISHED = {"completed": 0, "failed": 1, "timed_out": 124, "cancelled": 130}
JOB_COLUMNS = ("id", "name", "queue", "status", "attempt", "exit_code", "created_at")


def add_commands(commands: Any) -> None:
    """Add the client commands to `baton`'s subcommands."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--server", metavar="URL", help="server URL (default: the one `baton login` saved)")
    common.add_argument("--json", action="store_true", help="print the API's JSON instead of text")

    login = commands.add_parser(
        "login",
        help="log in to a server; the token is saved for the commands below",
        description="Saves {server, access_token, refresh_token} with mode 0600 in "
        "$XDG_CONFIG_HOME/baton/credentials.json (~/.config/baton/). The password "
        "is read from BATON_PASSWORD, a prompt, or stdin.",
    )
    login.add_argument("--server", required=True, metavar="URL")
    login.add_argument("--username", default=os.environ.get("USER", "admin"))

    jobs = commands.add_parser("jobs", help="submit, list, follow and manage jobs")
    sub = jobs.add_subparsers(dest="jobs_command", required=True, metavar="JOBS_COMMAND")
    submit = sub.add_parser(
        "submit", parents=[common], help="submit a job: baton jobs submit [options] -- CMD ARGS…"
    )
    submit.add_argument("--name")
    submit.add_argument("--queue")
    submit.add_argument("--label", action="append", default=[], metavar="KEY=VALUE")
    submit.add_argument("--timeout", type=int, metavar="SECONDS")
    submit.add_argument("--retries", type=int, metavar="N")
    submit.add_argument("--priority", type=int, metavar="0-9")
    submit.add_argument("--run-at", metavar="RFC3339", help="start no earlier than this time")
    submit.add_argument("--wait", action="store_true", help="wait for the end; exit with the job's exit code")
    submit.add_argument("argv", nargs=argparse.REMAINDER, metavar="-- CMD ARGS")
    listing = sub.add_parser("list", parents=[common], help="list jobs (newest first)")
    listing.add_argument("--status", action="append", default=[], choices=[s.value for s in JobStatus])
    listing.add_argument("--queue")
    listing.add_argument("--label", action="append", default=[], metavar="KEY=VALUE")
    listing.add_argument("--name", help="name prefix")
    listing.add_argument("--search", help="text the name contains, in any case")
    listing.add_argument("--limit", type=int, default=20)
    for verb, text in (
        ("get", "show a job"),
        ("cancel", "cancel a live job"),
        ("retry", "run a finished job again"),
        ("delete", "delete a finished job"),
    ):
        sub.add_parser(verb, parents=[common], help=text).add_argument("id")
    logs = sub.add_parser(
        "logs", parents=[common], help="print a job's output (the latest attempt by default)"
    )
    logs.add_argument("id")
    logs.add_argument("--attempt", type=int)
    logs.add_argument("--stderr", action="store_true", help="stderr instead of stdout")
    logs.add_argument("--follow", "-f", action="store_true", help="keep printing until the attempt ends")

    queues = commands.add_parser("queues", help="list and manage queues")
    sub = queues.add_subparsers(dest="queues_command", required=True, metavar="QUEUES_COMMAND")
    sub.add_parser("list", parents=[common], help="list defined queues")
    create = sub.add_parser("create", parents=[common], help="define a queue")
    create.add_argument("name")
    create.add_argument("--max-concurrency", type=int)
    for verb, text in (
        ("stats", "jobs of a queue by status"),
        ("pause", "stop starting its jobs"),
        ("resume", "start its jobs again"),
        ("delete", "delete its definition"),
    ):
        sub.add_parser(verb, parents=[common], help=text).add_argument("name")

    workers = commands.add_parser("workers", help="list and manage pull workers")
    sub = workers.add_subparsers(dest="workers_command", required=True, metavar="WORKERS_COMMAND")
    sub.add_parser("list", parents=[common], help="list pull workers")
    for verb, text in (
        ("get", "show a worker"),
        ("drain", "let it finish, give it nothing new"),
        ("deregister", "take it out of service"),
    ):
        sub.add_parser(verb, parents=[common], help=text).add_argument("id")


def run(args: argparse.Namespace) -> int:
    out = Output(as_json=getattr(args, "json", False))
    try:
        if args.command == "login":
            password = os.environ.get("BATON_PASSWORD") or _password()
            path = log_in(args.server, args.username, password)
            out.note(f"logged in to {args.server} as {args.username}; token saved in {path}")
            return 0
        session = Session.load(args.server)
        handler = {"jobs": _jobs, "queues": _queues, "workers": _workers}[args.command]
        return handler(session, args, out)
    except CliError as exc:
        out.error(str(exc))
        return exc.exit_code
    except httpx.HTTPError as exc:  # unreachable, refused, timed out
        out.error(f"cannot reach the server: {exc}")
        return 1


def _password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("password: ")
    return sys.stdin.readline().rstrip("\n")


def _jobs(s: Session, args: argparse.Namespace, out: Output) -> int:
    verb = args.jobs_command
    if verb == "submit":
        return _submit(s, args, out)
    if verb == "list":
        page = s.call(
            list_jobs,
            limit=args.limit,
            status=[JobStatus(x) for x in args.status] or None,
            queue=args.queue,
            label=args.label or None,
            name=args.name,
            search=args.search,
        )
        out.table([job.to_dict() for job in page.parsed.data], JOB_COLUMNS)
        return 0
    if verb == "logs":
        return _logs(s, args, out)
    action = {"get": get_job, "cancel": cancel_job, "retry": retry_job, "delete": delete_job}[verb]
    answer = s.call(action, args.id, expect=(200, 204))
    if verb == "delete":
        out.note(f"deleted {args.id}")
    else:
        out.record(answer.parsed.to_dict())
    return 0


def _submit(s: Session, args: argparse.Namespace, out: Output) -> int:
    argv = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
    if not argv:
        raise CliError("nothing to run: baton jobs submit [options] -- CMD ARGS…", EXIT_USAGE)
    fields: dict[str, Any] = {
        "command": argv,
        "name": args.name,
        "queue": args.queue,
        "priority": args.priority,
        "timeout_seconds": args.timeout,
        "max_retries": args.retries,
        "run_at": args.run_at,
        "labels": dict(pair.split("=", 1) for pair in args.label) or None,
    }
    if any("=" not in pair for pair in args.label):
        raise CliError("--label takes KEY=VALUE", EXIT_USAGE)
    body = JobCreate.from_dict({k: v for k, v in fields.items() if v is not None})
    job = s.call(create_job, body=body, expect=(201,)).parsed
    if not args.wait:
        out.record(job.to_dict()) if out.as_json else print(job.id)
        return 0
    out.progress(f"{job.id} {job.status.value}")
    while True:
        job = s.call(get_job, str(job.id)).parsed
        if job.status.value in FINISHED:
            break
        out.progress(f"{job.id} {job.status.value}")
        time.sleep(0.5)
    out.done_progress()
    out.record(job.to_dict()) if out.as_json else out.status_line(str(job.id), job.status.value)
    if job.status.value == "completed" or not isinstance(job.exit_code, int):
        return FINISHED[job.status.value]
    return job.exit_code or 1


def _logs(s: Session, args: argparse.Namespace, out: Output) -> int:
    job = s.call(get_job, args.id).parsed
    attempt = args.attempt or job.attempt
    while not attempt:  # not started yet
        if not args.follow:
            raise CliError(f"job {args.id} has not started: nothing logged yet", EXIT_USAGE)
        time.sleep(0.5)
        attempt = s.call(get_job, args.id).parsed.attempt
    stream = GetExecutionLogStream.STDERR if args.stderr else GetExecutionLogStream.STDOUT
    offset = 0
    while True:
        answer = s.call(get_execution_log, args.id, attempt, stream=stream, offset=offset, expect=(200, 404))
        if answer.status_code == 200:
            sys.stdout.buffer.write(answer.content)
            sys.stdout.flush()
            offset += len(answer.content)
            if not args.follow or answer.headers.get("baton-log-complete") == "true":
                return 0
        elif not args.follow:
            raise CliError(f"no log for attempt {attempt} of job {args.id}", 4)
        time.sleep(0.5)


def _queues(s: Session, args: argparse.Namespace, out: Output) -> int:
    verb = args.queues_command
    if verb == "list":
        page = s.call(list_queues, limit=100).parsed
        out.table([q.to_dict() for q in page.data], ("name", "paused", "max_concurrency", "description"))
        return 0
    if verb == "create":
        fields = {"name": args.name, "max_concurrency": args.max_concurrency}
        body = QueueCreate.from_dict({k: v for k, v in fields.items() if v is not None})
        out.record(s.call(create_queue, body=body, expect=(201,)).parsed.to_dict())
        return 0
    action = {"stats": get_queue_stats, "pause": pause_queue, "resume": resume_queue, "delete": delete_queue}[
        verb
    ]
    answer = s.call(action, args.name, expect=(200, 204))
    out.note(f"deleted queue {args.name}") if verb == "delete" else out.record(answer.parsed.to_dict())
    return 0


def _workers(s: Session, args: argparse.Namespace, out: Output) -> int:
    verb = args.workers_command
    if verb == "list":
        page = s.call(list_workers, limit=100).parsed
        out.table([w.to_dict() for w in page.data], ("id", "name", "hostname", "status", "load", "capacity"))
        return 0
    action = {"get": get_worker, "drain": drain_worker, "deregister": deregister_worker}[verb]
    answer = s.call(action, args.id, expect=(200, 204))
    out.note(f"deregistered {args.id}") if verb == "deregister" else out.record(answer.parsed.to_dict())
    return 0
