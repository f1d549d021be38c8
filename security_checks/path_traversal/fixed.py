"""Download an uploaded file: GET /files?name=report.txt."""

import os

import bottle


def create_app(upload_dir: str) -> bottle.Bottle:
    """Build the app. Any file under upload_dir may be downloaded by its relative name."""
    app = bottle.Bottle()

    @app.get("/files")
    def download() -> bytes:
        name = bottle.request.query.getunicode("name", "")
        # Resolve "..", symbolic links and absolute names first, then insist that
        # the real path is still inside the real upload_dir.
        root = os.path.realpath(upload_dir)
        path = os.path.realpath(os.path.join(root, name))
        if os.path.commonpath([root, path]) != root or not os.path.isfile(path):
            bottle.abort(404, "no such file")
        bottle.response.content_type = "application/octet-stream"
        with open(path, "rb") as file:
            return file.read()

    return app
