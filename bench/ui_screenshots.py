"""Screenshots of the dashboard for docs/screenshots/ (shown in README): a server on a temporary
SQLite database with a few jobs, queues and pull workers, photographed by headless Chromium at
1280x800 and at 375 px wide. Run it after changing the dashboard's look; not part of the tests.

    python bench/ui_screenshots.py [--out docs/screenshots] [--chromium /usr/bin/chromium]

The workflow photographed is run for real (a failing step, an upstream-failed one and an `always`
step still running)."""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import ADMIN_PASSWORD, ThreadedServer, make_settings, wait_for
from tests.test_ui import CHROMIUM, CHROMIUM_ARGS

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}


def seed(client: httpx.Client, stop: threading.Event) -> dict[str, str]:
    """Jobs in every state, three queues, and pull workers online, stale and offline."""
    post = client.post
    post("/api/v1/queues", json={"name": "reports", "description": "Nightly reports", "max_concurrency": 2})
    post(
        "/api/v1/queues", json={"name": "builds", "description": "CI builds", "default_timeout_seconds": 900}
    )
    post("/api/v1/queues", json={"name": "exports", "description": "Data exports", "paused": True})
    jobs = {}

    def job(name: str, command: list[str], **fields: object) -> str:
        response = post("/api/v1/jobs", json={"name": name, "command": command, **fields})
        assert response.status_code == 201, response.text
        return response.json()["id"]

    jobs["flaky"] = job(
        "nightly report",
        [
            "sh",
            "-c",
            'echo "attempt $BATON_JOB_ATTEMPT: collecting 3 sources"; echo "reading orders.csv"; '
            'echo "reading refunds.csv"; if [ "$BATON_JOB_ATTEMPT" -lt 2 ]; then '
            'echo "refunds.csv: connection reset" >&2; exit 2; fi; '
            'echo "writing report.pdf (41 pages)"; echo done',
        ],
        queue="reports",
        max_retries=2,
        retry_backoff_seconds=0,
        priority=7,
    )
    job("disk usage", ["df", "-h"], queue="default")
    job(
        "build web", ["sh", "-c", "echo compiling; sleep 1; echo linking; exit 0"], queue="builds", priority=8
    )
    job("unit tests", ["sh", "-c", "echo 412 passed, 3 failed; exit 1"], queue="builds", priority=8)
    job("slow export", ["sleep", "5"], queue="default", timeout_seconds=1)
    cancelled = job("rebuild index", ["sleep", "60"], queue="default")
    post(f"/api/v1/jobs/{cancelled}/cancel")
    jobs["running"] = job(
        "backup database",
        [
            "sh",
            "-c",
            "for i in 1 2 3 4 5 6 7 8 9 10; do echo copying chunk $i of 60; sleep 0.4; done; sleep 120",
        ],
        queue="default",
        priority=9,
    )
    job("export invoices", ["true"], queue="exports")
    job("export customers", ["true"], queue="exports")
    job("cleanup tmp", ["true"], queue="default", run_at="2099-01-01T03:00:00Z")
    job("gpu render", ["render", "--frames", "1-240"], queue="robots", labels={"gpu": "true"})

    # pull workers: one heartbeats (online), one stopped a moment ago (stale), one long ago (offline)
    def worker(name: str, **fields: object) -> str:
        body = {"name": name, "queues": ["robots"], **fields}
        return post("/api/v1/workers", json=body).json()["id"]

    gone = worker("robot-3", hostname="lab-3.example", labels={"os": "linux"}, capacity=2)
    alive = worker("robot-1", hostname="lab-1.example", labels={"gpu": "true", "os": "linux"}, capacity=4)

    def beat() -> None:
        while not stop.is_set():
            client.post(f"/api/v1/workers/{alive}/heartbeat", json={"load": 3})
            stop.wait(0.5)

    threading.Thread(target=beat, daemon=True).start()
    del gone  # robot-3 is offline 5 intervals (5 s) later
    return jobs


