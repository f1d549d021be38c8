"""The ceiling: the smallest Bottle app, served exactly like the real one.

Whatever this answers per second on this machine, with the same gunicorn and
the same worker count, no real route can beat: it is Bottle, gunicorn and the
network stack, and nothing else.
"""

import bottle

app = bottle.Bottle()


@app.get("/hello")
def hello():
    return {"hello": "world"}
