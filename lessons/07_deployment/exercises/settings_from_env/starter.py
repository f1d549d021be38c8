"""Exercise settings_from_env: read and validate settings from the environment.

Twelve-factor apps take their settings from environment variables, so that
one build runs in development, CI and production. But the environment is
all strings, and a typo there should stop the app at start-up with a clear
message, not crash it at 3 a.m. on the first request that needs the value.
"""

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    secret_key: str
    database_path: str = "data/app.db"
    port: int = 8000
    debug: bool = False


class SettingsError(ValueError):
    """Every problem with the settings, in one message."""


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Build Settings from STAGECRAFT_* variables, or raise SettingsError."""
    # TODO 1: STAGECRAFT_SECRET_KEY is required and at least 32 characters.
    #         Never put its value in an error message.
    # TODO 2: STAGECRAFT_PORT is optional (default 8000), a whole number 1-65535.
    # TODO 3: STAGECRAFT_DEBUG is optional (default false): accept 1/true/yes/on
    #         and 0/false/no/off in any case; anything else is a problem.
    # TODO 4: STAGECRAFT_DATABASE_PATH is optional (default "data/app.db").
    # TODO 5: collect EVERY problem, then raise one SettingsError naming them all.
    return Settings(
        secret_key=environ.get("STAGECRAFT_SECRET_KEY", ""),
        database_path=environ.get("STAGECRAFT_DATABASE_PATH", "data/app.db"),
        port=int(environ.get("STAGECRAFT_PORT", 8000)),
        debug=bool(environ.get("STAGECRAFT_DEBUG", False)),
    )
