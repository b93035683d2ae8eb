"""Full logs through HTTP: GET /api/v1/jobs/{id}/executions/{attempt}/log with Range and
offset/limit reads, validators that follow a growing log, the per-stream cap, and cleanup."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.conftest import (
    LiveServer,
    ThreadedServer,
    assert_problem,
    make_settings,
    wait_for,
    wait_for_status,
)

JOBS = "/api/v1/jobs"
LINES = 200_000  # `seq 1 200000`: 1,288,895 bytes, far past the 64 KiB tail
SEQ_BYTES = "".join(f"{i}\n" for i in range(1, LINES + 1)).encode()


def run(client: httpx.Client, command: list[str], status: str = "completed") -> str:
    response = client.post(JOBS, json={"command": command})
    assert response.status_code == 201, response.text
    job_id = response.json()["id"]
    wait_for_status(client, job_id, {status})
    return job_id


def log_url(job_id: str, attempt: int = 1) -> str:
    return f"{JOBS}/{job_id}/executions/{attempt}/log"


@pytest.fixture(scope="module")
def seq_job(admin: httpx.Client) -> str:
    return run(admin, ["sh", "-c", f"seq 1 {LINES}; echo oops >&2"])


def test_the_whole_log_is_kept_while_the_row_keeps_a_tail(admin: httpx.Client, seq_job: str) -> None:
    execution = admin.get(f"{JOBS}/{seq_job}/executions").json()["data"][0]
    assert execution["stdout_truncated"] is True and len(execution["stdout"]) == 65536
    response = admin.get(log_url(seq_job))
    assert response.status_code == 200
    assert response.content == SEQ_BYTES
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["content-length"] == str(len(SEQ_BYTES))
    assert response.headers["baton-log-size"] == str(len(SEQ_BYTES))
    assert response.headers["baton-log-complete"] == "true"
    assert response.headers["accept-ranges"] == "bytes"
    assert SEQ_BYTES.endswith(execution["stdout"].encode())
    stderr = admin.get(log_url(seq_job), params={"stream": "stderr"})
    assert stderr.content == b"oops\n" and stderr.headers["baton-log-size"] == "5"


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-9", 0, 10),
        ("bytes=1000-1999", 1000, 2000),
        ("bytes=1288890-", 1288890, len(SEQ_BYTES)),
        ("bytes=-6", len(SEQ_BYTES) - 6, len(SEQ_BYTES)),
        ("bytes=1288890-99999999", 1288890, len(SEQ_BYTES)),  # a last byte past the end is clipped
        ("bytes=-99999999", 0, len(SEQ_BYTES)),
    ],
)
def test_a_byte_range_is_206(admin: httpx.Client, seq_job: str, header: str, start: int, end: int) -> None:
    response = admin.get(log_url(seq_job), headers={"Range": header})
    assert response.status_code == 206, response.text
    assert response.content == SEQ_BYTES[start:end]
    assert response.headers["content-range"] == f"bytes {start}-{end - 1}/{len(SEQ_BYTES)}"
    assert response.headers["etag"] == admin.get(log_url(seq_job)).headers["etag"]


@pytest.mark.parametrize("header", ["bytes=1288895-", "bytes=5000000-6000000"])
def test_a_range_past_the_end_is_416(admin: httpx.Client, seq_job: str, header: str) -> None:
    response = admin.get(log_url(seq_job), headers={"Range": header})
    assert_problem(response, 416, "RANGE_NOT_SATISFIABLE")
    assert response.headers["content-range"] == f"bytes */{len(SEQ_BYTES)}"


@pytest.mark.parametrize(
    "header", ["bytes=0-1,5-6", "items=0-5", "bytes=9-2", "bytes=x-", "bytes=-", "nonsense"]
)
def test_a_range_that_is_not_one_valid_byte_range_is_ignored(
    admin: httpx.Client, seq_job: str, header: str
) -> None:
    response = admin.get(log_url(seq_job), headers={"Range": header})
    assert response.status_code == 200 and response.content == SEQ_BYTES


def test_offset_and_limit(admin: httpx.Client, seq_job: str) -> None:
    window = admin.get(log_url(seq_job), params={"offset": 100, "limit": 50})
    assert window.status_code == 200 and window.content == SEQ_BYTES[100:150]
    rest = admin.get(log_url(seq_job), params={"offset": len(SEQ_BYTES) - 3})
    assert rest.content == SEQ_BYTES[-3:]
    past = admin.get(log_url(seq_job), params={"offset": len(SEQ_BYTES) + 10})
    assert past.status_code == 200 and past.content == b""
    assert past.headers["baton-log-size"] == str(len(SEQ_BYTES))
    # offset/limit win; the Range beside them is ignored
    both = admin.get(log_url(seq_job), params={"offset": 2, "limit": 2}, headers={"Range": "bytes=0-1"})
    assert both.status_code == 200 and both.content == b"2\n" and "content-range" not in both.headers


@pytest.mark.parametrize(
    "params", [{"offset": -1}, {"limit": 0}, {"offset": "x"}, {"stream": "stdin"}, {"tail": 5}]
)
def test_bad_parameters_are_400(admin: httpx.Client, seq_job: str, params: dict) -> None:
    assert_problem(admin.get(log_url(seq_job), params=params), 400, "VALIDATION_ERROR")


def test_etag_and_304(admin: httpx.Client, seq_job: str) -> None:
    tag = admin.get(log_url(seq_job)).headers["etag"]
    again = admin.get(log_url(seq_job), headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    other_stream = admin.get(log_url(seq_job), params={"stream": "stderr"}).headers["etag"]
    assert other_stream != tag


def test_raw_bytes_are_kept(admin: httpx.Client) -> None:
    job_id = run(admin, ["printf", "caf\\303\\251 \\377\\376 end"])
    assert admin.get(log_url(job_id)).content == b"caf\xc3\xa9 \xff\xfe end"


def test_a_running_log_grows_until_complete(admin: httpx.Client) -> None:
    response = admin.post(
        JOBS, json={"command": ["sh", "-c", "echo one; sleep 0.5; echo two; exec sleep 300"]}
    )
    job_id = response.json()["id"]
    wait_for(lambda: admin.get(log_url(job_id)).content == b"one\ntwo\n", timeout=20)
    live = admin.get(log_url(job_id))
    assert live.headers["baton-log-complete"] == "false"
    tag = live.headers["etag"]
    # follow from the size we have: nothing new yet
    assert admin.get(log_url(job_id), params={"offset": 8}).content == b""
    assert admin.post(f"{JOBS}/{job_id}/cancel").status_code == 200
    wait_for(lambda: admin.get(log_url(job_id)).headers["baton-log-complete"] == "true", timeout=20)
    done = admin.get(log_url(job_id), headers={"If-None-Match": tag})
    assert done.status_code == 200 and done.content == b"one\ntwo\n"  # same bytes, now complete: a new tag


def test_each_attempt_has_its_own_log(admin: httpx.Client) -> None:
    job_id = run(admin, ["sh", "-c", 'echo "attempt $BATON_JOB_ATTEMPT"'])
    assert admin.post(f"{JOBS}/{job_id}/retry").status_code == 200
    wait_for(
        lambda: (
            admin.get(f"{JOBS}/{job_id}").json()["attempt"] == 2
            and admin.get(f"{JOBS}/{job_id}").json()["status"] == "completed"
        )
    )
    assert admin.get(log_url(job_id, 1)).content == b"attempt 1\n"
    assert admin.get(log_url(job_id, 2)).content == b"attempt 2\n"
    assert_problem(admin.get(log_url(job_id, 3)), 404, "EXECUTION_NOT_FOUND")
    assert_problem(admin.get(log_url(job_id, 0)), 400, "VALIDATION_ERROR")


def test_a_command_that_did_not_start_has_an_empty_log(admin: httpx.Client) -> None:
    job_id = run(admin, ["/no/such/program"], status="failed")
    response = admin.get(log_url(job_id))
    assert response.status_code == 200 and response.content == b""
    assert response.headers["baton-log-complete"] == "true"
    # RFC 9110 §14.1.2: on a zero-length representation a suffix range is the one satisfiable
    # kind, yet no 206 can describe zero bytes: the Range is ignored and the empty log is the answer
    suffix = admin.get(log_url(job_id), headers={"Range": "bytes=-2000"})
    assert suffix.status_code == 200 and suffix.content == b"", suffix.text
    assert "content-range" not in suffix.headers
    assert_problem(admin.get(log_url(job_id), headers={"Range": "bytes=-0"}), 416, "RANGE_NOT_SATISFIABLE")
    assert_problem(admin.get(log_url(job_id), headers={"Range": "bytes=0-"}), 416, "RANGE_NOT_SATISFIABLE")


def test_logs_follow_visibility(server: LiveServer, admin: httpx.Client, seq_job: str) -> None:
    with server.client(server.token("member")) as member:
        assert_problem(member.get(log_url(seq_job)), 404, "JOB_NOT_FOUND")
        own = run(member, ["echo", "mine"])
        assert member.get(log_url(own)).content == b"mine\n"
    with server.client(server.token("viewer")) as viewer:
        assert viewer.get(log_url(seq_job), headers={"Range": "bytes=0-1"}).content == b"1\n"
    assert_problem(httpx.get(server.url + log_url(seq_job)), 401, "UNAUTHORIZED")
    missing = "01a1f4a4-0000-7000-8000-000000000000"
    assert_problem(admin.get(log_url(missing)), 404, "JOB_NOT_FOUND")


def test_deleting_a_job_deletes_its_logs(server: LiveServer, admin: httpx.Client) -> None:
    job_id = run(admin, ["echo", "bye"])
    directory = Path(server.settings.log_url.removeprefix("file://")) / job_id
    assert (directory / "1.stdout.log").read_bytes() == b"bye\n"
    assert admin.delete(f"{JOBS}/{job_id}").status_code == 204
    assert not directory.exists()


def test_a_log_is_cut_at_the_cap_and_says_so(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "cap.db", log_max_bytes=4096)
    with ThreadedServer(settings) as url:
        live = LiveServer(url, settings)
        with live.client(live.token("admin")) as admin:
            job_id = run(admin, ["seq", "1", "10000"])
            body = admin.get(log_url(job_id)).content
    full = "".join(f"{i}\n" for i in range(1, 10001)).encode()
    assert body.startswith(full[:4096])
    note = body[4096:].decode()
    assert note == f"\n[baton: log cut at 4096 bytes; {len(full) - 4096} more bytes were dropped]\n"


def test_the_generated_client_reads_a_log(server: LiveServer, seq_job: str) -> None:
    from baton_client import AuthenticatedClient
    from baton_client.api.logs import get_execution_log

    client = AuthenticatedClient(base_url=server.url, token=server.token("admin"))
    text = get_execution_log.sync(seq_job, 1, client=client, offset=0, limit=12)
    assert text == "1\n2\n3\n4\n5\n6\n"
