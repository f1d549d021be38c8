"""The lesson notebooks: each runs top to bottom in a fresh kernel, in time, and
leaves nothing running.

Executing them starts one kernel per notebook and takes a while, so those tests
run under CI (``CI=true``) or when asked (``STAGECRAFT_NOTEBOOKS=1``);
``make notebooks`` runs the notebooks too. The checks on their sources always run.
"""

from __future__ import annotations

import os
import re
import sys
import textwrap
from pathlib import Path

import pytest

from notebooks import build

ROOT = Path(__file__).resolve().parent.parent

SOURCES = build.sources()
EXECUTE = (os.environ.get("CI", "").lower() in ("1", "true", "yes")
           or os.environ.get("STAGECRAFT_NOTEBOOKS") == "1")
needs_kernel = pytest.mark.skipif(
    not EXECUTE, reason="executing notebooks takes a while: runs under CI=true or "
                        "STAGECRAFT_NOTEBOOKS=1 (or run `make notebooks`)")
by_name = pytest.mark.parametrize("source", SOURCES, ids=[path.stem for path in SOURCES])


def cells(source: Path) -> list[str]:
    """The cells of a percent-format source, each starting with its ``# %%`` line."""
    return ["# %%" + cell for cell in source.read_text().split("# %%")[1:]]


def test_there_are_notebooks():
    assert [path.stem for path in SOURCES][:5] == [
        "00_http", "01_routing", "02_database", "03_apis", "04_auth"]


@by_name
def test_notebook_is_named_after_its_lesson(source):
    assert (ROOT / "lessons" / source.stem).is_dir()


@by_name
def test_notebook_opens_with_a_title_a_link_to_its_lesson_and_what_it_needs(source):
    assert source.read_text().startswith("# %% [markdown]\n# # ")  # no code before the title
    first = cells(source)[0]
    link = f"](../lessons/{source.stem}/index.md)"
    assert link in first
    assert (source.parent / "../lessons" / source.stem / "index.md").is_file()
    assert "**Needs:**" in first


@by_name
def test_notebook_ends_with_try_this_cells(source):
    titles = [i for i, cell in enumerate(cells(source)) if "# ## Try this" in cell]
    assert titles, "no '## Try this' section"
    after = cells(source)[titles[-1] + 1:]
    assert sum(not cell.startswith("# %% [markdown]") for cell in after) >= 2


@by_name
def test_notebook_source_is_as_jupytext_writes_it(source):
    """Saving from Jupyter (jupytext, with notebooks/jupytext.toml) changes nothing."""
    jupytext = pytest.importorskip("jupytext")
    from jupytext.config import load_jupytext_configuration_file

    config = load_jupytext_configuration_file(str(source.parent / "jupytext.toml"))
    notebook = jupytext.read(source, fmt="py:percent")
    notebook.metadata["kernelspec"] = build.KERNELSPEC  # as Jupyter adds it
    assert jupytext.writes(notebook, fmt="py:percent", config=config) == source.read_text()


def test_unknown_notebook_names_are_refused():
    with pytest.raises(build.BuildError, match="no notebook named 99_nope"):
        build.sources(["99_nope"])


