"""Commands started under uvloop (the server's loop) while other threads open and close files:
every descriptor is closed exactly once. uvloop closed each output pipe's descriptor and then
the file object it was given as well; a file another thread opened in between (SQLite's) was
closed under it: "disk I/O error" in a 1,000-step workflow, or the process aborted."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = textwrap.dedent(
    """
    import asyncio, sqlite3, sys, threading, uvloop
    from baton.backends.execution.spawn import spawn

    errors, stop = [], threading.Event()

    def churn(path):  # opens and closes files all the time, the GIL released inside sqlite
        while not stop.is_set():
            try:
                db = sqlite3.connect(path)
                db.execute("create table if not exists t(x)")
                db.execute("insert into t values (1)")
                db.commit()
                db.close()
            except Exception as exc:
                errors.append(repr(exc))

    async def one(workdir):
        child = await spawn(["true"], cwd=workdir, env={"PATH": "/usr/bin:/bin"})
        await child.stdout.read()
        await child.stderr.read()
        return await child.wait()

    async def main(workdir):
        threads = [threading.Thread(target=churn, args=(f"{workdir}/{i}.db",)) for i in range(3)]
        for thread in threads:
            thread.start()
        try:
            for _ in range(100):
                assert await asyncio.gather(*(one(workdir) for _ in range(10))) == [0] * 10
        finally:
            stop.set()
            for thread in threads:
                thread.join()
        print("errors", len(errors), errors[:3])

    uvloop.run(main(sys.argv[1]))
    """
)


def test_output_pipes_are_closed_once_under_uvloop(tmp_path: Path) -> None:
    pytest.importorskip("uvloop")
    try:
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True, timeout=90
        )
    except subprocess.TimeoutExpired:
        pytest.fail("1,000 commands did not finish in 90 s: a descriptor was closed under its owner")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().startswith("errors 0"), done.stdout
    assert "Bad file descriptor" not in done.stderr, done.stderr[-2000:]
