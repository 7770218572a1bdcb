"""Accessibility audit of a running dashboard: axe-core on every route at 1280×800 and 1920×1080,
screenshots of each (the whole page, in screen-high slices), and a JSON report.

    .venv/bin/python tests/a11y/audit.py http://127.0.0.1:8501 --out screenshots/a11y

Uses Debian's /usr/bin/chromium (never a browser download) and tests/a11y/node_modules/axe-core."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.browser.axe import describe, run_axe, serious  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
SIZES = ((1280, 800), (1920, 1080))
ROUTES = {  # name: path
    "summary": "/",
    "kpi": "/kpi?kpi=sickness_absence_rate",
    "compare": "/compare",
    "present-matrix": "/present",
    "present-kpi": "/present?screen=1",
    "register": "/register",
    "quality": "/quality",
    "load": "/load",
    "audit": "/audit",
}
IDLE = '[data-test-script-state="notRunning"]'


def settle(page) -> None:
    page.wait_for_timeout(400)
    page.wait_for_selector(IDLE, timeout=90_000)
    page.wait_for_timeout(1200)  # charts draw after the run ends


def slices(page, stem: Path, height: int) -> list[str]:
    """Screenshots down the page: the app scrolls inside stMain, not the document."""
    total = page.evaluate("(document.querySelector('[data-testid=\"stMain\"]') || document.scrollingElement)"
                          ".scrollHeight")
    names = []
    for i, top in enumerate(range(0, max(total, 1), height - 80)):
        page.evaluate("y => (document.querySelector('[data-testid=\"stMain\"]') || document.scrollingElement)"
                      ".scrollTo(0, y)", top)
        page.wait_for_timeout(250)
        name = f"{stem}-{i}.png"
        page.screenshot(path=name)
        names.append(name)
        if i >= 11:
            break
    page.evaluate("(document.querySelector('[data-testid=\"stMain\"]') || document.scrollingElement).scrollTo(0, 0)")
    return names


def audit(url: str, out: Path, routes: dict[str, str]) -> dict:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    report = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        for width, height in SIZES:
            page = browser.new_page(viewport={"width": width, "height": height})
            for name, path in routes.items():
                page.goto(url + path, timeout=90_000)
                page.locator("h1, .mv-title").first.wait_for(timeout=90_000)
                settle(page)
                found = run_axe(page)
                shots = slices(page, out / f"{name}-{width}x{height}", height)
                report[f"{name} {width}x{height}"] = {"violations": found, "screenshots": shots}
                print(f"{name} {width}x{height}: {len(serious(found))} serious/critical, {len(found)} in all")
                if found:
                    print(describe(found))
            page.close()
        browser.close()
    (out / "axe.json").write_text(json.dumps(report, indent=1))
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--out", default="screenshots/a11y")
    parser.add_argument("--route", action="append", help="only these routes (names: " + ", ".join(ROUTES) + ")")
    args = parser.parse_args()
    routes = {k: v for k, v in ROUTES.items() if not args.route or k in args.route}
    audit(args.url.rstrip("/"), Path(args.out), routes)


if __name__ == "__main__":
    main()
