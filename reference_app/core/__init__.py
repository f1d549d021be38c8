"""The core: what every lesson uses and no lesson owns.

Settings, the API's JSON shapes, the web helpers (errors, the viewer), the
page layout with its stylesheet, the OpenAPI helpers, and the app object with
its one extra seam. The core imports no lesson: lessons import the core.
"""

from .app import App
from .settings import Settings, SettingsError

__all__ = ["App", "Settings", "SettingsError"]
