"""The floor: the last stage's app, answering one API route from a constant.

A request to it still goes through everything lessons 5 to 7 put around every
route: the body check, the plugins, the ETag, the security headers, the request
id and the JSON access log line. Only the data work is gone: no store, no
cache lookup, no query. A cache can make a route only as cheap as this, so in
`make bench`:

- the ceiling (hello.py) minus the floor is what that per-request work costs;
- the floor minus cached tags is what the cache itself still costs.

`make bench` serves it with the same gunicorn settings as the real app.
"""

import dataclasses

from reference_app import LAST_STAGE, Settings, create_app
from reference_app.seed import TAGS

# The answer /api/tags gives for the seeded database: the same twenty names,
# in the same order, so both responses have the same bytes to encode and hash.
ANSWER = {"tags": sorted(TAGS)}


def constant():
    return ANSWER


# Built in each gunicorn worker, as `serve --prod` builds the real app.
app = create_app(LAST_STAGE, dataclasses.replace(Settings.from_env(), production=True))
app.route("/api/floor", "GET", constant)
