"""A guestbook: POST /comments stores a comment, GET /comments shows them all."""

import bottle

# In Bottle's SimpleTemplate, {{x}} HTML-escapes x and {{!x}} prints it raw.
# Visitors' text is always escaped: < becomes &lt;, so the browser shows a
# comment containing <script> as text and never runs it.
PAGE = bottle.SimpleTemplate(
    """<!doctype html>
<title>Guestbook</title>
<ul>
% for comment in comments:
  <li>{{comment}}</li>
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
