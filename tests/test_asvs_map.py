"""The ASVS page (security_checks/asvs.md) names real tests and cannot drift.

Its data, security_checks/asvs.json, says which tests prove each requirement.
Here pytest really collects every test it names; the committed page must be
exactly what the generator writes from the data; and every row is well formed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from security_checks import asvs

ROOT = Path(__file__).resolve().parent.parent
# A bare node id: the function, without [..]. A test that takes the `stage`
# fixture has one item per stage (test_x[stage5], ...), all named by its bare id.
NODE_ID = re.compile(r"tests/test_\w+\.py::test_\w+")
REQUIREMENT_ID = re.compile(r"(?:[1-9]|1[0-7])\.[1-9][0-9]?\.[1-9][0-9]?")


DATA = asvs.load()
ROWS = DATA["requirements"]


def named_tests() -> set[str]:
    """Every node id in the data: the evidence lists, and any named in a note or reason."""
    named = {test for row in ROWS for test in row["tests"]}
    for row in ROWS:
        for key in ("note", "reason"):
            named |= set(NODE_ID.findall(row.get(key, "")))
    return named


def test_every_named_test_is_collected_by_pytest():
    named = sorted(named_tests())
    files = sorted({node.split("::")[0] for node in named})
    # Collect whole files, so that one missing test is reported as itself rather
    # than stopping the collection. Collecting needs no plugins, and loading them
    # all (Hypothesis, coverage, ...) would take most of this test's time.
    environment = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         *files], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    collected = {item.split("[")[0] for item in result.stdout.splitlines()}
    missing = [node for node in named if node not in collected]
    assert not missing, f"asvs.json names tests that pytest does not collect: {missing}"


def test_the_committed_page_is_what_the_generator_writes():
    page = (ROOT / "security_checks" / "asvs.md").read_text(encoding="utf-8")
    assert page == asvs.render(DATA), "asvs.md is stale: run python -m security_checks.asvs"


def test_the_generator_checks_the_page_from_the_command_line():
    result = subprocess.run([sys.executable, "-m", "security_checks.asvs", "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (0, "asvs.md is current\n"), result.stderr


def test_there_are_at_least_20_rows_with_unique_well_formed_ids():
    ids = [row["id"] for row in ROWS]
    assert len(ids) >= 20
    assert len(set(ids)) == len(ids), "a requirement is listed twice"
    assert [i for i in ids if not REQUIREMENT_ID.fullmatch(i)] == []
    assert {i.split(".")[0] for i in ids} <= set(DATA["chapters"])


def test_every_row_has_a_level_a_quote_a_status_and_its_evidence():
    for row in ROWS:
        where = f"V{row['id']}"
        assert row["level"] in ("L1", "L2", "L3"), where
        assert 20 <= len(row["quote"]) <= 400 and row["quote"].startswith("Verify that"), where
        assert row["status"] in asvs.STATUSES, where
        assert all(NODE_ID.fullmatch(test) for test in row["tests"]), where
        assert len(set(row["tests"])) == len(row["tests"]), where
        if row["status"] == "met":
            assert row["tests"], f"{where} is met: name the tests that prove it"
            assert "reason" not in row, f"{where} is met: a reason is for a shortfall"
        else:
            assert row.get("reason", "").strip(), f"{where} is {row['status']}: say why"
            assert "note" not in row, f"{where}: put what falls short in its reason"


def test_the_data_says_where_the_text_was_checked():
    assert DATA["version"] == "5.0.0"
    assert DATA["sources"] and all(source["repo"] and source["path"] and source["checked"]
                                   for source in DATA["sources"])
