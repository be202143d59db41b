"""axe-core in the page under test: the serious and critical accessibility violations, as text.

axe.min.js (vendored in tests/browser/vendor/, MPL-2.0) goes in as a Playwright init script, which
the page's strict Content-Security-Policy does not apply to; the site itself never serves it.
"""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
BLOCKING = ("serious", "critical")

_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ")),
  }));
}"""


def with_axe(context) -> None:
    """Every page opened in this browser context carries axe (call before opening pages)."""
    context.add_init_script(path=str(AXE))


def violations(page) -> list[str]:
    """The page's serious and critical violations, one line each (empty when there are none)."""
    found = page.evaluate(_RUN)
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} at {v['nodes']}"
        for v in found
        if v["impact"] in BLOCKING
    ]
