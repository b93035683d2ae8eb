"""The dashboard at /ui: served from the package under a strict policy, and driven in a real
browser (Debian's Chromium through Playwright): log in, watch a job reach `completed` without a
reload, follow its log, cancel a running job behind a confirmation, filter and page the list,
pause and resume a queue, see workers and the fleet, a task job's payload and result, pause and
resume a schedule, follow a workflow's graph and retry it, run a template with parameter values,
fit a 375 px screen, and no console errors.

Without Playwright or Chromium the browser tests skip, except under CI (CI=true), where they fail:
.ci/run installs Chromium and the `test` extra installs Playwright. BATON_TEST_CHROMIUM names
another browser binary."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_PASSWORD, REPO, LiveServer, wait_for, wait_for_status

CHROMIUM = os.environ.get("BATON_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# no sandbox: CI runs as root; nothing else: the machine reaches no network but the test server
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
UI_FILES = REPO / "baton" / "static" / "ui"
# registered tasks (tests.add, tests.echo, …) for the task job's page
# the server runs in this process beside the browser driver: a lease of 2 s lapsed under load
SERVER_SETTINGS = {"tasks": "tests.sample_tasks", "lease_seconds": 15}
WAIT_MS = 20_000


# ---- without a browser ---------------------------------------------------------------------


def test_the_page_and_its_modules_come_from_the_package_under_a_strict_policy(server: LiveServer) -> None:
    page = httpx.get(f"{server.url}/ui")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    # every script and stylesheet is a file of this server: no CDN, nothing inline
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page.text, re.S)
    assert scripts and all('src="ui/' in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in page.text and " style=" not in page.text
    assert not re.search(r'(src|href)="(https?:)?//', page.text)
    policy = dict(
        part.strip().split(" ", 1)
        for part in page.headers["content-security-policy"].split(";")
        if part.strip()
    )
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["connect-src"] == "'self'" and policy["form-action"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert not any("unsafe" in value or "*" in value or "http" in value for value in policy.values())

    module = httpx.get(f"{server.url}/ui/app.js")
    assert module.status_code == 200 and module.headers["content-type"].startswith("text/javascript")
    assert module.headers["cache-control"] == "no-cache" and module.headers["etag"].startswith('"')
    again = httpx.get(f"{server.url}/ui/app.js", headers={"If-None-Match": module.headers["etag"]})
    assert again.status_code == 304
    assert httpx.get(f"{server.url}/ui/pages/jobs.js").status_code == 200
    assert httpx.get(f"{server.url}/ui/app.css").headers["content-type"].startswith("text/css")
    # only files of the folder: a name is looked up, never joined to a path
    for missing in ("/ui/nothing.js", "/ui/index.html", "/ui/%2e%2e/openapi.json", "/ui/pages/%2e%2e/app.js"):
        answer = httpx.get(f"{server.url}{missing}")
        assert answer.status_code == 404, missing
        assert answer.headers["content-type"].startswith("application/problem+json")
    for path in ("/ui", "/ui/app.js"):
        post = httpx.post(f"{server.url}{path}")
        assert post.status_code == 405 and post.headers["allow"] == "GET, HEAD"
        assert post.headers["content-type"].startswith("application/problem+json")
    assert httpx.head(f"{server.url}/ui").status_code == 200
    slash = httpx.get(f"{server.url}/ui/")
    assert slash.status_code == 308 and slash.headers["location"] == "../ui"


def test_the_modules_put_server_data_on_the_page_as_text_only() -> None:
    # job names, log lines and problem details reach the DOM through textContent and attribute
    # values; none of these could turn them into markup or code
    sources = {path: path.read_text() for path in UI_FILES.rglob("*.js")}
    assert len(sources) >= 10
    for path, text in sources.items():
        for risky in (
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
        ):
            assert risky not in text, (path.name, risky)
        assert 'setAttribute("style"' not in text, path.name  # refused by the policy anyway
        # no storage: the tokens live in memory only
        assert not re.search(r"\b(localStorage|sessionStorage|document\.cookie)\b\s*[.\[=]", text), path.name


# ---- in a browser ----------------------------------------------------------------------------


def _playwright_or_skip():
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
        reason = "Playwright is not installed (pip install playwright)"
    if reason is None and not Path(CHROMIUM).exists():
        reason = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI runs the browser tests: {reason}")
        pytest.skip(reason)
    return sync_playwright


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_playwright = _playwright_or_skip()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Ui:
    """One browser tab on the dashboard, with the console errors it logged."""

    def __init__(self, server: LiveServer, page) -> None:
        from playwright.sync_api import expect

        self.server = server
        self.page = page
        self.expect = expect
        self.errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def open(self, hash_: str = "") -> None:
        self.page.goto(f"{self.server.url}/ui{hash_}")

    def login(self, hash_: str | None = "", password: str = ADMIN_PASSWORD) -> None:
        """Log in as the admin, opening the page at `hash_` first (None: on the page as it is)."""
        if hash_ is not None:
            self.open(hash_)
        self.page.fill("#username", "admin")
        self.page.fill("#password", password)
        self.page.click("form.login button[type=submit]")
        self.expect(self.page.locator("#who")).to_have_text("admin (admin)")

    def go(self, hash_: str) -> None:
        """Another view of the same page (a hash change: no reload, the session stays)."""
        self.page.evaluate("hash => { location.hash = hash; }", hash_)

    def mark_document(self) -> None:
        self.page.evaluate("window.__sameDocument = true")

    def assert_not_reloaded(self) -> None:
        assert self.page.evaluate("window.__sameDocument === true"), "the page was reloaded"

    def assert_clean(self, expected: tuple[str, ...] = ()) -> None:
        """No console error but the expected ones (failed requests the test provoked on purpose)."""
        unexpected = [e for e in self.errors if not any(part in e for part in expected)]
        assert unexpected == [], unexpected

    def no_horizontal_overflow(self) -> bool:
        return self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def ui(browser, server: LiveServer) -> Iterator[Ui]:
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        yield Ui(server, context.new_page())
    finally:
        context.close()


def submit(admin: httpx.Client, command: list[str], **fields: object) -> dict:
    """A job: a command, or (command []) a registered task given as `task` and `payload`."""
    response = admin.post("/api/v1/jobs", json={**({"command": command} if command else {}), **fields})
    assert response.status_code == 201, response.text
    return response.json()


def row_of(ui: Ui, job_id: str):
    return ui.page.locator(f'#jobs-results tr[data-key="{job_id}"]')


@pytest.mark.slow
def test_login_shows_a_wrong_password_and_then_goes_live(ui: Ui) -> None:
    ui.open()
    ui.page.fill("#username", "admin")
    ui.page.fill("#password", "not the password")
    ui.page.click("form.login button[type=submit]")
    ui.expect(ui.page.locator("#login-error")).to_contain_text("Wrong username or password")
    assert ui.page.locator("#top").is_hidden()
    ui.login()
    ui.expect(ui.page.locator("#nav a[aria-current=page]")).to_have_text("Jobs")
    # the event WebSocket opened under the page's policy (not the long-poll fallback)
    ui.expect(ui.page.locator("#live")).to_have_text("live")
    ui.page.click("#logout")
    ui.expect(ui.page.locator("#password")).to_be_visible()
    ui.assert_clean(expected=("status of 401",))  # the wrong password's answer


@pytest.mark.slow
def test_a_submitted_job_reaches_completed_on_screen_and_its_log_follows(ui: Ui, admin: httpx.Client) -> None:
    ui.login("#/jobs")
    ui.expect(ui.page.locator("#live")).to_have_text("live")
    ui.mark_document()
    job = submit(admin, ["sh", "-c", "echo ui-first-line; sleep 1; echo ui-last-line"], name="ui-complete")
    row = row_of(ui, job["id"])
    ui.expect(row).to_be_visible()  # listed from its job.created event, no reload
    ui.expect(row.locator(".badge")).to_have_text("completed")
    ui.expect(row.locator("td[data-label=Exit]")).to_have_text("0")
    ui.assert_not_reloaded()

    # a job that writes over time: its log grows on screen while it runs
    slow = submit(
        admin,
        ["sh", "-c", "echo step-one; sleep 4; echo step-two; sleep 1; echo step-three"],
        name="ui-follow",
    )
    ui.expect(row_of(ui, slow["id"])).to_be_visible()
    row_of(ui, slow["id"]).get_by_role("link", name="ui-follow").click()
    log = ui.page.locator("#log-output")
    ui.expect(log).to_contain_text("step-one")
    assert admin.get(f"/api/v1/jobs/{slow['id']}").json()["status"] == "running"
    ui.expect(log).to_contain_text("step-three")
    ui.expect(ui.page.locator("#log-status")).to_contain_text("complete")
    ui.expect(ui.page.locator("#job-status .badge")).to_have_text("completed")
    ui.expect(ui.page.locator("#executions td[data-label='Exit code']")).to_have_text("0")
    assert log.inner_text().split() == ["step-one", "step-two", "step-three"]

    # and the first job's log, opened from the list
    ui.go("#/jobs")
    row.get_by_role("link", name="ui-complete").click()
    ui.expect(ui.page.locator("#log-output")).to_have_text(re.compile(r"ui-first-line\s+ui-last-line"))
    ui.assert_not_reloaded()
    ui.assert_clean()


@pytest.mark.slow
def test_a_running_job_is_cancelled_only_after_confirmation(ui: Ui, admin: httpx.Client) -> None:
    job = submit(admin, ["sleep", "30"], name="ui-cancel")
    wait_for_status(admin, job["id"], {"running"})
    ui.login(f"#/jobs/{job['id']}")
    ui.expect(ui.page.locator("#job-status .badge")).to_have_text("running")
    dialog = ui.page.locator("#confirm")

    ui.page.click("#cancel-job")
    ui.expect(dialog).to_be_visible()
    ui.expect(dialog).to_contain_text("Its process will be killed")
    ui.page.click("#confirm-no")  # changed their mind
    ui.expect(dialog).to_be_hidden()
    assert admin.get(f"/api/v1/jobs/{job['id']}").json()["status"] == "running"

    ui.page.click("#cancel-job")
    ui.page.click("#confirm-yes")
    ui.expect(ui.page.locator("#job-status .badge")).to_have_text("cancelled")
    assert admin.get(f"/api/v1/jobs/{job['id']}").json()["status"] == "cancelled"
    ui.expect(ui.page.locator("#executions td[data-label=Status] .badge")).to_have_text("cancelled")

    # a finished job offers retry and delete instead; delete sends the job's ETag
    ui.page.click("#delete-job")
    ui.expect(dialog).to_contain_text("deleted for good")
    ui.page.click("#confirm-yes")
    ui.expect(ui.page.locator(".banner.info")).to_contain_text("deleted")
    assert admin.get(f"/api/v1/jobs/{job['id']}").status_code == 404
    ui.assert_clean()


@pytest.mark.slow
def test_a_task_job_shows_its_task_payload_and_result(ui: Ui, admin: httpx.Client) -> None:
    markup = "<img src=x id=injected>"
    job = submit(admin, [], task="tests.echo", payload={"note": markup, "n": 2}, name="ui-task")
    wait_for_status(admin, job["id"], {"completed"})
    assert admin.get(f"/api/v1/jobs/{job['id']}").json()["command"] == []
    ui.login(f"#/jobs/{job['id']}")
    ui.expect(ui.page.locator("#job-status .badge")).to_have_text("completed")
    ui.expect(ui.page.locator("#job-task")).to_have_text("tests.echo")
    payload = ui.page.locator("#job-payload")
    ui.expect(payload).to_contain_text(markup)  # as text: no element made of it
    assert json.loads(payload.inner_text()) == {"note": markup, "n": 2}
    assert "Command" not in ui.page.locator(".facts").inner_text()
    result = ui.page.locator("#executions td[data-label=Result]")
    ui.expect(result).to_contain_text("async")
    assert json.loads(result.inner_text()) == {"got": {"note": markup, "n": 2}, "kind": "async"}
    assert ui.page.locator("#injected").count() == 0

    # a scalar result, and a command job has no Result column
    added = submit(admin, [], task="tests.add", payload={"a": 2, "b": 3})
    wait_for_status(admin, added["id"], {"completed"})
    ui.go(f"#/jobs/{added['id']}")
    ui.expect(ui.page.locator("#executions td[data-label=Result]")).to_have_text("5")
    ui.expect(ui.page.locator("#job-payload")).to_have_text('{"a":2,"b":3}')
    plain = submit(admin, ["true"])
    wait_for_status(admin, plain["id"], {"completed"})
    ui.go(f"#/jobs/{plain['id']}")
    ui.expect(ui.page.locator(".facts")).to_contain_text("Command")
    ui.expect(ui.page.locator("#executions td[data-label=Status]")).to_have_text("completed")
    ui.expect(ui.page.locator("#executions td[data-label=Result]")).to_have_count(0)
    ui.assert_clean()


@pytest.mark.slow
def test_a_refused_action_shows_the_problem_detail(ui: Ui, admin: httpx.Client) -> None:
    job = submit(admin, ["true"], name="ui-refused")
    wait_for_status(admin, job["id"], {"completed"})
    etag = admin.get(f"/api/v1/jobs/{job['id']}").headers["etag"]
    ui.login(f"#/jobs/{job['id']}")
    ui.expect(ui.page.locator("#job-status .badge")).to_have_text("completed")
    # the delete names the job as the page shows it (If-Match); make it stale on the way, as if
    # someone had changed the job meanwhile
    sent: list[str | None] = []

    def stale(route) -> None:
        if route.request.method != "DELETE":
            route.continue_()
            return
        sent.append(route.request.headers.get("if-match"))
        route.continue_(headers={**route.request.headers, "if-match": '"stale"'})

    ui.page.route(re.compile(r".*/api/v1/jobs/[^/?]+$"), stale)
    ui.page.click("#delete-job")
    ui.page.click("#confirm-yes")
    ui.expect(ui.page.locator(".banner.error")).to_contain_text("PRECONDITION_FAILED")
    assert sent == [etag]
    assert admin.get(f"/api/v1/jobs/{job['id']}").status_code == 200
    ui.assert_clean(expected=("status of 412",))


@pytest.mark.slow
def test_the_list_filters_sorts_and_pages_and_keeps_them_in_the_address(ui: Ui, admin: httpx.Client) -> None:
    # labels would hold them back for a pull worker that has them: a queue of their own instead
    batch = {"jobs": [{"name": f"uipage-{i:02d}", "command": ["true"], "queue": "uipage"} for i in range(23)]}
    assert admin.post("/api/v1/jobs/batch", json=batch).status_code == 201
    ui.login("#/jobs")
    ui.page.fill("#f-search", "UIPAGE")  # any letter case
    ui.page.fill("#f-queue", "uipage")
    ui.page.select_option("#f-sort", "name")
    ui.page.select_option("#f-limit", "20")
    ui.page.click("form.filters button[type=submit]")
    ui.expect(ui.page.locator("#jobs-total")).to_have_text("23 jobs")
    names = ui.page.locator("#jobs-results td.name a")
    ui.expect(names).to_have_count(20)
    assert names.all_inner_texts() == [f"uipage-{i:02d}" for i in range(20)]
    ui.page.get_by_role("button", name="Next").click()
    ui.expect(names).to_have_text(["uipage-20", "uipage-21", "uipage-22"])
    ui.page.get_by_role("button", name="Previous").click()
    ui.expect(names).to_have_count(20)
    ui.expect(names.first).to_have_text("uipage-00")

    # the address holds the list: a reload (which logs out: tokens live in memory) shows it again
    address = ui.page.url
    assert "search=UIPAGE" in address and "sort=name" in address and "limit=20" in address
    ui.page.reload()
    ui.login(None)
    assert ui.page.url == address
    ui.expect(ui.page.locator("#jobs-total")).to_have_text("23 jobs")
    ui.expect(ui.page.locator("#f-search")).to_have_value("UIPAGE")

    wait_for(
        lambda: (
            admin.get("/api/v1/queues/uipage/stats").status_code == 404  # an undefined queue
            and admin.get(
                "/api/v1/jobs", params={"queue": "uipage", "status": "completed", "count": "true"}
            ).json()["pagination"]["total"]
            == 23
        )
    )
    ui.page.select_option("#f-sort", "-name")
    ui.page.check("form.filters input[name=status][value=completed]")
    ui.page.click("form.filters button[type=submit]")
    ui.expect(names.first).to_have_text("uipage-22")
    assert "status=completed" in ui.page.url
    ui.assert_clean()


@pytest.mark.slow
def test_a_queue_is_paused_and_resumed_and_its_depth_moves_live(ui: Ui, admin: httpx.Client) -> None:
    assert (
        admin.post("/api/v1/queues", json={"name": "uiq", "description": "dashboard test"}).status_code == 201
    )
    ui.login("#/queues")
    pause = ui.page.get_by_role("button", name="Pause queue uiq")
    pause.click()
    row = ui.page.locator("#queues-results tr", has=ui.page.get_by_role("link", name="uiq"))
    ui.expect(row.locator("td[data-label=State] .badge")).to_have_text("paused")
    assert admin.get("/api/v1/queues/uiq").json()["paused"] is True

    ui.mark_document()
    job = submit(admin, ["true"], queue="uiq")
    ui.expect(row.locator("td[data-label=Pending]")).to_have_text("1")  # from queue.depth_changed
    ui.page.get_by_role("button", name="Resume queue uiq").click()
    ui.expect(row.locator("td[data-label=State] .badge")).to_have_text("active")
    wait_for_status(admin, job["id"], {"completed"})
    ui.expect(row.locator("td[data-label=Pending]")).to_have_text("0")
    ui.assert_not_reloaded()
    ui.assert_clean()


@pytest.mark.slow
def test_workers_and_the_fleet(ui: Ui, admin: httpx.Client) -> None:
    worker = admin.post(
        "/api/v1/workers",
        json={
            "name": "ui-robot",
            "hostname": "lab-1",
            "queues": ["robots"],
            "labels": {"gpu": "true"},
            "capacity": 4,
        },
    ).json()
    assert admin.post(f"/api/v1/workers/{worker['id']}/heartbeat", json={"load": 3}).status_code == 200
    ui.login("#/workers")
    row = ui.page.locator("#workers-results tr", has_text="ui-robot")
    ui.expect(row.locator("td[data-label=Status] .badge").first).to_have_text("online")
    ui.expect(row.locator("td[data-label=Load]")).to_contain_text("3 / 4")
    ui.expect(row.locator("td[data-label=Labels]")).to_have_text("gpu=true")
    ui.expect(ui.page.locator("#fleet-online .value")).to_have_text(re.compile(r"[1-9]\d*"))
    ui.expect(ui.page.locator("#fleet-load")).to_contain_text("3 / 4")

    ui.page.get_by_role("button", name="Drain worker ui-robot").click()
    ui.page.click("#confirm-yes")
    ui.expect(row.locator("td[data-label=Status]")).to_contain_text("draining")
    assert admin.get(f"/api/v1/workers/{worker['id']}").json()["state"] == "draining"
    ui.page.get_by_role("button", name="Remove worker ui-robot").click()
    ui.page.click("#confirm-yes")
    ui.expect(row).to_have_count(0)
    ui.assert_clean()


def make_schedule(admin: httpx.Client, name: str, **fields: object) -> dict:
    body = {"name": name, "cron": "30 2 * * *", "timezone": "Europe/Berlin", "job": {"command": ["true"]}}
    response = admin.post("/api/v1/schedules", json={**body, **fields})
    assert response.status_code == 201, response.text
    return response.json()


# extract → transform → load (fails) → report (upstream-failed); cleanup runs whatever happens
FLOW = [
    {"name": "extract", "job": {"command": ["true"]}},
    {"name": "transform", "job": {"command": ["true"]}, "depends_on": ["extract"]},
    {"name": "load", "job": {"command": ["false"]}, "depends_on": ["transform"]},
    {"name": "report", "job": {"command": ["true"]}, "depends_on": ["transform", "load"]},
    {"name": "cleanup", "job": {"command": ["true"]}, "depends_on": ["load"], "on_failure": "always"},
]


def run_workflow(admin: httpx.Client, name: str) -> dict:
    response = admin.post("/api/v1/workflows", json={"name": name, "steps": FLOW})
    assert response.status_code == 201, response.text
    workflow = response.json()
    wait_for(lambda: admin.get(f"/api/v1/workflows/{workflow['id']}").json()["status"] == "failed")
    return admin.get(f"/api/v1/workflows/{workflow['id']}").json()


@pytest.mark.slow
def test_a_schedule_is_listed_paused_and_resumed(ui: Ui, admin: httpx.Client) -> None:
    schedule = make_schedule(admin, "ui nightly report", labels={"team": "data"})
    ui.login("#/schedules")
    row = ui.page.locator("#schedules-results tr", has_text="ui nightly report")
    ui.expect(row.locator("td[data-label=Trigger]")).to_contain_text("30 2 * * *")
    ui.expect(row.locator("td[data-label=Trigger]")).to_contain_text("Europe/Berlin")
    ui.expect(row.locator("td[data-label=State] .badge")).to_have_text("active")
    ui.expect(row.locator("td[data-label=Runs]")).to_have_text("0")
    ui.expect(row.locator("td[data-label=Labels]")).to_have_text("team=data")
    assert row.locator("td[data-label='Next run']").inner_text() not in ("", "—")

    ui.page.get_by_role("button", name="Pause schedule ui nightly report").click()
    ui.expect(row.locator("td[data-label=State] .badge")).to_have_text("paused")
    ui.expect(row.locator("td[data-label='Next run']")).to_have_text("—")
    paused = admin.get(f"/api/v1/schedules/{schedule['id']}").json()
    assert paused["paused"] is True and paused["next_run_at"] is None
    ui.page.get_by_role("button", name="Resume schedule ui nightly report").click()
    ui.expect(row.locator("td[data-label=State] .badge")).to_have_text("active")
    assert admin.get(f"/api/v1/schedules/{schedule['id']}").json()["paused"] is False

    # run now: a job of the schedule, linked as its last run
    ui.page.get_by_role("button", name="Run schedule ui nightly report now").click()
    ui.expect(ui.page.locator(".banner.info")).to_contain_text("Started run")
    last = admin.get(f"/api/v1/schedules/{schedule['id']}").json()["last_job_id"]
    assert last
    ui.expect(row.locator("td[data-label='Last run'] a")).to_have_attribute("href", f"#/jobs/{last}")
    ui.assert_clean()


@pytest.mark.slow
def test_a_workflow_shows_its_steps_as_a_graph_and_is_retried(ui: Ui, admin: httpx.Client) -> None:
    workflow = run_workflow(admin, "ui nightly etl")
    steps = {step["name"]: step for step in workflow["steps"]}
    assert steps["load"]["status"] == "failed" and steps["report"]["status"] == "upstream_failed"
    ui.login("#/workflows")
    row = ui.page.locator("#workflows-results tr", has_text="ui nightly etl")
    ui.expect(row.locator("td[data-label=Status] .badge")).to_have_text("failed")
    row.get_by_role("link", name="ui nightly etl").click()

    graph = ui.page.locator("#workflow-graph svg")
    ui.expect(graph.locator(".node")).to_have_count(5)
    ui.expect(graph.locator(".edge")).to_have_count(5)  # one per dependency
    ui.expect(ui.page.locator("#workflow-status .badge")).to_have_text("failed")
    ui.expect(ui.page.locator(".facts")).to_contain_text("3 / 5")  # extract, transform, cleanup
    for step in workflow["steps"]:
        node = graph.locator(f'.node[data-step="{step["name"]}"]')
        ui.expect(node).to_have_class(re.compile(rf"\bst-{step['status']}\b"))
        assert node.get_attribute("href") == f"#/jobs/{step['job_id']}"
    # layered: each step sits right of every step it depends on
    x = {name: float(graph.locator(f'.node[data-step="{name}"] rect').get_attribute("x")) for name in steps}
    for step in FLOW:
        assert all(x[dep] < x[step["name"]] for dep in step.get("depends_on", [])), (step, x)

    # a node opens the step's job
    graph.locator('.node[data-step="load"]').click()
    ui.expect(ui.page.locator("#job-status .badge")).to_have_text("failed")
    assert ui.page.url.endswith(f"#/jobs/{steps['load']['job_id']}")
    ui.page.go_back()

    # retry, behind a confirmation: the failed and upstream-failed steps go again
    ui.page.click("#retry-workflow")
    ui.expect(ui.page.locator("#confirm")).to_contain_text("failed or never ran")
    ui.page.click("#confirm-yes")
    wait_for(lambda: admin.get(f"/api/v1/jobs/{steps['load']['job_id']}").json()["attempt"] == 2)
    wait_for(lambda: admin.get(f"/api/v1/workflows/{workflow['id']}").json()["status"] == "failed")
    ui.expect(ui.page.locator("#workflow-status .badge")).to_have_text("failed")
    ui.expect(ui.page.locator("#retry-workflow")).to_be_visible()
    ui.assert_clean()


def make_template(admin: httpx.Client, name: str) -> dict:
    body = {
        "name": name,
        "description": "echo a host",
        "visibility": "public",
        "parameters": {
            "type": "object",
            "properties": {
                "host": {"type": "string", "maxLength": 40, "description": "which one"},
                "times": {"type": "integer", "minimum": 1, "maximum": 5, "default": 1},
                "loud": {"type": "boolean", "default": False},
            },
            "required": ["host"],
        },
        # no label: the test server's executor would hold a labelled job back
        "job": {"name": "ui echo {{host}} loud={{loud}}", "command": ["echo", {"$param": "host"}]},
    }
    response = admin.post("/api/v1/templates", json=body)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.slow
def test_a_template_is_listed_and_run_with_parameter_values(ui: Ui, admin: httpx.Client) -> None:
    template = make_template(admin, "ui echo a host")
    ui.login("#/templates")
    row = ui.page.locator("#templates-results tr", has_text="ui echo a host")
    ui.expect(row.locator("td[data-label=Kind]")).to_have_text("job")
    ui.expect(row.locator("td[data-label=Parameters]")).to_have_text("host*, times, loud")
    row.get_by_role("link", name="ui echo a host").click()
    ui.expect(ui.page.locator("#template-definition")).to_contain_text('"$param": "host"')
    ui.expect(ui.page.locator("#p-times")).to_have_attribute("placeholder", "default 1")

    # the server checks the values: its problem names the parameter
    ui.page.fill("#p-host", "x" * 41)
    ui.page.click("#run-template")
    ui.expect(ui.page.locator(".banner.error")).to_contain_text("parameters.host")
    # a value is one argument, never shell text
    ui.page.fill("#p-host", "db1; echo no")
    ui.page.check("#p-loud")
    ui.page.click("#run-template")
    ui.expect(ui.page.locator("#job-status .badge")).to_have_text("completed")
    ui.expect(ui.page.locator("#log-output")).to_have_text(re.compile(r"^db1; echo no\s*$"))
    job = admin.get(f"/api/v1/jobs/{ui.page.url.rsplit('/', 1)[-1]}").json()
    assert job["command"] == ["echo", "db1; echo no"] and job["name"] == "ui echo db1; echo no loud=true"
    assert template["version"] == 1
    ui.assert_clean(expected=("status of 422",))


@pytest.mark.slow
def test_every_page_fits_a_375_pixel_screen(ui: Ui, admin: httpx.Client) -> None:
    job = submit(
        admin,
        ["sh", "-c", "echo a-rather-long-line-of-output-" + "x" * 200],
        name="a job with a long name that must wrap on a phone screen " * 2,
    )
    wait_for_status(admin, job["id"], {"completed"})
    admin.post(
        "/api/v1/workers", json={"name": "narrow-robot", "queues": ["robots"], "labels": {"os": "linux"}}
    )
    make_schedule(admin, "ui narrow schedule")
    workflow = run_workflow(admin, "ui narrow workflow")
    template = make_template(admin, "ui narrow template")
    ui.page.set_viewport_size({"width": 375, "height": 740})
    ui.login()
    for hash_, ready in (
        ("#/jobs", "#jobs-results tbody tr"),
        (f"#/jobs/{job['id']}", "#log-output:has-text('a-rather-long')"),
        ("#/queues", "#queues-results tbody tr"),
        ("#/workers", "#workers-results tbody tr"),
        ("#/schedules", "#schedules-results tbody tr"),
        ("#/workflows", "#workflows-results tbody tr"),
        (f"#/workflows/{workflow['id']}", "#workflow-graph svg .node"),
        ("#/templates", "#templates-results tbody tr"),
        (f"#/templates/{template['id']}", "#template-definition"),
    ):
        ui.go(hash_)
        ui.expect(ui.page.locator(ready).first).to_be_visible()
        assert ui.no_horizontal_overflow(), hash_
    # the submit form and the filters open without widening the page either
    ui.go("#/jobs")
    ui.expect(ui.page.locator("#jobs-results tbody tr").first).to_be_visible()
    ui.page.click("#submit-panel summary")
    ui.page.click("text=Filters and sort")
    assert ui.no_horizontal_overflow()
    # on a phone the graph runs top to bottom: a dependency sits above the step
    ui.go(f"#/workflows/{workflow['id']}")
    rect = ui.page.locator('#workflow-graph .node[data-step="load"] rect')
    upstream = ui.page.locator('#workflow-graph .node[data-step="transform"] rect')
    ui.expect(rect).to_have_count(1)
    assert float(upstream.get_attribute("y")) < float(rect.get_attribute("y"))
    ui.assert_clean()


@pytest.mark.slow
def test_submitting_from_the_page_shows_the_argv_first(ui: Ui, admin: httpx.Client) -> None:
    ui.login("#/jobs")
    ui.page.click("#submit-panel summary")
    ui.page.fill("#n-command", "sh -c 'echo \"from the form\"'")
    ui.expect(ui.page.locator("#n-argv")).to_have_text('["sh","-c","echo \\"from the form\\""]')
    ui.page.fill("#n-name", "ui-form-job")
    ui.page.click("form.submit-job button[type=submit]")
    ui.expect(ui.page.locator("#job-status .badge")).to_have_text("completed")
    ui.expect(ui.page.locator("#log-output")).to_have_text(re.compile(r"^from the form\s*$"))
    job_id = ui.page.url.rsplit("/", 1)[-1]
    assert admin.get(f"/api/v1/jobs/{job_id}").json()["command"] == ["sh", "-c", 'echo "from the form"']
    wait_for(lambda: admin.get(f"/api/v1/jobs/{job_id}").json()["status"] == "completed")
    ui.assert_clean()
