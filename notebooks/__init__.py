"""One Jupyter notebook per lesson, kept in git as jupytext "percent" scripts.

``notebooks/NN_name.py`` is the source of truth. ``python -m notebooks.build``
executes each one in a fresh kernel and writes ``notebooks/_build/NN_name.ipynb``
with its outputs, for the site. See ``notebooks/README.md``.
"""
