"""The local executor's `queues=` option, which keeps the server's own executor off the queues
pull workers serve (`local://?concurrency=4&queues=default`)."""

from __future__ import annotations

import pytest
from baton.backends import BackendError
from baton.backends.execution.local import LocalSettings

# -- the local executor's queues= option -------------------------------------------------------------


def test_local_executor_url_names_the_queues_it_serves() -> None:
    assert LocalSettings.from_url("local://?concurrency=4").queues is None  # every queue
    settings = LocalSettings.from_url("local://?concurrency=3&queues=default,batch")
    assert (settings.concurrency, settings.queues) == (3, frozenset({"default", "batch"}))
    assert LocalSettings.from_url("local://?queues=a&queues=b,a").queues == frozenset({"b", "a"})
    for url, message in [
        ("local://?queues=Robots", "queues: 'Robots': a queue name is 1-64 of a-z 0-9 _ . -"),
        ("local://?queues=", "queues must name at least one queue (leave it out for all)"),
        ("local://?queues=,", "queues must name at least one queue"),
        ("local://?queue=x", "unknown option(s) queue"),
    ]:
        with pytest.raises(BackendError, match=r"executor URL .*: ") as error:
            LocalSettings.from_url(url)
        assert message in str(error.value)
        assert "\n" not in str(error.value)
