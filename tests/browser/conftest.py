"""Real-browser tests: the app served over HTTP on 127.0.0.1, driven by Playwright in Debian's headless Chromium.

What this package sets up (see tests/browser/test_*.py for the tests):

- `live_server`: the Flask app of `isolated_app(es, embedder, "browser")` (its own index prefix on the real
  node, deleted afterwards) served by werkzeug's threaded server on a free port, in a background thread, for the
  whole package; tests add the records and reports they need through the app itself.
- `browser`: Chromium at /usr/bin/chromium (never Playwright's own download: the machines and CI cannot fetch
  it). Missing, the tests FAIL naming scripts/ensure_browser.sh (which `make test` runs first); they never skip.
- `desktop` (1280×800) and `phone` (360×740, mobile, touch): a page in a fresh browser context per test, so no
  cookie or session leaks from one test into the next; `page_at("phone")` makes more. When the test ends, the
  page must not have logged a JavaScript error or a Content-Security-Policy violation, and the server must not
  have answered 5xx: such problems fail the test at teardown instead of passing unseen.
- `axe_check(page)` runs axe-core (node_modules/axe-core, from package-lock.json) on the page;
  `assert_accessible(page, label)` fails on serious or critical WCAG 2.1 A/AA violations and prints the rest.
- `shot(page, name)` saves a full-page screenshot to var/screenshots/ (gitignored).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page, sync_playwright
from werkzeug.serving import make_server

from tests.conftest import isolated_app

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium keeps trying to reach Google's hosts, which the closed
# network of the development machines and CI refuses (slow starts, log noise); --no-sandbox because tests run as
# root here, where Chromium's sandbox refuses to start.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "var" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")


class ServerErrors:
    """WSGI middleware that notes every answer with a 5xx status (method, path, status).

    The app turns every exception into an error page or JSON error of its own (jobmatch.errors registers a handler
    for Exception), so Flask's `got_request_exception` never fires and the browser only sees a page: the status
    is what is left to catch. The exception itself is in the captured log of the failed test.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: list[str] = []  # list.append is atomic: the server's threads share this list safely

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Serve the request through the app, noting a 5xx answer."""
        def noting(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if status[:1] == "5":
                self.seen.append(f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO', '')} answered {status}")
            return start_response(status, headers, exc_info)

        return self.app(environ, noting)


@dataclass
class LiveServer:
    """The app served over real HTTP: `url` has no trailing slash; `errors` lists the 5xx answers so far."""

    app: Flask
    prefix: str
    url: str
    errors: list[str] = field(default_factory=list)

    def __call__(self, path: str) -> str:
        """Return the absolute URL of `path` ("/reports/")."""
        return f"{self.url}{path}"


@pytest.fixture(scope="package")
def live_server(es, embedder) -> Iterator[LiveServer]:
    """The isolated app on 127.0.0.1 and a free port, in a background thread, for the package's tests."""
    with isolated_app(es, embedder, "browser") as (app, prefix):
        recorder = ServerErrors(app)
        # Port 0: the kernel picks a free port when the socket is bound, so parallel runs cannot collide.
        server = make_server("127.0.0.1", 0, recorder, threaded=True)
        live = LiveServer(app=app, prefix=prefix, url=f"http://127.0.0.1:{server.server_port}", errors=recorder.seen)
        thread = threading.Thread(target=server.serve_forever, name="browser-live-server", daemon=True)
        thread.start()
        try:
            yield live
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium, one process for the package (a fresh context per test keeps tests apart).

    Package scope, not session: Playwright's driver and Chromium stop once the browser tests are done, before
    the rest of the suite runs.
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium. Install it with "
                    "`scripts/ensure_browser.sh` (`make test` runs it first), or set CHROMIUM to the browser's path.",
                    pytrace=False)
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        except Error as exc:
            pytest.fail(f"{CHROMIUM} did not start ({exc.message}); check it with `{CHROMIUM} --headless "
                        f"--no-sandbox --dump-dom about:blank` or reinstall it with scripts/ensure_browser.sh",
                        pytrace=False)
        try:
            yield launched
        finally:
            launched.close()


