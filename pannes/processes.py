"""Stopping a child process: ask it first, then insist.

    stop_process(child)                                  # SIGTERM, then SIGKILL after 15 s
    stop_process(child, grace=30, ask=signal.SIGINT)     # a Ctrl-C first (Scrapy stops cleanly)

Shared by the crawl runner, the dashboard command, the browser tests and the soak bench, so that
each waits for its child and never leaves a zombie or an orphan behind.
"""

from __future__ import annotations

import signal
import subprocess


def stop_process(process: subprocess.Popen, grace: float = 15.0,
                 ask: signal.Signals = signal.SIGTERM) -> int:
    """Send `ask` to a running `process`, wait up to `grace` seconds, then kill it; returns its
    exit code. A process that already ended is only reaped."""
    if process.poll() is None:
        process.send_signal(ask)
        try:
            return process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.wait()
