"""The shape of the code: one package per lesson, in layers that only point down.

import-linter (in `make lint`) checks the layers; these tests check what it
cannot: that there are no import cycles at all, that no module is too long to
hold in your head, and that stage N really runs without the lessons above N.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from reference_app import LESSONS

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "reference_app"
LONGEST = 250
# The app, and the tools around it that readers open too. Not the tests, not
# the drills (a learner writes in them), and not the lesson notebooks
# (notebooks/NN_*.py), which are pages of prose.
CODE = ("reference_app", "benchmarks", "docs", "loadtests", "security_checks", "lessons",
        "notebooks")


def is_code(path: Path) -> bool:
    if {"tests", "exercises"} & set(path.parts) or path.name.startswith("test_"):
        return False
    return not (path.parent.name == "notebooks" and path.name[:1].isdigit())


def test_no_module_is_longer_than_250_lines():
    too_long = {str(path.relative_to(ROOT)): n
                for folder in CODE for path in (ROOT / folder).rglob("*.py")
                if is_code(path)
                and (n := len(path.read_text(encoding="utf-8").splitlines())) > LONGEST}
    assert too_long == {}


def test_there_are_no_import_cycles():
    grimp = pytest.importorskip("grimp")  # comes with import-linter
    graph = grimp.build_graph("reference_app")
    cycles = [
        (module, imported)
        for module in sorted(graph.modules)
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(importer=imported, imported=module)
    ]
    assert cycles == []


def test_each_lesson_has_one_door_and_its_own_views():
    for _title, name in LESSONS.values():
        package = PACKAGE / name
        assert "def install(app" in (package / "__init__.py").read_text(encoding="utf-8")
        for module in package.rglob("*.py"):
            text = module.read_text(encoding="utf-8")
            # Relative imports only, so the package works unchanged in a learner's app.
            assert "import reference_app" not in text and "from reference_app" not in text, \
                module


STAGE_IMPORTS = """
import sys
from reference_app import LESSONS, Settings, create_app
stage = {stage}
settings = Settings(database={database!r}, instance_path={instance!r})
create_app(stage, settings)
above = [name for number, (_, name) in LESSONS.items() if number > stage]
print(sorted(name for name in above if "reference_app." + name in sys.modules))
"""


@pytest.mark.parametrize("number", sorted(LESSONS))
def test_stage_n_imports_no_lesson_above_n(number, tmp_path):
    """A learner could delete lessons N+1..7, and stage N would still run."""
    code = STAGE_IMPORTS.format(stage=number, database=str(tmp_path / "app.db"),
                                instance=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=PACKAGE.parent, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
