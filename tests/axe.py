"""axe-core in a Selenium-driven browser: the one way both accessibility tests run it.

axe-core is vendored (tests/vendor/axe-core/, version below): nothing is
downloaded at test time.
"""

from __future__ import annotations

from pathlib import Path

AXE_VERSION = "4.14.1"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# What axe checks: WCAG 2.0-2.2 A and AA, and its best practices (a skip link,
# one main landmark, headings in order...). Serious and critical fail the tests.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING = {"serious", "critical"}
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then(result => done(result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")), count: v.nodes.length}))))
  .catch(error => done({error: String(error)}));
"""


def violations(driver, name: str) -> list[dict]:
    """axe-core's violations on the page as it is now: id, impact, help, the first
    three nodes (CSS selectors) and how many nodes in all."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    found = driver.execute_async_script(RUN_AXE, AXE_TAGS)
    assert not isinstance(found, dict), f"axe-core failed on {name}: {found}"
    return found


def failing(driver, name: str) -> list[str]:
    """One line per serious or critical violation on the page as it is now."""
    return [f"{name}: {v['impact']} {v['id']} ({v['help']}), {v['count']} nodes, at {v['nodes']}"
            for v in violations(driver, name) if v["impact"] in FAILING]
