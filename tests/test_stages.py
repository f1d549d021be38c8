"""create_app(stage): every stage runs, and each only adds to the one before."""

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


@pytest.mark.stage(1)
def test_the_app_knows_its_stage(app, stage):
    assert app.config["stagecraft.stage"] == stage
