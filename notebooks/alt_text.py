"""Every plot a notebook shows carries a written description, made from the figure itself.

A screen reader cannot see a chart, so the site's ``<img>`` needs an ``alt``
text. Written by hand, it would drift from the plot the first time someone
changes a title. ``describe(fig)`` reads what the notebook's own code put on
the figure instead: its titles, its axes' labels, the series in its legend, the
categories of a bar chart. ``install()`` (helpers.py calls it) makes Jupyter
send that text with every figure, as the ``alt`` of the PNG's output metadata;
the site's hook (docs/notebook_pages.py) puts it on the ``<img>``, and the build
(notebooks/build.py) refuses a plot without one: give every plot a title.

The PNG itself is made here too: on white, so that it reads on the site's dark
palette, and reduced to a 256-colour palette, a third of the bytes for the
same picture.
"""

from __future__ import annotations

import io

DPI = 100
COLOURS = 256


def describe(fig) -> str:
    """One or more sentences: what kind of chart, its title, axes and series."""
    sentences = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text():
        sentences.append(suptitle.get_text().rstrip(".") + ".")
    charts = [ax for ax in fig.axes if ax.get_visible() and ax.has_data()]
    for ax in charts:
        title = ax.get_title() or ax.get_title("left") or ax.get_title("right")
        if not title:
            continue
        sentence = [f"{kind(ax)}: {title.rstrip('.')}."]
        axes = "; ".join(f"{name} axis: {label}" for name, label in
                         (("x", ax.get_xlabel()), ("y", ax.get_ylabel())) if label)
        if axes:
            sentence.append(axes[0].upper() + axes[1:] + ".")
        names = series(ax)
        if len(names) > 1:
            sentence.append("Series: " + listed(names) + ".")
        names = categories(ax)
        if names:
            sentence.append("Bars: " + listed(names) + ".")
        sentences.append(" ".join(sentence))
    if len(charts) > 1 and len(sentences) > 1:
        sentences.insert(0, f"{len(charts)} charts side by side.")
    return " ".join(sentences)


def listed(names: list[str]) -> str:
    """Names one after the other: with semicolons when a name has a comma of its own."""
    return ("; " if any("," in name for name in names) else ", ").join(names)


def kind(ax) -> str:
    from matplotlib.container import BarContainer

    if any(isinstance(container, BarContainer) for container in ax.containers):
        return "Bar chart"
    if ax.get_lines():
        return "Line chart"
    if ax.collections:
        return "Scatter plot"
    return "Chart"


def series(ax) -> list[str]:
    """The names in the legend, else the labels the code gave its lines."""
    legend = ax.get_legend()
    if legend is not None:
        return [text.get_text() for text in legend.get_texts()]
    return [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]


def categories(ax) -> list[str]:
    """A bar chart's bar names: the tick labels along its bars' base, if they are words."""
    from matplotlib.container import BarContainer

    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    if not bars:
        return []
    axis = ax.yaxis if bars[0].orientation == "horizontal" else ax.xaxis
    labels = [label.get_text() for label in axis.get_ticklabels() if label.get_text()]
    return [] if all(looks_numeric(label) for label in labels) else labels


def looks_numeric(text: str) -> bool:
    try:
        float(text.replace("\N{MINUS SIGN}", "-").replace(",", ""))
    except ValueError:
        return False
    return True


def png(fig) -> tuple[bytes, dict]:
    """The figure as a small PNG, with its description as the ``alt`` metadata."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
    data = buffer.getvalue()
    try:
        from PIL import Image  # comes with matplotlib
    except ImportError:  # keep the full-colour PNG
        return data, {"alt": describe(fig)}
    image = Image.open(io.BytesIO(data)).convert("RGB")
    small = io.BytesIO()
    image.quantize(COLOURS).save(small, format="png", optimize=True)
    return small.getvalue(), {"alt": describe(fig)}


def install() -> None:
    """In a Jupyter kernel, show every matplotlib figure with ``png()``. Elsewhere, nothing."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    # Set the inline backend up now: when it first loads, it registers its own
    # figure formatter, which would replace this one.
    plt.switch_backend(plt.get_backend())
    shell.display_formatter.formatters["image/png"].for_type(Figure, png)


def cells_without_alt(notebook) -> list[int]:
    """The cells (numbered from 1, as in Jupyter) that show an image with no alt text."""
    return [number for number, cell in enumerate(notebook.cells, start=1)
            for output in cell.get("outputs", [])
            if any(kind.startswith("image/") for kind in output.get("data", {}))
            and not all(output.get("metadata", {}).get(kind, {}).get("alt")
                        for kind in output["data"] if kind.startswith("image/"))]