# ---- Executing them --------------------------------------------------------------
@needs_kernel
@by_name
def test_notebook_runs_top_to_bottom_in_time_and_leaves_nothing_running(source, tmp_path):
    import nbformat
    import psutil

    children_before = {p.pid for p in psutil.Process().children(recursive=True)}
    result = build.execute(source)  # raises BuildError, with the failing cell, on any problem
    assert result.seconds < build.BUDGET_SECONDS

    code = [cell for cell in result.notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code), "a cell did not run"
    outputs = [out for cell in code for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"]
    assert len(outputs) >= len(code) // 2, "most cells should show something"
    if "plt.show()" in source.read_text():
        assert any("image/png" in out.get("data", {}) for out in outputs), "no plot rendered"

    written = build.write(result, tmp_path)
    nbformat.validate(nbformat.read(written, as_version=4))
    # The kernel has shut down, and nothing it started outlived it.
    assert {p.pid for p in psutil.Process().children(recursive=True)} == children_before


def notebook_source(tmp_path: Path, *cell_sources: str) -> Path:
    path = tmp_path / "99_scratch.py"
    path.write_text("# %% [markdown]\n# # Scratch\n\n" + "".join(
        f"# %%\n{textwrap.dedent(source).strip()}\n\n" for source in cell_sources))
    return path


@needs_kernel
def test_the_kernel_runs_this_python(tmp_path):
    result = build.execute(notebook_source(tmp_path, "import sys\nprint(sys.executable)"))
    assert result.notebook.cells[1].outputs[0].text.strip() == sys.executable


@needs_kernel
def test_a_failing_cell_fails_the_build_and_says_where(tmp_path):
    source = notebook_source(tmp_path, "x = 1", "raise ValueError('boom')")
    with pytest.raises(build.BuildError, match=r"99_scratch\.py:7 \(cell 3\) failed:[\s\S]*"
                                               r"ValueError: boom"):
        build.execute(source)


@needs_kernel
def test_leftovers_fail_the_build_and_are_named(tmp_path):
    import psutil

    source = notebook_source(tmp_path, """
        import socket, subprocess, sys, tempfile
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        tempfile.mkdtemp()
    """)
    with pytest.raises(build.BuildError) as failure:
        build.execute(source)
    message = str(failure.value)
    try:
        assert "left running after its last cell" in message
        assert re.search(r"listening socket 127\.0\.0\.1:\d+", message)
        assert re.search(r"temporary file tmp\w+", message)
        assert re.search(r"process \d+ python", message)
    finally:  # the sleeper outlives its kernel: end it, by its pid
        for pid in re.findall(r"process (\d+) ", message):
            try:
                psutil.Process(int(pid)).kill()
            except psutil.NoSuchProcess:
                pass


@needs_kernel
def test_a_notebook_over_its_budget_fails_the_build(tmp_path):
    source = notebook_source(tmp_path, "import time\ntime.sleep(30)")
    with pytest.raises(build.BuildError, match=r"99_scratch\.py:4 \(cell 2\).*budget"):
        build.execute(source, budget=3)


# ---- Every plot's alt text, from its own titles (notebooks/alt_text.py) ------------
def test_a_plot_is_described_by_its_titles_axes_series_and_bars():
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from notebooks import alt_text

    figure = Figure()
    line, bars = figure.subplots(1, 2)
    line.plot([1, 5, 10], [5, 17, 32], label="stage 5")
    line.plot([1, 5, 10], [3, 3, 3], label="stage 6")
    line.legend()
    line.set(title="Queries per page", xlabel="articles", ylabel="SELECTs")
    bars.barh(["SHA-256", "Argon2id"], [0.3, 40000])
    bars.set(title="One hash each", xscale="log")
    data, metadata = alt_text.png(figure)  # draws it, as Jupyter does, then describes it

    assert data.startswith(b"\x89PNG")
    assert metadata == {"alt": "2 charts side by side. Line chart: Queries per page. "
                               "X axis: articles; y axis: SELECTs. Series: stage 5, stage 6. "
                               "Bar chart: One hash each. Bars: SHA-256, Argon2id."}


def test_a_plot_without_a_title_has_no_alt_text_and_is_found():
    pytest.importorskip("matplotlib")
    nbformat = pytest.importorskip("nbformat")
    from matplotlib.figure import Figure

    from notebooks import alt_text

    figure = Figure()
    figure.subplots().plot([1, 2, 3])
    data, metadata = alt_text.png(figure)
    assert metadata == {"alt": ""}
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Plots"),
        nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
            "display_data", data={"image/png": "iVBOR"}, metadata={"image/png": metadata})]),
        nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
            "display_data", data={"image/png": "iVBOR"},
            metadata={"image/png": {"alt": "Line chart: a title."}})]),
    ])
    assert alt_text.cells_without_alt(notebook) == [2]


@needs_kernel
def test_a_plot_gets_its_alt_text_in_the_kernel_and_one_without_fails_the_build(tmp_path):
    titled = notebook_source(tmp_path, """
        import matplotlib.pyplot as plt
        from helpers import ROOT
        plt.plot([1, 2, 3], [2, 4, 8])
        plt.title("Doubling")
        plt.show()
    """)
    outputs = build.execute(titled).notebook.cells[1].outputs
    images = [out for out in outputs if "image/png" in out.get("data", {})]
    assert [out.metadata["image/png"]["alt"] for out in images] == ["Line chart: Doubling."]

    untitled = notebook_source(tmp_path, """
        import matplotlib.pyplot as plt
        from helpers import ROOT
        plt.plot([1, 2, 3])
        plt.show()
    """)
    with pytest.raises(build.BuildError, match=r"cell 2 shows a plot with no alt text"):
        build.execute(untitled)
