"""A guestbook: POST /comments stores a comment, GET /comments shows them all."""

import bottle

# In Bottle's SimpleTemplate, {{x}} HTML-escapes x and {{!x}} prints it raw.
# Raw is for HTML you wrote yourself. Here it prints what visitors typed, so a
# comment containing <script> becomes a script that runs in every reader's browser.
PAGE = bottle.SimpleTemplate(
    """<!doctype html>
<title>Guestbook</title>
<ul>
% for comment in comments:
  <li>{{!comment}}</li>
% end
</ul>
"""
)


def create_app() -> bottle.Bottle:
    app = bottle.Bottle()
    comments: list[str] = []

    @app.post("/comments")
    def add_comment() -> dict:
        comments.append(bottle.request.forms.getunicode("text", ""))
        bottle.response.status = 201
        return {"comments": len(comments)}

    @app.get("/comments")
    def show_comments() -> str:
        return PAGE.render(comments=comments)

    return app
