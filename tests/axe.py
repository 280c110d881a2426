"""axe-core, the accessibility checker, run inside a page of the browser tests."""

from __future__ import annotations

from typing import Any

from .conftest import ROOT

AXE_SOURCE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def audit(page: Any) -> list[dict[str, Any]]:
    """The violations axe-core finds in the page as it is now."""
    assert AXE_SOURCE.is_file(), f"{AXE_SOURCE} is missing: run 'make test', which installs axe-core with npm"
    # Evaluated through the DevTools protocol, so the page's Content-Security-Policy
    # (no inline script) stays as a reader's browser applies it.
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    return results["violations"]


def describe(violations: list[dict[str, Any]]) -> str:
    """One line a violation: rule, impact, and the first elements at fault."""
    lines = []
    for violation in violations:
        targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    return "\n".join(lines)
