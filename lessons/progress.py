"""The learner's progress: which exercises pass, and which hints were shown.

Stored as JSON in ``<workspace>/.progress.json`` next to the learner's files,
so deleting the workspace folder starts the course afresh.
"""

from __future__ import annotations

import json

from lessons.catalog import workspace_dir


def _path():
    return workspace_dir() / ".progress.json"


def load() -> dict:
    path = _path()
    data = json.loads(path.read_text("utf-8")) if path.exists() else {}
    return {"passed": data.get("passed", {}), "hints": data.get("hints", {})}


def save(data: dict) -> None:
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", "utf-8")


def passed(name: str) -> bool:
    return load()["passed"].get(name, False)


def record_check(name: str, ok: bool) -> None:
    data = load()
    data["passed"][name] = ok
    save(data)


def hints_seen(name: str) -> set[int]:
    """The numbers of the hints shown so far (older files kept a count: 3 is {1, 2, 3})."""
    seen = load()["hints"].get(name, [])
    return set(range(1, seen + 1)) if isinstance(seen, int) else set(seen)


def mark_hint_seen(name: str, number: int) -> None:
    data = load()
    data["hints"][name] = sorted(hints_seen(name) | {number})
    save(data)
