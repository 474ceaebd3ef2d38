#!/usr/bin/env python3
"""Take full-page screenshots of the public report pages in headless Chromium, at a desktop and a phone width.

    .venv/bin/python scripts/report_screenshots.py                       # newest month listed on /reports/
    .venv/bin/python scripts/report_screenshots.py 2026-10 2026-09 --base-url http://127.0.0.1:8000

Needs a running service (`make run`), the `playwright` package in the virtualenv (`pip install playwright`; its
own browser download is not needed) and Debian's chromium at /usr/bin/chromium (`--chromium` for another path).
Writes docs/screenshots/reports-index.png, report-YYYY-MM.png (1280 px wide) and report-YYYY-MM-phone.png
(390 px wide). The pages load nothing from outside (their CSP forbids it), so no network access is needed
beyond the service.
"""

from __future__ import annotations

import argparse
import re
import sys
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def newest_month(base_url: str) -> str:
    """Return the newest month the report index links to."""
    with urllib.request.urlopen(f"{base_url}/reports/", timeout=30) as response:
        html = response.read().decode()
    months = re.findall(r'href="/reports/(\d{4}-\d{2})"', html)
    if not months:
        raise SystemExit(f"no report is listed on {base_url}/reports/: build one first (make run)")
    return months[0]  # newest first


def shoot(page: Any, url: str, path: Path) -> None:
    """Open `url` and save a full-page screenshot to `path`; fail on an error status."""
    response = page.goto(url, wait_until="load")
    if response is None or response.status != 200:
        raise SystemExit(f"{url}: HTTP {response.status if response else 'no response'}")
    page.screenshot(path=str(path), full_page=True)
    print(f"{url} -> {path.relative_to(REPO)}")


def main(argv: list[str] | None = None) -> int:
    """Take the screenshots; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("months", nargs="*", help="YYYY-MM (default: the newest month listed on /reports/)")
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--chromium", default=CHROMIUM, help=f"the browser to drive (default {CHROMIUM})")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    base = args.base_url.rstrip("/")
    for month in args.months:
        if not MONTH.match(month):
            parser.error(f"{month!r} is not YYYY-MM")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("playwright is not installed: .venv/bin/pip install playwright", file=sys.stderr)
        return 2
    months = args.months or [newest_month(base)]
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        try:
            desktop = browser.new_page(viewport=DESKTOP)
            phone = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
            shoot(desktop, f"{base}/reports/", args.out / "reports-index.png")
            for month in months:
                shoot(desktop, f"{base}/reports/{month}", args.out / f"report-{month}.png")
                shoot(phone, f"{base}/reports/{month}", args.out / f"report-{month}-phone.png")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
