#!/usr/bin/env python3
"""Start, stop and check the API (gunicorn) that `make run` serves in the background.

    .venv/bin/python scripts/apiserver.py start   # no-op when already running; waits for /readyz
    .venv/bin/python scripts/apiserver.py stop    # stops the process named in var/run/gunicorn.pid
    .venv/bin/python scripts/apiserver.py status
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from config.settings import load_settings  # noqa: E402  (needs the repo on sys.path first)
from scripts.processes import pid_from_file, terminate  # noqa: E402

RUN = REPO / "var" / "run"
LOGS = REPO / "var" / "log"
PIDFILE = RUN / "gunicorn.pid"
READY_TIMEOUT = 180.0
NODE_DOWN_GRACE = 20.0  # seconds /readyz may report Elasticsearch unreachable before start gives up


def log(msg: str) -> None:
    """Print a progress line for the person running make."""
    print(f"[api] {msg}", flush=True)


def read_pid() -> int | None:
    """Return the gunicorn master pid from the pid file if that process is our gunicorn."""
    return pid_from_file(PIDFILE, b"gunicorn", b"wsgi:app", str(REPO).encode())


def probe(url: str) -> tuple[int, dict]:
    """GET a URL and return (status, JSON body); status 0 when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, json.loads(resp.read().decode())
    except urllib.error.HTTPError as exc:
        try:
            return exc.code, json.loads(exc.read().decode())
        except ValueError:
            return exc.code, {}
    except (urllib.error.URLError, OSError, ValueError):
        return 0, {}


def tail(path: Path, lines: int = 25) -> str:
    """Return the end of a log file."""
    if not path.exists():
        return f"(no {path})"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def dev_secret_key() -> str:
    """Return the web forms' signing key of local development (var/run/web-secret-key, mode 600), made once: the
    workers must share one (WEB_SECRET_KEY), and a key kept across restarts keeps open forms working."""
    path = RUN / "web-secret-key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(32))
    return path.read_text().strip()


def start() -> int:
    """Start gunicorn in its own session unless it already runs; wait until /readyz says ready."""
    settings = load_settings()
    base = f"http://{settings['API_HOST']}:{settings['API_PORT']}"
    if read_pid():
        log(f"already running at {base} (pid {read_pid()})")
        return 0
    RUN.mkdir(parents=True, exist_ok=True)
    LOGS.mkdir(parents=True, exist_ok=True)
    errlog = LOGS / "gunicorn.log"
    cmd = [str(REPO / ".venv" / "bin" / "gunicorn"), "-c", str(REPO / "config" / "gunicorn.conf.py"),
           "--pid", str(PIDFILE), "--access-logfile", str(LOGS / "access.log"), "--error-logfile", str(errlog),
           "--chdir", str(REPO), "wsgi:app"]
    began = time.monotonic()
    env = {**os.environ, "WEB_SECRET_KEY": settings["WEB_SECRET_KEY"] or dev_secret_key()}
    with open(errlog, "ab") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                start_new_session=True, env=env)
    status, body = 0, {}
    node_down_since: float | None = None
    while time.monotonic() - began < READY_TIMEOUT:
        if proc.poll() is not None:
            log(f"gunicorn exited with {proc.returncode}:\n{tail(errlog)}")
            PIDFILE.unlink(missing_ok=True)
            return 1
        status, body = probe(f"{base}/readyz")
        if status == 200:
            log(f"ready at {base} in {time.monotonic() - began:.1f}s (pid {proc.pid}); docs at {base}/docs")
            return 0
        if (body.get("elasticsearch") or {}).get("reachable") is False:
            node_down_since = node_down_since or time.monotonic()
            if time.monotonic() - node_down_since > NODE_DOWN_GRACE:
                log(f"Elasticsearch does not answer ({body.get('reasons')}): start it (`make run` or "
                    f"`python3 scripts/esnode.py start`) or set ES_URL; the API was stopped again")
                return _give_up(proc.pid)
        else:
            node_down_since = None
        time.sleep(0.5)
    log(f"not ready after {READY_TIMEOUT:.0f}s (last /readyz {status}: {body.get('reasons')})\n{tail(errlog)}")
    return _give_up(proc.pid)


def _give_up(pid: int) -> int:
    """Stop the gunicorn this call started, so that a failed start leaves nothing running."""
    terminate(pid, timeout=40.0)
    PIDFILE.unlink(missing_ok=True)
    return 1


def stop() -> int:
    """Stop the gunicorn master named by the pid file and wait for it to exit."""
    pid = read_pid()
    if pid is None:
        log("not running")
        return 0
    log(f"stopping pid {pid}")
    terminate(pid, timeout=40.0)
    PIDFILE.unlink(missing_ok=True)
    return 0


def status() -> int:
    """Print whether the API runs and whether it is ready."""
    settings = load_settings()
    pid = read_pid()
    if pid is None:
        log("not running")
        return 1
    code, body = probe(f"http://{settings['API_HOST']}:{settings['API_PORT']}/readyz")
    log(f"running (pid {pid}); /readyz {code} {body.get('status', '')}")
    return 0 if code == 200 else 1


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["start", "stop", "status"])
    args = parser.parse_args(argv)
    return {"start": start, "stop": stop, "status": status}[args.command]()


if __name__ == "__main__":
    sys.exit(main())