class PageWatch:
    """What went wrong in the page during a test: uncaught JavaScript errors and console errors (a blocked script
    or style shows up there as a Content-Security-Policy violation)."""

    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        page.on("pageerror", lambda exc: self.problems.append(f"uncaught JavaScript error: {exc}"))
        page.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        # A 4xx answer is also logged as "Failed to load resource"; tests check statuses themselves (a login
        # form may answer 4xx on purpose, and Chromium asks for /favicon.ico), and 5xx are caught server-side.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console error at {message.location.get('url')}: {message.text}")


@pytest.fixture()
def page_at(browser: Browser, live_server: LiveServer) -> Iterator[Callable[[str], Page]]:
    """Return a factory: `page_at("desktop" | "phone")` opens a page in a new context at that viewport, with the
    live server as base URL (so `page.goto("/reports/")` works). Closed, and checked for problems, at teardown."""
    opened: list[tuple[BrowserContext, PageWatch]] = []
    errors_before = len(live_server.errors)

    def open_page(viewport: str) -> Page:
        mobile = viewport == "phone"
        context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=live_server.url, is_mobile=mobile,
                                      has_touch=mobile, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        page = context.new_page()
        opened.append((context, PageWatch(page)))
        return page

    yield open_page
    problems = [p for _, watch in opened for p in watch.problems]
    problems += [f"server error: {seen} (its traceback is in the captured log)"
                 for seen in live_server.errors[errors_before:]]
    for context, _ in opened:
        context.close()
    if problems:
        pytest.fail("problems while the test ran:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture()
def desktop(page_at: Callable[[str], Page]) -> Page:
    """A page 1280×800 px in a fresh context."""
    return page_at("desktop")


@pytest.fixture()
def phone(page_at: Callable[[str], Page]) -> Page:
    """A page 360×740 px (a small Android phone), mobile and touch, in a fresh context."""
    return page_at("phone")


@cache
def _axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS.relative_to(REPO)} is missing: install the npm packages with `make node` "
                    "(npm ci; `make test` runs it first)", pytrace=False)
    return AXE_JS.read_text(encoding="utf-8")


# Only what a failure message needs: axe's full result holds every passing node too.
_AXE_RUN = """tags => axe.run(document, {runOnly: tags}).then(result => result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary}))})))"""


def axe_check(page: Page) -> list[dict[str, Any]]:
    """Run axe-core's WCAG 2.0/2.1 A and AA rules on the page as it is now; return the violations.

    axe is evaluated through the DevTools protocol (`page.evaluate`), not added as a <script> element: the app's
    Content-Security-Policy (`default-src 'none'`, jobmatch/http.py) blocks inline scripts, and
    `page.add_script_tag` is one. Evaluated code is not subject to the page's CSP, so the page keeps its real
    policy during the whole test (no `bypass_csp`), and a script the app itself needs but its CSP blocks still
    fails the test.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    return page.evaluate(_AXE_RUN, WCAG_TAGS)


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """Return violations as readable lines: rule, impact, help, and the first few offending elements."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['html'][:160]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def assert_accessible(page: Page, label: str) -> list[dict[str, Any]]:
    """Fail on serious or critical axe violations; print the moderate and minor ones (shown with `-s` or on a
    failure) so that they are seen without blocking. Return all violations."""
    violations = axe_check(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    others = [v for v in violations if v["impact"] not in BLOCKING_IMPACTS]
    if others:
        print(f"axe, {label}: {len(others)} moderate/minor violation(s)\n{describe_violations(others)}")
    assert not blocking, f"axe, {label}: serious or critical WCAG violations\n{describe_violations(blocking)}"
    return violations


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as var/screenshots/<name>.png (selected ones go to docs/screenshots/ by hand)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
