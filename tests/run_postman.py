"""Run docs/postman_collection.json with newman against a live `baton serve` (tox -e postman).

    python tests/run_postman.py NODE_PREFIX

Starts a server on a free port with its own SQLite database and a known admin password, runs the
collection with --env-var baseUrl/username/password, and fails on any failed assertion, any
request that could not be sent, and any 5xx answer (read from newman's JSON report)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import REPO, ServerProcess

PASSWORD = "postman-admin-password"


def main(node_prefix: str) -> int:
    with tempfile.TemporaryDirectory(prefix="baton-postman-") as tmp:
        work = Path(tmp)
        server = ServerProcess(work / "baton.db", work / "server.log", BATON_ADMIN_PASSWORD=PASSWORD)
        server.start(timeout=90)
        report = work / "newman.json"
        try:
            newman = [
                "npx", "--prefix", node_prefix, "--no-install", "newman", "run",
                str(REPO / "docs" / "postman_collection.json"),
                "--env-var", f"baseUrl={server.url}", "--env-var", "username=admin",
                "--env-var", f"password={PASSWORD}",
                "--timeout-request", "30000", "--reporters", "cli,json", "--silent",
                "--reporter-json-export", str(report), "--color", "off",
            ]  # fmt: skip
            result = subprocess.run(newman, cwd=REPO)
        finally:
            server.stop()
        run = json.loads(report.read_text())["run"]
        failures = [f"{f['source']['name']}: {f['error']['message']}" for f in run["failures"]]
        server_errors = [
            f"{e['item']['name']}: {e['response']['code']}"
            for e in run["executions"]
            if e.get("response", {}).get("code", 0) >= 500
        ]
        stats = run["stats"]
        codes: dict[int, int] = {}
        for execution in run["executions"]:
            code = execution.get("response", {}).get("code", 0)
            codes[code] = codes.get(code, 0) + 1
        print("postman: answers by status: " + ", ".join(f"{c}: {n}" for c, n in sorted(codes.items())))
        print(
            f"postman: {stats['requests']['total']} requests, {stats['assertions']['total']} assertions, "
            f"{len(failures)} failed, {len(server_errors)} answered 5xx"
        )
        for line in failures + server_errors:
            print(f"  {line}")
        if server_errors:
            print(server.log()[-4000:])
        return 1 if failures or server_errors or result.returncode else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
