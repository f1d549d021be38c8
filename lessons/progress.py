"""The learner's progress: which exercises pass, and how many hints were shown.

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


def hints_seen(name: str) -> int:
    return load()["hints"].get(name, 0)


def set_hints_seen(name: str, count: int) -> None:
    data = load()
    data["hints"][name] = count
    save(data)
