"""create_app(stage): every stage runs, and each only adds to the one before."""

import ast
from pathlib import Path

import pytest

from reference_app import LAST_STAGE, STAGES, create_app


def route_table(app):
    return {(route.method, route.rule) for route in app.routes}


def test_stages_are_numbered_from_one_to_the_last():
    assert sorted(STAGES) == list(range(1, LAST_STAGE + 1))


@pytest.mark.parametrize("bad", [0, LAST_STAGE + 1, "2", None])
def test_unknown_stage_is_refused_clearly(bad, settings):
    with pytest.raises(ValueError, match="stage must be"):
        create_app(bad, settings)


def test_each_stage_keeps_every_route_of_the_one_before(settings):
    tables = [route_table(create_app(stage, settings)) for stage in STAGES]
    for before, after in zip(tables, tables[1:], strict=False):
        assert before <= after  # lesson 2 swaps the store and adds no route
    assert tables[0] < tables[-1]


def test_the_default_is_the_last_stage(settings):
    assert route_table(create_app(settings=settings)) == route_table(
        create_app(LAST_STAGE, settings))


# A route that each lesson adds (lessons 2 and 6 change how, not what, it answers).
ADDED_BY = {1: ("GET", "/api/articles"), 3: ("POST", "/api/articles"),
            4: ("POST", "/api/users"), 5: ("GET", "/.well-known/security.txt"),
            7: ("GET", "/healthz")}


@pytest.mark.stage(1)
def test_the_app_knows_its_stage(app, stage):
    """The app at stage N has the routes of lessons 1 to N, and none of the others."""
    table = route_table(app)
    assert {lesson for lesson, route in ADDED_BY.items() if route in table} == {
        lesson for lesson in ADDED_BY if lesson <= stage}


# What a stage test may import from the app's package: the front door and tools
# that only read the documented seams, never a lesson's own modules. So the stage
# tests can check a learner's app, which has modules of its own.
FRONT_DOOR = {
    "reference_app": "create_app, Settings and the stage numbers",
    "reference_app.core.settings": "Settings and SettingsError",
    "reference_app.seed": "the demo data, and its password",
    "reference_app.cli": "the command line",
    "reference_app.database.plugin": "count_queries, which reads the database.tracers seam",
}


def imported_modules(source: str) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def test_stage_tests_import_nothing_but_the_front_door():
    reaching_in = {}
    for path in sorted(Path(__file__).parent.glob("test_*.py")):
        source = path.read_text(encoding="utf-8")
        if "pytest.mark.stage(" not in source:
            continue  # unit, CLI and docs tests may import what they test
        ours = {m for m in imported_modules(source) if m.split(".")[0] == "reference_app"}
        if ours - set(FRONT_DOOR):
            reaching_in[path.name] = sorted(ours - set(FRONT_DOOR))
    assert reaching_in == {}
