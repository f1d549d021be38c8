"""Execute the lesson notebooks in fresh kernels; write them, with outputs, for the site.

    python -m notebooks.build                      # every notebook, into notebooks/_build/
    python -m notebooks.build 02_database 04_auth  # only these
    python -m notebooks.build --budget 30 --out /tmp/notebooks

The sources are jupytext "percent" scripts, ``notebooks/NN_name.py``: plain
Python that diffs and reviews like code, with no outputs in git. Each one runs
in its own kernel (the ``python3`` kernel of the Python running this script),
with its own empty temporary folder (``TMPDIR``) and the notebooks folder as
its working directory, like a learner's Jupyter.

A notebook fails the build, which then exits with status 1, when a cell
raises, when it takes longer than its budget (60 s from kernel start to the
last cell), when it leaves something behind: a child process, a listening
socket, or a file in its temporary folder; or when it shows a plot with no
alt text. notebooks/alt_text.py writes each plot's from its titles, axes and
series, so every plot needs a title.

The site (docs/hooks.py) publishes ``notebooks/_build/NN_name.ipynb`` as it is,
outputs and plots included; mkdocs-jupyter does not execute anything.

A new lesson's notebook needs nothing here: drop ``NN_name.py`` next to the others.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from notebooks import alt_text
from notebooks.leftovers import leftovers, snapshot

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "_build"
BUDGET_SECONDS = 60
SOURCE_GLOB = "[0-9][0-9]_*.py"
CELL_MARKER = "# %%"
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
ANSI_COLOURS = re.compile(r"\x1b\[[0-9;]*m")

# nbclient, jupytext and psutil are imported where they are used: importing this module
# (pytest does, to list the notebooks) then costs nothing and needs none of them.


class BuildError(Exception):
    """A notebook failed; the message says which one, where, and why."""


@dataclass
class Result:
    name: str
    seconds: float
    notebook: object  # an nbformat NotebookNode, with outputs


def sources(names: list[str] | None = None) -> list[Path]:
    """The notebook sources in lesson order, or only those ``names`` (``02_database``)."""
    found = {path.stem: path for path in sorted(HERE.glob(SOURCE_GLOB))}
    if not names:
        return list(found.values())
    wanted = [Path(name).stem for name in names]  # accept 02_database, 02_database.py or a path
    unknown = [name for name in wanted if name not in found]
    if unknown:
        raise BuildError(f"no notebook named {', '.join(unknown)}; "
                         f"there are: {', '.join(found) or 'none'}")
    return [found[name] for name in wanted]


# ---- Running one notebook -----------------------------------------------------
def execute(source: Path, budget: float = BUDGET_SECONDS) -> Result:
    """Run ``source`` top to bottom in a fresh kernel. Raises BuildError on any failure."""
    import jupytext
    import psutil
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    notebook = jupytext.read(source, fmt="py:percent")
    notebook.metadata["kernelspec"] = KERNELSPEC
    code_cells = [index for index, cell in enumerate(notebook.cells) if cell.cell_type == "code"]
    if not code_cells:
        raise BuildError(f"{source.name}: has no code cells")
    started = time.monotonic()
    seen: dict[str, object] = {}

    with tempfile.TemporaryDirectory(prefix=f"stagecraft-{source.stem}-") as scratch_name:
        scratch = Path(scratch_name)

        def on_start(**_):
            kernel = psutil.Process(client.km.provisioner.pid)
            check_kernel_python(kernel)
            seen["kernel"], seen["before"] = kernel, snapshot(kernel, scratch)

        def on_cell_execute(cell_index, **_):
            seen["cell"] = cell_index  # so a failure can say where

        def on_cell_executed(cell_index, **_):
            if cell_index == code_cells[-1]:  # the last cell: the kernel is still up, look now
                seen["after"] = snapshot(seen["kernel"], scratch)

        def seconds_left(cell):
            return max(1, math.ceil(started + budget - time.monotonic()))

        client = NotebookClient(
            notebook,
            kernel_name=KERNELSPEC["name"],
            timeout_func=seconds_left,
            resources={"metadata": {"path": str(HERE)}},  # the kernel's working directory
            # Quiet the kernel's own log (a warning about unencrypted local TCP on
            # every start); errors in cells still arrive as cell outputs.
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
            on_notebook_start=on_start,
            on_cell_execute=on_cell_execute,
            on_cell_executed=on_cell_executed,
        )
        environment = {
            # Matplotlib keeps its font cache in MPLCONFIGDIR, or in a temporary folder
            # when the home folder is read-only (some CI runners): that would count as
            # a leftover. Give it a fixed, git-ignored place, reused from run to run.
            "MPLCONFIGDIR": str(DEFAULT_OUT / ".matplotlib"),
            **os.environ,
            "TMPDIR": scratch_name,
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",  # silence debugpy's startup note
        }
        try:
            client.execute(env=environment)
        except CellExecutionError as error:
            raise BuildError(f"{where(source, seen)} failed:\n{plain(error)}") from None
        except CellTimeoutError:
            raise BuildError(f"{where(source, seen)} was still running "
                             f"when the {budget:.0f} s budget ran out") from None
        except DeadKernelError as error:
            raise BuildError(f"{source.name}: the kernel died: {error}") from None

    seconds = time.monotonic() - started
    left = leftovers(seen["before"], seen["after"])
    if left:
        raise BuildError(f"{source.name}: left running after its last cell: "
                         + "; ".join(left) + ". Stop or remove them in the notebook "
                         "(try/finally, or a last clean-up cell).")
    if seconds > budget:
        raise BuildError(f"{source.name}: took {seconds:.1f} s, over its {budget:.0f} s budget")
    unlabelled = alt_text.cells_without_alt(notebook)
    if unlabelled:  # the site would publish a picture a screen reader cannot describe
        raise BuildError(f"{source.name}: cell {', '.join(map(str, unlabelled))} shows a plot "
                         "with no alt text; give the plot a title (notebooks/alt_text.py)")
    return Result(source.stem, seconds, notebook)


def check_kernel_python(kernel) -> None:
    """The kernel must run this Python (the project's venv), or it cannot import the app.

    jupyter_client runs a kernelspec that says ``python`` with ``sys.executable``,
    but a user-wide ``python3`` kernelspec with another interpreter would win.
    """
    interpreter = kernel.cmdline()[0]
    if Path(interpreter).resolve() != Path(sys.executable).resolve():
        raise BuildError(f"the python3 kernel runs {interpreter}, not {sys.executable}; "
                         "another python3 kernelspec shadows this one "
                         "(see `jupyter kernelspec list`)")


def where(source: Path, seen: dict) -> str:
    """``04_auth.py:120 (cell 14)``: the cell that was running, findable in the source."""
    index = seen.get("cell")
    if index is None:
        return source.name
    # Each cell starts at a "# %%" line (the sources start with one: a test checks).
    markers = [number for number, line in enumerate(source.read_text().splitlines(), start=1)
               if line.startswith(CELL_MARKER)]
    line = f":{markers[index]}" if index < len(markers) else ""
    return f"{source.name}{line} (cell {index + 1})"


def plain(error: Exception) -> str:
    """The error's text without the terminal colours IPython adds to tracebacks."""
    return ANSI_COLOURS.sub("", str(error)).strip()


# ---- Writing -------------------------------------------------------------------
def write(result: Result, out: Path) -> Path:
    import nbformat

    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{result.name}.ipynb"
    nbformat.write(result.notebook, path)
    return path


def build(paths: list[Path], out: Path, *, budget: float = BUDGET_SECONDS,
          report=print) -> list[str]:
    """Execute and write each notebook; return the failures (empty: all good)."""
    failures = []
    for source in paths:
        try:
            result = execute(source, budget)
        except BuildError as error:
            report(f"FAIL {source.stem}\n{error}\n")
            failures.append(source.stem)
            # Never leave an older, passing copy for the site to publish as current.
            (out / f"{source.stem}.ipynb").unlink(missing_ok=True)
            continue
        written = write(result, out)
        report(f"  ok {result.name:<16} {result.seconds:5.1f} s  -> {display_path(written)}")
    return failures


def display_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m notebooks.build",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebooks to run, e.g. 02_database "
                        "(default: all)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"folder for the executed .ipynb files (default: "
                             f"{display_path(DEFAULT_OUT)})")
    parser.add_argument("--budget", type=float, default=BUDGET_SECONDS,
                        help=f"seconds each notebook may take (default: {BUDGET_SECONDS})")
    args = parser.parse_args(argv)
    try:
        paths = sources(args.names)
    except BuildError as error:
        print(f"notebooks.build: {error}", file=sys.stderr)
        return 2
    started = time.monotonic()
    failures = build(paths, args.out, budget=args.budget)
    total = time.monotonic() - started
    if failures:
        print(f"{len(failures)} of {len(paths)} notebooks failed: {', '.join(failures)}",
              file=sys.stderr)
        return 1
    print(f"{len(paths)} notebooks in {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
