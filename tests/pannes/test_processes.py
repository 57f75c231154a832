"""Stopping a child process: the crawl runner, the dashboard command and the browser tests rely on
it to leave no process behind."""

from __future__ import annotations

import signal
import subprocess
import sys

from pannes.processes import stop_process

# A child that says it is ready, then sleeps; `handler` decides what it does on SIGTERM/SIGINT.
CHILD = """
import signal, sys, time
{handler}
print("ready", flush=True)
time.sleep(60)
"""


def _child(handler: str = "") -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", CHILD.format(handler=handler)],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "ready"
    return process


def test_a_child_that_stops_when_asked_returns_its_own_exit_code():
    child = _child("signal.signal(signal.SIGINT, lambda *_: sys.exit(3))")
    assert stop_process(child, grace=10, ask=signal.SIGINT) == 3


def test_a_child_that_ignores_the_request_is_killed_after_the_grace_period():
    child = _child("signal.signal(signal.SIGTERM, signal.SIG_IGN)")
    assert stop_process(child, grace=0.5) == -signal.SIGKILL
    assert child.poll() == -signal.SIGKILL


def test_a_child_that_already_ended_is_only_reaped():
    child = subprocess.Popen([sys.executable, "-c", "raise SystemExit(5)"])
    child.wait()
    assert stop_process(child) == 5
