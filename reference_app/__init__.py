"""Stagecraft's reference backend: one app that grows lesson by lesson.

``create_app(stage)`` returns the app as it stands after lesson ``stage``.
Read it top to bottom: it is the course's table of contents.
"""

from __future__ import annotations

import bottle

from . import api, auth, caching, database, deployment, routing, security, social
from .settings import Settings

STAGES = {
    1: "Routing",
    2: "Database",
    3: "APIs",
    4: "Auth",
    5: "Security",
    6: "Caching",
    7: "Deployment",
}
LAST_STAGE = max(STAGES)


# --8<-- [start:create_app]
def create_app(stage: int = LAST_STAGE, settings: Settings | None = None) -> bottle.Bottle:
    """The app after lesson ``stage``. Each lesson only adds to the one before."""
    if stage not in STAGES:
        raise ValueError(f"stage must be a whole number from 1 to {LAST_STAGE}, not {stage!r}")
    settings = settings or Settings.from_env()
    app = bottle.Bottle()  # an explicit app object: never Bottle's global default app
    app.config["stagecraft.stage"] = stage
    app.config["stagecraft.settings"] = settings

    routing.install(app)                  # 1. routes, errors, pages; data from memory
    if stage >= 2:
        database.install(app, settings)   # 2. the same routes, now backed by SQLite
    if stage >= 3:
        api.install(app)                  # 3. writes and validation; the demo author signs
    if stage >= 4:
        auth.install(app, settings)       # 4. real accounts replace the demo author,
        social.install(app)               #    and unlock follows, favourites and the feed
    if stage >= 5:
        security.install(app, settings)   # 5. headers, CSRF, throttling, limits, CORS
    if stage >= 6:
        caching.install(app, settings)    # 6. fewer queries, indexes, a cache, ETags
    if stage >= 7:
        deployment.install(app, settings) # 7. request ids, JSON logs, health checks
    return app
# --8<-- [end:create_app]


__all__ = ["LAST_STAGE", "STAGES", "Settings", "create_app"]