def real_workflow(client: httpx.Client) -> str:
    """A nightly ETL: `load` fails, `report` is cancelled as upstream-failed, `cleanup`
    (on_failure: always) runs on."""
    steps = [
        {"name": "extract", "job": {"command": ["sh", "-c", "echo 3 sources"]}},
        {"name": "transform", "job": {"command": ["sh", "-c", "echo 1204 rows"]}, "depends_on": ["extract"]},
        {
            "name": "load",
            "job": {"command": ["sh", "-c", "echo connection refused >&2; exit 1"]},
            "depends_on": ["transform"],
        },
        {"name": "report", "job": {"command": ["echo", "report"]}, "depends_on": ["transform", "load"]},
        {
            "name": "cleanup",
            "job": {"command": ["sleep", "60"]},
            "depends_on": ["load"],
            "on_failure": "always",
        },
    ]
    created = client.post("/api/v1/workflows", json={"name": "nightly etl", "steps": steps})
    assert created.status_code == 201, created.text
    workflow_id = created.json()["id"]

    def settled() -> bool:
        found = client.get(f"/api/v1/workflows/{workflow_id}").json()["steps"]
        status = {step["name"]: step["status"] for step in found}
        return status["load"] == "failed" and status["cleanup"] == "running"

    wait_for(settled, timeout=60)
    return workflow_id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "screenshots"))
    parser.add_argument("--chromium", default=CHROMIUM)
    args = parser.parse_args()
    from playwright.sync_api import expect, sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="baton-shots-"))
    settings = make_settings(tmp / "shots.db", worker_heartbeat_seconds=1.0)
    stop = threading.Event()
    with ThreadedServer(settings) as url:
        token = httpx.post(
            f"{url}/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}
        ).json()["access_token"]
        client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        jobs = seed(client, stop)
        wait_for(lambda: client.get(f"/api/v1/jobs/{jobs['flaky']}").json()["status"] == "completed")
        shots: list[str] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport=DESKTOP)
            expect.set_options(timeout=20_000)
            workflow_id = real_workflow(client)

            def shot(name: str, hash_: str, ready: str, full: bool = False) -> None:
                page.evaluate("h => { location.hash = h; }", hash_)
                expect(page.locator(ready).first).to_be_visible()
                page.wait_for_timeout(700)  # let live updates and fonts settle
                page.screenshot(path=str(out / f"{name}.png"), full_page=full)
                shots.append(name)

            page.goto(f"{url}/ui")
            page.fill("#username", "admin")
            page.screenshot(path=str(out / "login.png"))
            shots.append("login")
            page.fill("#password", ADMIN_PASSWORD)
            page.click("form.login button[type=submit]")
            expect(page.locator("#live")).to_have_text("live")
            shot("jobs", "#/jobs", "#jobs-results tbody tr")
            shot("job", f"#/jobs/{jobs['flaky']}", "#log-output:has-text('done')")
            shot("job-running", f"#/jobs/{jobs['running']}", "#log-output:has-text('chunk 3')")
            shot("queues", "#/queues", "#queues-results tbody tr")
            # robot-2 registers now and never heartbeats: stale after 2 intervals (2 s), offline after 5
            client.post(
                "/api/v1/workers",
                json={"name": "robot-2", "queues": ["robots"], "hostname": "lab-2.example", "capacity": 2},
            )
            time.sleep(2.6)
            shot("workers", "#/workers", "#workers-results tbody tr:has-text('stale')")
            shot("workflow", f"#/workflows/{workflow_id}", "#workflow-graph svg .node")
            page.set_viewport_size(PHONE)
            shot("jobs-phone", "#/jobs", "#jobs-results tbody tr")
            shot("job-phone", f"#/jobs/{jobs['flaky']}", "#log-output:has-text('done')")
            browser.close()
        stop.set()
        client.post(f"/api/v1/jobs/{jobs['running']}/cancel")
        client.post(f"/api/v1/workflows/{workflow_id}/cancel")
    for name in shots:
        print(f"{out / name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
