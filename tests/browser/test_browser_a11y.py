"""WCAG 2.2 AA in a real browser (issue 21): axe-core on every route at 1280×800 and 1920×1080 with no
serious or critical violation; a visible focus indicator on every control a keyboard reaches; the meeting
view's arrow keys working after any of its controls. Screenshots of every route at both sizes go to
screenshots/a11y/ for a person to look at (docs/accessibility.md)."""

from __future__ import annotations

import io
import os

import pytest

from tests.browser.axe import AXE_JS, MISSING, describe, run_axe, serious
from tests.browser.test_browser import browser_type_launch_args  # noqa: F401 - fixture reused

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="Debian's chromium is not installed"),
              pytest.mark.skipif(not AXE_JS.exists() and not os.environ.get("CI"), reason=MISSING)]  # CI: must run

SIZES = [pytest.param((1280, 800), id="1280x800"), pytest.param((1920, 1080), id="1920x1080")]
ROUTES = {  # name: path (the meeting view's matrix and a KPI screen, every other page as it opens)
    "summary": "/", "kpi": "/kpi?kpi=sickness_absence_rate", "compare": "/compare", "present": "/present",
    "present-kpi": "/present?screen=1", "register": "/register", "quality": "/quality", "load": "/load",
    "audit": "/audit"}
IDLE = '[data-test-script-state="notRunning"]'
SHOTS = os.environ.get("A11Y_SCREENSHOTS")  # a folder: save every route's screenshots there


def settle(page, extra: int = 800) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=90_000)
    page.wait_for_timeout(extra)  # charts draw after the script run ends


def open_route(page, url: str) -> None:
    page.goto(url, timeout=90_000)
    page.locator("h1, .mv-title").first.wait_for(timeout=90_000)
    settle(page)


@pytest.mark.parametrize("size", SIZES)
def test_axe_finds_no_serious_or_critical_violation_on_any_route(page, demo_url, size):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    found = {}
    for name, path in ROUTES.items():
        open_route(page, demo_url + path)
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}x{height}.png"))
        bad = serious(run_axe(page))
        if bad:
            found[name] = describe(bad)
        faint = faint_chart_text(page)  # axe does not read text inside a chart's SVG
        if faint:
            found[name] = f"chart text below 4.5:1 on white: {faint}"
    assert not found, "\n".join(f"/{name} at {width}×{height}:\n{text}" for name, text in found.items())


