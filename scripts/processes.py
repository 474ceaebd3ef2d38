"""Pid files and stopping processes, shared by the launchers (stdlib only)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path


def pid_from_file(pidfile: Path, *markers: bytes) -> int | None:
    """Return the pid in `pidfile` if that process is alive and its command line holds every marker.

    The markers stop a recycled pid (some unrelated process) from ever being signalled.
    """
    try:
        pid = int(pidfile.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return None
    return pid if all(marker in cmdline for marker in markers) else None


def terminate(pid: int, timeout: float = 60.0) -> bool:
    """Send SIGTERM, wait up to `timeout` seconds, then SIGKILL; return True if SIGKILL was needed."""
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Path(f"/proc/{pid}").exists():
            return False
        time.sleep(0.25)
    os.kill(pid, signal.SIGKILL)
    return True
