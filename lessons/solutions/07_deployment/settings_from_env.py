"""Solution: settings_from_env."""

import re
from collections.abc import Mapping
from dataclasses import dataclass

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}
PORT = re.compile(r"[0-9]{1,5}")  # not str.isdigit(): it accepts "²", which int() refuses


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
    problems: list[str] = []

    secret_key = environ.get("STAGECRAFT_SECRET_KEY", "")
    if len(secret_key) < 32:  # say what is wrong, never what the value was
        problems.append("STAGECRAFT_SECRET_KEY must be set, at least 32 characters")

    port_text = environ.get("STAGECRAFT_PORT", "8000").strip()
    port = int(port_text) if PORT.fullmatch(port_text) else 0
    if not 1 <= port <= 65535:
        problems.append("STAGECRAFT_PORT must be a whole number from 1 to 65535, "
                        f"not {port_text!r}")

    debug_text = environ.get("STAGECRAFT_DEBUG", "false").strip().lower()
    if debug_text not in TRUE_WORDS | FALSE_WORDS:
        problems.append(f"STAGECRAFT_DEBUG must be one of true/false/yes/no/on/off/1/0, "
                        f"not {debug_text!r}")

    if problems:
        raise SettingsError("; ".join(problems))
    return Settings(secret_key=secret_key, port=port, debug=debug_text in TRUE_WORDS,
                    database_path=environ.get("STAGECRAFT_DATABASE_PATH", "data/app.db"))