CHART_TEXT_JS = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg g[class*=role-axis] text, '
  + '[data-testid=stVegaLiteChart] svg g[class*=role-legend] text, [data-testid=stVegaLiteChart] svg g[class*=role-title] text')]
  .map(t => [t.textContent, getComputedStyle(t).fill])"""


def faint_chart_text(page) -> list[str]:
    """Axis, legend and title text of the page's charts (on white) below WCAG's 4.5:1."""
    from tests.views.test_accessibility import contrast

    faint = []
    for text, fill in page.evaluate(CHART_TEXT_JS):
        rgb = [int(v) for v in fill[fill.index("(") + 1:fill.index(")")].split(",")[:3]]
        if text.strip() and contrast("#" + "".join(f"{v:02X}" for v in rgb)) < 4.5:
            faint.append(f"{text!r} {fill}")
    return faint[:5]


FOCUS_JS = """() => { const e = document.activeElement;
  if (!e || e === document.body) return null;
  window.__focused = e;  // a data grid's cells are hidden: the grid itself shows the focus (an outline)
  const grid = e.closest('[data-testid="stDataFrame"]'); const r = (grid || e).getBoundingClientRect();
  return {tag: e.tagName, name: (e.getAttribute('aria-label') || e.innerText || e.value || '').slice(0, 60),
          grid_outline: grid ? getComputedStyle(grid).outlineStyle : null,
          x: r.x, y: r.y, width: r.width, height: r.height}; }"""
NOT_CONTROLS = ("MAIN", "SECTION")  # scroll containers Streamlit makes focusable for keyboard scrolling


def focus_changes(page, box: dict, width: int, height: int) -> int:
    """Pixels around the focused element that change when it loses focus (its focus indicator)."""
    from PIL import Image, ImageChops

    pad = 6
    x, y = max(box["x"] - pad, 0), max(box["y"] - pad, 0)
    clip = {"x": x, "y": y, "width": min(box["width"] + 2 * pad, width - x),
            "height": min(box["height"] + 2 * pad, height - y)}
    focused = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")
    page.evaluate("() => window.__focused.blur()")
    page.wait_for_timeout(120)
    plain = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")
    page.evaluate("() => window.__focused.focus({preventScroll: true})")
    page.wait_for_timeout(80)
    return sum(1 for px in ImageChops.difference(focused, plain).get_flattened_data() if max(px) > 60)


@pytest.mark.parametrize("route", ["summary", "kpi", "register", "present"])
def test_every_control_a_keyboard_reaches_shows_its_focus(page, demo_url, route):
    width, height = 1280, 800
    page.set_viewport_size({"width": width, "height": height})
    open_route(page, demo_url + ROUTES[route])
    unseen, seen = [], 0
    for _ in range(70):
        page.keyboard.press("Tab")
        page.wait_for_timeout(100)
        box = page.evaluate(FOCUS_JS)
        if box is None or box["tag"] in NOT_CONTROLS or box["width"] == 0 or box["height"] == 0:
            continue
        if box["y"] < 0 or box["y"] + box["height"] > height:  # scrolled past the edge: scroll it in
            page.evaluate("() => window.__focused.scrollIntoView({block: 'center'})")
            page.wait_for_timeout(150)
            box = page.evaluate(FOCUS_JS)
        seen += 1
        if box["grid_outline"] is not None:
            if box["grid_outline"] == "none":
                unseen.append(f"data grid cell {box['name']!r}")
        elif focus_changes(page, box, width, height) < 20:
            unseen.append(f"{box['tag']} {box['name']!r}")
    assert seen >= 5, f"the keyboard reached only {seen} controls on /{route}"
    assert not unseen, f"no visible focus on /{route}: {unseen}"


def screen_number(page) -> int:
    text = page.locator(".mv-asat").first.inner_text()
    return int(text.split("Screen ")[1].split()[0])


def test_meeting_view_arrow_keys_work_after_every_control(page, demo_url):
    """Each of the meeting view's controls used with the mouse or the keyboard, then → and ←: the keys
    must move between screens at once (Streamlit ignores shortcuts while a form input has the focus)."""
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1280, "height": 800})
    button = lambda key: page.locator(f".st-key-present_{key} [data-testid^=stBaseButton]")  # noqa: E731
    pressed = lambda key, k: (button(key).focus(), page.keyboard.press(k))  # noqa: E731
    uses = [  # (what, the link it starts from, how it is used)
        ("Exceptions only, clicked", "", lambda: button("exceptions").click()),
        ("Show every KPI, with Enter", "exceptions=1", lambda: pressed("exceptions", "Enter")),
        ("Next, clicked", "", lambda: button("next").click()),
        ("Next, with Space", "screen=1", lambda: pressed("next", " ")),
        ("Previous, clicked", "screen=3", lambda: button("previous").click()),
        ("the chart, clicked", "screen=2", lambda: page.locator('[data-testid="stVegaLiteChart"]').first.click()),
    ]
    asat = page.locator(".mv-asat").first
    for what, link, use in uses:
        open_route(page, f"{demo_url}/present?{link}")
        use()
        settle(page, 300)
        before = screen_number(page)
        page.keyboard.press("ArrowRight")
        expect(asat, f"→ after {what}").to_contain_text(f"Screen {before + 1} of", timeout=30_000)
        settle(page, 300)
        page.keyboard.press("ArrowLeft")
        expect(asat, f"← after {what}").to_contain_text(f"Screen {before} of", timeout=30_000)
