"""The authenticated API against Connexion's own ceiling, side by side in one run.

A bare Connexion 3 app serves the same three operations (the same OpenAPI definitions, copied from
openapi/baton.yaml without security) with the same JSON from memory; then a real `baton serve`
(1 process unless --workers) with rate limits out of the way, on a temporary SQLite database (or
--database postgresql), answers the same requests with a bearer token. wrk (Debian: `apt install
wrk`) loads each for --seconds with --connections connections, from 127.0.0.1. Prints requests/s,
p99 latency, non-2xx answers and Baton's ratio to the bare app. Targets (issue 10): GET a job
>= 0.6x, POST a job >= 0.5x, a list of 50 >= 0.4x, zero errors, p99 < 50 ms at c=32.

    python bench/api.py [--seconds 10] [--connections 32] [--database sqlite|postgresql] [--workers 1]
                        [--url-options pool_size=20&pool_pre_ping=false]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import ServerProcess, free_port, wait_for  # noqa: E402 - after sys.path
from tests.databases import create_database, drop_database  # noqa: E402

PASSWORD = "bench-password-123"
UNLIMITED = ",".join(f"{t}=1000000" for t in ("admin", "manager", "member", "viewer", "anonymous", "login"))
OPERATIONS = ("get_job", "create_job", "list_jobs")

POST_LUA = """
wrk.method = "POST"
wrk.body = '{"command": ["true"], "run_at": "2999-01-01T00:00:00Z", "name": "bench"}'
wrk.headers["Content-Type"] = "application/json"
"""

# The bare app: Connexion with the same operations and a handler that answers from memory. With
# a third argument "secure", the app serves the whole of Baton's spec (every route to match
# against) and checks the bearer token the way Baton's spec declares, with a token_info that
# answers from memory: Connexion's own ceiling for Baton's spec, before any Baton code runs.
BARE_APP = r"""
import json, sys
from connexion import AsyncApp
from connexion.resolver import Resolver
spec, job = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
page = {"data": [job] * 50, "pagination": {"limit": 50, "next_cursor": None, "has_next": False}}
JSON = {"Content-Type": "application/json"}
SCOPES = ["admin", "jobs:read", "jobs:write"]
def token_info(token): return {"sub": "bench", "scope": SCOPES}
def api_key_info(key, required_scopes=None): return None
async def get_job(job_id, **_): return job, 200, JSON
async def list_jobs(**_): return page, 200, JSON
async def create_job(body, **_): return job, 201, {**JSON, "Location": "/api/v1/jobs/" + job["id"]}
async def other(**_): return {"title": "not in this bench"}, 501
handlers = {"get_job": get_job, "list_jobs": list_jobs, "create_job": create_job}
app = AsyncApp(__name__)
app.add_api(spec, resolver=Resolver(lambda operation_id: handlers.get(operation_id, other)))
import uvicorn
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[3]), log_level="warning")
"""


def bare_spec() -> dict:
    """The three operations as openapi/baton.yaml declares them, security removed."""
    spec = yaml.safe_load((ROOT / "openapi" / "baton.yaml").read_text())
    keep = {}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and op.get("operationId") in OPERATIONS:
                op = {k: v for k, v in op.items() if k != "security"}
                keep.setdefault(path, {})[method] = op
    return {**spec, "paths": keep, "security": []}


def secure_spec() -> dict:
    """The whole of openapi/baton.yaml, its security checked by functions of the bare app."""
    spec = yaml.safe_load((ROOT / "openapi" / "baton.yaml").read_text())
    schemes = spec["components"]["securitySchemes"]
    schemes["OAuth2"]["x-tokenInfoFunc"] = "__main__.token_info"
    schemes["ApiKey"]["x-apikeyInfoFunc"] = "__main__.api_key_info"
    return spec


def wrk(url: str, seconds: int, connections: int, headers: dict[str, str], lua: str | None = None) -> dict:
    args = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    if lua:
        script = Path(tempfile.mkstemp(suffix=".lua")[1])
        script.write_text(lua)
        args += ["-s", str(script)]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return {"rps": rps, "p99_ms": p99_ms, "bad": non2xx + errors}


def run_all(base: str, job_id: str, headers: dict[str, str], seconds: int, connections: int) -> dict:
    return {
        "get_job": wrk(f"{base}/api/v1/jobs/{job_id}", seconds, connections, headers),
        "create_job": wrk(f"{base}/api/v1/jobs", seconds, connections, headers, POST_LUA),
        "list_jobs": wrk(f"{base}/api/v1/jobs?limit=50", seconds, connections, headers),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "mariadb"], default="sqlite")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--url-options", default="", help="options added to the database URL: pool_size=20")
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs of each; medians are printed")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench/api.py needs wrk: apt install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="baton-bench-api-"))

    url = create_database(args.database, workdir)
    server_url = url + ("&" if "?" in url else "?") + args.url_options if args.url_options else url
    server = ServerProcess(
        workdir / "baton.db",
        workdir / "server.log",
        BATON_DATABASE_URL=server_url,
        BATON_ADMIN_PASSWORD=PASSWORD,
        BATON_RATE_LIMITS=UNLIMITED,
        BATON_WORKERS=str(args.workers),
        BATON_LOG_LEVEL="warning",
    ).start()
    bare: list[subprocess.Popen] = []
    try:
        token = httpx.post(
            f"{server.url}/api/v1/auth/login", json={"username": "admin", "password": PASSWORD}
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=server.url, headers=headers) as client:
            jobs = [{"command": ["true"], "run_at": "2999-01-01T00:00:00Z"}] * 100
            client.post("/api/v1/jobs/batch", json={"jobs": jobs}).raise_for_status()
            job = client.get("/api/v1/jobs", params={"limit": 1}).json()["data"][0]

        job_file = workdir / "job.json"
        job_file.write_text(json.dumps(job))
        bases = {}
        for kind, spec in (("bare", bare_spec()), ("bare+spec", secure_spec())):
            spec_file, port = workdir / f"{kind}.json", free_port()
            spec_file.write_text(json.dumps(spec))
            bare.append(
                subprocess.Popen(
                    [sys.executable, "-c", BARE_APP, str(spec_file), str(job_file), str(port)],
                    env={**os.environ},
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            bases[kind] = f"http://127.0.0.1:{port}"
            wait_for(lambda base=bases[kind]: _up(base, headers), timeout=30, interval=0.2)
        targets = {"baton": (server.url, headers), "bare": (bases["bare"], {})}
        targets["bare+spec"] = (bases["bare+spec"], headers)
        for base, auth in targets.values():  # warm up
            wrk(f"{base}/api/v1/jobs/{job['id']}", 2, args.connections, auth)
        # alternate them, so that load from elsewhere on the machine falls on all alike
        runs: dict[str, list[dict]] = {kind: [] for kind in targets}
        for _ in range(args.rounds):
            for kind, (base, auth) in targets.items():
                runs[kind].append(run_all(base, job["id"], auth, args.seconds, args.connections))
    finally:
        server.stop()
        drop_database(url)
        for process in bare:
            process.terminate()
            process.wait(10)

    def median(kind: str, name: str, field: str) -> float:
        return statistics.median(run[name][field] for run in runs[kind])

    goals = {"get_job": 0.6, "create_job": 0.5, "list_jobs": 0.4}
    print(f"bench/api.py: {args.database}, {args.workers} server process(es), wrk c={args.connections}, "
          f"{args.seconds}s x {args.rounds} alternating rounds, medians; load average "
          f"{os.getloadavg()[0]:.1f}")  # fmt: skip
    header = ("request", "bare rps", "baton rps", "ratio", "target", "p99 ms", "errors", "spec rps", "ratio")
    print("{:<12} {:>9} {:>10} {:>6} {:>6} {:>7} {:>6} {:>9} {:>6}".format(*header))
    for name in OPERATIONS:
        bare_rps, baton_rps = median("bare", name, "rps"), median("baton", name, "rps")
        spec_rps = median("bare+spec", name, "rps")
        errors = sum(run[name]["bad"] for run in runs["baton"])
        print(f"{name:<12} {bare_rps:>9.0f} {baton_rps:>10.0f} {baton_rps / bare_rps:>6.2f} "
              f"{goals[name]:>6.1f} {median('baton', name, 'p99_ms'):>7.1f} {errors:>6} "
              f"{spec_rps:>9.0f} {spec_rps / bare_rps:>6.2f}")  # fmt: skip
    print("spec rps: the bare app serving the whole spec with its bearer check answered from memory "
          "(Connexion's own ceiling for Baton's spec); its ratio is to the bare app")  # fmt: skip


def _up(base: str, headers: dict[str, str]) -> bool:
    try:
        return httpx.get(f"{base}/api/v1/jobs?limit=1", headers=headers, timeout=1).status_code < 500
    except httpx.TransportError:
        return False


if __name__ == "__main__":
    main()
