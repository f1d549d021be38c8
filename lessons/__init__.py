"""Stagecraft's lessons, their exercises, and the runner behind `python -m lessons`."""
