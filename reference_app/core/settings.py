"""Settings: every knob the app has, in one frozen dataclass.

A setting is a field with a default, a one-line description and the
environment variable that can set it (12-factor style). Tests build
``Settings(...)`` directly; ``Settings.from_env()`` reads the environment and
reports every bad value at once, one clear line each.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field


# --8<-- [start:setting]
def setting(default, doc, *, secret=False, env=None):
    """A dataclass field that documents itself. ``secret`` keeps it out of repr();
    ``env`` names its environment variable when that is not STAGECRAFT_<NAME>."""
    return field(default=default, repr=not secret,
                 metadata={"doc": doc, "secret": secret, "env": env})
# --8<-- [end:setting]


class SettingsError(ValueError):
    """One or more settings are invalid; the message has one line per problem."""


@dataclass(frozen=True)
class Settings:
    # Lesson 2: where the data lives.
    database: str = setting("instance/stagecraft.db", "Path of the SQLite database file.")
    busy_timeout_ms: int = setting(
        5000, "How long a write waits for another writer's lock before failing (ms)."
    )
    instance_path: str = setting(
        "instance", "Folder for files that must never be in git: the database, secrets."
    )

    # Lesson 4: identity.
    jwt_secret: str | None = setting(
        None,
        "HS256 key for tokens and session cookies, at least 32 bytes. If unset, one is "
        "generated once into the instance folder with 0600 permissions.",
        secret=True,
    )
    token_ttl_seconds: int = setting(86400, "How long a login token stays valid (seconds).")
    argon2_time_cost: int = setting(2, "Argon2id passes over memory (OWASP minimum: 2).")
    argon2_memory_kib: int = setting(19456, "Argon2id memory per hash in KiB (OWASP: 19 MiB).")
    argon2_parallelism: int = setting(1, "Argon2id lanes (OWASP: 1).")

    # Lesson 5: security.
    production: bool = setting(
        False, "Production mode: refuse to start without a strong secret from the environment."
    )
    behind_tls: bool = setting(
        False, "Clients reach the app over HTTPS (a proxy ends TLS): send HSTS, mark cookies "
        "Secure."
    )
    trust_proxy: bool = setting(
        False, "Take the client address from the last X-Forwarded-For hop. Only behind a "
        "proxy you run, which sets that header."
    )
    max_body_bytes: int = setting(1_000_000, "Largest request body accepted (bytes); more is 413.")
    login_window_seconds: int = setting(
        900, "The longest wait after failed logins (s). An address's failures are "
        "forgotten after this long without another; one account's from one address, a day."
    )
    login_failures_before_backoff: int = setting(
        5, "Failed logins for one account from one address before each next try must wait."
    )
    login_backoff_seconds: int = setting(
        1, "The first such wait (s). Each further failure doubles it, up to the window."
    )
    login_failures_per_address: int = setting(
        20, "Failed logins from one client address, any accounts, before it waits out the "
        "window, sign-ups included."
    )
    signups_per_address: int = setting(
        10, "Sign-up attempts from one client address before it must wait an hour."
    )
    security_contact: str = setting(
        "mailto:security@example.com", "Where to report vulnerabilities (security.txt Contact)."
    )
    cors_origins: tuple = setting(
        (), "Browser origins allowed to call the API, comma-separated. Empty: CORS off."
    )

    # --8<-- [start:cache_settings]
    # Lesson 6: caching.
    cache: bool = setting(True, "Keep hot reads (tags, anonymous lists, articles) in a cache.")
    redis_url: str | None = setting(
        None, "Redis for the cache and the login throttle, shared by every worker "
        "(redis://host:port/db). Unset: each process keeps its own cache in memory, and the "
        "throttle counts in the database.", secret=True, env="REDIS_URL"
    )
    cache_ttl_seconds: int = setting(300, "Longest a cached read may live (s).")
    cache_max_bytes: int = setting(
        64_000_000, "Most memory the in-process cache may use, per process (bytes); an answer "
        "bigger than that is not cached. Redis is bounded by its own maxmemory."
    )
    cache_allow_stale: bool = setting(
        False, "Keep the in-process cache in production without REDIS_URL, although other "
        "processes' writes leave it stale: only to watch lesson 6's stale reads."
    )
    popular_tags: int = setting(
        20, "How many tags /api/tags and the home page list: the most used ones."
    )
    # --8<-- [end:cache_settings]

    # --8<-- [start:live_settings]
    # Lesson 8: real time.
    live_heartbeat_seconds: int = setting(
        15, "How often an open stream sends a heartbeat (s): proxies keep it open, and a "
        "write to a client that has left fails, which ends the stream."
    )
    live_max_seconds: int = setting(
        300, "Longest a stream stays open (s); the browser then reconnects by itself."
    )
    live_max_streams: int = setting(
        2, "Streams one process holds open at once; more get 503. Each holds one of a "
        "gunicorn worker's 4 threads, so 2 leave 2 for every other request."
    )
    # --8<-- [end:live_settings]

    # --8<-- [start:from_env]
    @classmethod
    def from_env(cls, environ=None, **overrides) -> Settings:
        """Build settings from ``STAGECRAFT_<NAME>`` variables, then apply overrides.

        Raises SettingsError listing every bad value, so a deploy fails once,
        not once per typo.
        """
        environ = os.environ if environ is None else environ
        values, problems = {}, []
        for f in dataclasses.fields(cls):
            name = env_name(f)
            if name not in environ:
                continue
            try:
                values[f.name] = parse_value(f, environ[name])
            except ValueError as error:
                problems.append(f"{name}: {error}")
        if problems:
            raise SettingsError("; ".join(problems))
        values.update(overrides)
        return cls(**values)
    # --8<-- [end:from_env]


def env_name(f: dataclasses.Field) -> str:
    return f.metadata.get("env") or "STAGECRAFT_" + f.name.upper()


def parse_value(f: dataclasses.Field, text: str):
    """Turn an environment string into the field's type, or raise ValueError."""
    kind = type(f.default) if f.default is not None else str
    if kind is bool:
        lowered = text.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off", ""):
            return False
        raise ValueError(f"expected true or false, got {text!r}")
    if kind is int:
        try:
            number = int(text)
        except ValueError:
            raise ValueError(f"expected a whole number, got {text!r}") from None
        if number < 0:
            raise ValueError(f"must not be negative, got {number}")
        return number
    if kind is tuple:
        return tuple(part.strip() for part in text.split(",") if part.strip())
    return text
