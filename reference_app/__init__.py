"""Stagecraft's reference backend: one app that grows lesson by lesson.

``create_app(stage)`` returns the app as it stands after lesson ``stage``.
Read it top to bottom: it is the course's table of contents. Each lesson is a
package with one door, ``install(app, settings)``; a lesson imports only the
core and the lessons below it, so stage N never loads a lesson above N.
"""

from __future__ import annotations

import importlib

from .core import App, Settings

# --8<-- [start:lessons]
LESSONS = {  # stage: (title, package)
    1: ("Routing", "routing"),        # routes, errors, pages; data from memory
    2: ("Database", "database"),      # the same routes, now backed by SQLite
    3: ("APIs", "api"),               # writes and validation; the demo author signs
    4: ("Auth", "auth"),              # real accounts; follows, favourites, the feed
    5: ("Security", "security"),      # headers, CSRF, throttling, limits, CORS
    6: ("Caching", "caching"),        # fewer queries, indexes, a cache, ETags
    7: ("Deployment", "deployment"),  # request ids, JSON logs, health checks, metrics
    8: ("Real time", "realtime"),     # new comments live: SSE, a broker, WebSockets
}
# --8<-- [end:lessons]
STAGES = {stage: title for stage, (title, _) in LESSONS.items()}
LAST_STAGE = max(STAGES)


# --8<-- [start:create_app]
def create_app(stage: int = LAST_STAGE, settings: Settings | None = None, *,
               package: str = __name__) -> App:
    """The app after lesson ``stage``. Each lesson only adds to the one before.

    ``package`` is where the lesson packages live: this one, or a learner's own
    app with the same layout (the build track's ``workshop``).
    """
    if stage not in STAGES:
        raise ValueError(f"stage must be a whole number from 1 to {LAST_STAGE}, not {stage!r}")
    settings = settings or Settings.from_env()
    app = App()  # an explicit app object: never Bottle's global default app
    app.config["stagecraft.stage"] = stage
    app.config["stagecraft.settings"] = settings
    for number in range(1, stage + 1):
        lesson = importlib.import_module(f"{package}.{LESSONS[number][1]}")
        lesson.install(app, settings)
    return app
# --8<-- [end:create_app]


__all__ = ["LAST_STAGE", "LESSONS", "STAGES", "Settings", "create_app"]
