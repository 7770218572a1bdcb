"""axe-core (from the npm registry, pinned in tests/a11y/package-lock.json) run inside a Playwright page.

test.sh installs it with `npm ci --prefix tests/a11y` (node_modules is not committed); the accessibility
tests skip with this reason when it is missing."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
MISSING = "axe-core is not installed: run `npm ci --prefix tests/a11y` (test.sh does)"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA: what NHS services must meet
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SERIOUS = ("serious", "critical")


def run_axe(page, tags: list[str] = WCAG_AA) -> list[dict]:
    """Every axe violation on the page as it is now: id, impact, help and the offending elements."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: "
                           "['violations']})", tags)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [{"target": n["target"], "html": n["html"][:200], "summary": n.get("failureSummary", "")}
                       for n in v["nodes"]]}
            for v in result["violations"]]


def serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in SERIOUS]


def describe(violations: list[dict]) -> str:
    """One line per violation and up to three of its elements, for an assertion message."""
    lines = []
    for v in violations:
        lines.append(f"{v['impact']}: {v['id']} — {v['help']} ({len(v['nodes'])} elements)")
        lines += [f"    {n['target']} {n['html'][:120]}" for n in v["nodes"][:3]]
    return "\n".join(lines)
