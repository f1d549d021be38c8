# %% [markdown]
# # Lesson 0 notebook: HTTP by hand
#
# HTTP is bytes on a TCP connection. In this notebook you send those bytes
# yourself to the lesson's raw-socket server and read exactly what comes back.
# Then you call the hand-written WSGI application directly, as a function,
# with an `environ` dict and a `start_response` of your own. Finally you see
# that Bottle's app is the same kind of function.
#
# **Lesson:** [Lesson 0: How the web works](../lessons/00_http/index.md)
#
# **Needs:** only the project's Python environment. No network (everything is
# on 127.0.0.1), no services. Every server this notebook starts, it stops.

# %%
import io
import socket
import sys
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import matplotlib.pyplot as plt
import pandas as pd

from reference_app import Settings, create_app

from helpers import ROOT, import_file

# The lesson's own examples, imported by their paths (see notebooks/helpers.py).
EXAMPLES = ROOT / "lessons" / "00_http" / "examples"
socket_server = import_file(EXAMPLES / "socket_server.py")
wsgi_by_hand = import_file(EXAMPLES / "wsgi_by_hand.py")

# %% [markdown]
# ## 1. Raw bytes to a raw-socket server
#
# `start_in_thread()` runs the lesson's server in a background thread, on a
# port the operating system picks (port 0 means "any free port"). It returns
# once the socket is listening, with a handle that has `.port` and `.stop()`.

# %%
server = socket_server.start_in_thread()
print(f"The lesson-0 server is listening on {server.host}:{server.port}")

# %% [markdown]
# `send()` is a whole HTTP client: connect, write bytes, read until the server
# closes the connection. The server answers with `Connection: close`, so "the
# other side closed" is how we know the response is complete.


# %%
def send(port: int, *pieces: bytes) -> bytes:
    """Send the request (in one or more pieces) and return every byte of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        for piece in pieces:
            conn.sendall(piece)
        received = b""
        while chunk := conn.recv(4096):  # b"" means the server closed the connection
            received += chunk
    return received


raw = send(server.port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
raw

# %% [markdown]
# That is the whole response, as the bytes that crossed the connection. Note the
# `\r\n` line endings and the empty line (`\r\n\r\n`) between the head and the
# body. Printed as text:

# %%
print(raw.decode("utf-8"))

# %% [markdown]
# ### The anatomy of the response
#
# A response is a status line, header lines, one blank line, then the body.
# `Content-Length` counts only the body, and counts it in bytes.

# %%
head, body = raw.split(b"\r\n\r\n", 1)
status_line, *header_lines = head.split(b"\r\n")
parts = pd.DataFrame(
    [("status line", status_line + b"\r\n"),
     *((f"header: {line.split(b':')[0].decode()}", line + b"\r\n") for line in header_lines),
     ("blank line", b"\r\n"),
     ("body", body)],
    columns=["part", "bytes on the wire"],
)
parts["length"] = parts["bytes on the wire"].map(len)
parts

# %%
fig, ax = plt.subplots(figsize=(9, 1.8))
left = 0
for (part, length), colour in zip(parts[["part", "length"]].itertuples(index=False),
                                  plt.cm.tab10.colors, strict=False):
    ax.barh(0, length, left=left, color=colour, label=f"{part} ({length} B)")
    left += length
ax.set_yticks([])
ax.set_xlabel("bytes from the start of the response")
ax.set_title(f"{len(raw)} bytes in all; Content-Length promised {len(body)}: the body only")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.6), ncol=3, fontsize="small")
plt.show()

# %% [markdown]
# ### Many requests, side by side
#
# The server answers 200, 404, 405 or 400 depending on what it receives. The
# last row sends one request in three pieces, cut mid-word: TCP is a stream of
# bytes, not of messages, so the server must keep reading until it has the
# blank line that ends the head.

# %%
requests = {
    "GET /": [b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"],
    "GET /about?x=1": [b"GET /about?x=1 HTTP/1.1\r\nHost: x\r\n\r\n"],
    "GET /nope": [b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"],
    "POST /": [b"POST / HTTP/1.1\r\nHost: x\r\n\r\n"],
    "HELLO (not HTTP)": [b"HELLO\r\n\r\n"],
    "GET /about in 3 pieces": [b"GET /ab", b"out HTTP/1.1\r\nHo", b"st: x\r\n\r\n"],
}
rows = []
for label, pieces in requests.items():
    answer = send(server.port, *pieces)
    answer_head, answer_body = answer.split(b"\r\n\r\n", 1)
    rows.append({"request": label, "sent": b"".join(pieces),
                 "status line": answer_head.split(b"\r\n")[0].decode(),
                 "body": answer_body.decode()})
pd.DataFrame(rows)

# %% [markdown]
# ### Content-Length counts bytes, not characters
#
# The server encodes the body as UTF-8 before it counts. Outside ASCII, one
# character can take two, three or four bytes, and a server that counted
# characters would cut the body short.

# %%
words = ["hello", "café", "naïve", "日本", "🙂"]
pd.DataFrame({
    "text": words,
    "characters": [len(word) for word in words],
    "Content-Length (UTF-8 bytes)": [
        int(socket_server.build_response(200, word).split(b"Content-Length: ")[1].split(b"\r")[0])
        for word in words
    ],
})

# %% [markdown]
# Done with the raw-socket server. `stop()` wakes its `accept()` loop and waits
# for the thread; afterwards nothing listens on the port.

# %%
server.stop()
try:
    socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
    print("still listening?!")
except ConnectionRefusedError:
    print(f"Port {server.port}: connection refused. The server is gone.")

# %% [markdown]
# ## 2. A WSGI application, called as a function
#
# A WSGI app does not touch sockets. The server parses the request into a
# dict, `environ`, and calls `app(environ, start_response)`. The app calls
# `start_response(status, headers)` once, then returns the body as an
# iterable of bytes. We can play the server's part in a few lines:

# %%
environ = {
    "REQUEST_METHOD": "GET",
    "PATH_INFO": "/hello",
    "QUERY_STRING": "name=Ada%20Lovelace",
    "SERVER_NAME": "127.0.0.1",
    "SERVER_PORT": "8000",
    "SERVER_PROTOCOL": "HTTP/1.1",
    "wsgi.version": (1, 0),
    "wsgi.url_scheme": "http",
    "wsgi.input": io.BytesIO(b""),  # the request body: none for a GET
    "wsgi.errors": sys.stderr,
    "wsgi.multithread": False,
    "wsgi.multiprocess": False,
    "wsgi.run_once": False,
}
called_with = {}


def start_response(status, headers, exc_info=None):
    """What a server passes in: remember the status and headers it is told."""
    called_with["status"], called_with["headers"] = status, headers
    return lambda data: None  # PEP 3333's legacy write() callable; nobody should use it


body_parts = wsgi_by_hand.app(environ, start_response)
print(called_with["status"])
for name, value in called_with["headers"]:
    print(f"{name}: {value}")
print()
print(b"".join(body_parts))

# %% [markdown]
# The same, wrapped as a helper, for a table of requests. Look at the last
# rows: a path the app does not know is a 404, while a path it knows, asked
# with a method it does not allow, is a 405 with an `Allow` header saying what
# would work.


# %%
def call_wsgi(app, method="GET", path="/", query="", body=b""):
    """Call a WSGI app the way a server would, and collect what it answers."""
    request_environ = {**environ, "REQUEST_METHOD": method, "PATH_INFO": path,
                       "QUERY_STRING": query, "wsgi.input": io.BytesIO(body),
                       "CONTENT_LENGTH": str(len(body))}
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))
        return lambda data: None

    chunks = app(request_environ, start_response)
    try:
        answer["body"] = b"".join(chunks).decode("utf-8")
    finally:
        if hasattr(chunks, "close"):  # PEP 3333: the server must call close() if there is one
            chunks.close()
    return answer


calls = [("GET", "/", ""), ("GET", "/hello", ""), ("GET", "/hello", "name=Ada"),
         ("GET", "/hello", "name=A%26B&name=ignored"), ("GET", "/nope", ""),
         ("POST", "/hello", ""), ("DELETE", "/", "")]
rows = []
for method, path, query in calls:
    answer = call_wsgi(wsgi_by_hand.app, method, path, query)
    rows.append({"request": f"{method} {path}" + (f"?{query}" if query else ""),
                 "status": answer["status"], "Allow": answer["headers"].get("Allow", ""),
                 "body": answer["body"]})
pd.DataFrame(rows)

# %% [markdown]
# ## 3. Bottle's app is a WSGI app too
#
# From lesson 1 on, the course builds one Bottle app. `create_app(stage=1)`
# returns it, and it takes exactly the same call. Stage 1 keeps its data in
# memory, so the settings below point at nothing on disk.

# %%
bottle_app = create_app(stage=1, settings=Settings(database=":memory:"))
for method, path in [("GET", "/api/tags"), ("GET", "/api/nope"), ("POST", "/api/tags")]:
    answer = call_wsgi(bottle_app, method, path)
    print(f"{method} {path} -> {answer['status']}  {answer['headers']['Content-Type']}")
    print(f"    {answer['body']}")

# %% [markdown]
# ## 4. The same app behind a real server
#
# `wsgiref`, the standard library's WSGI server, does the socket work of
# section 1 and the `environ` work of section 2. We start it on a free port,
# send it raw bytes, and stop it in `finally`, so it stops even if a line in
# between fails. Compare the head with the one in section 1: the server added
# `Date` and `Server`, and speaks HTTP/1.0.


# %%
class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # no access log lines in the notebook
        pass


httpd = make_server("127.0.0.1", 0, wsgi_by_hand.app, handler_class=QuietHandler)
thread = threading.Thread(target=httpd.serve_forever, daemon=True)
thread.start()
try:
    raw = send(httpd.server_port,
               b"GET /hello?name=wire HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    print(raw.decode("utf-8"))
finally:
    httpd.shutdown()  # stop serve_forever()...
    httpd.server_close()  # ...and close the listening socket
    thread.join()

# %% [markdown]
# ## Try this
#
# Each cell below runs as it is. Change it and run it again.
#
# **1.** HTTP methods are case-sensitive. What does the server say to `get`
# in lowercase? To a header line without a colon? To `HTTP/2`? The cell
# starts a fresh server and stops it when done.

# %%
server = socket_server.start_in_thread()
try:
    for request in [b"get / HTTP/1.1\r\n\r\n", b"GET / HTTP/1.1\r\nNoColonHere\r\n\r\n"]:
        print(request, "->", send(server.port, request).split(b"\r\n")[0])
finally:
    server.stop()

# %% [markdown]
# **2.** Add a route to the hand-written app: a handler returns
# `(status, payload)`, and `ROUTES` maps a path to `{method: handler}`.
# Can you make it answer `DELETE` too, and see `Allow` change?


# %%
def goodbye(environ):
    return "200 OK", {"message": "Goodbye!"}


wsgi_by_hand.ROUTES["/goodbye"] = {"GET": goodbye}
call_wsgi(wsgi_by_hand.app, "GET", "/goodbye")

# %% [markdown]
# **3.** Bottle's app checks what it is sent. Try `limit=5`, `limit=500`, or
# `tag=http`, or a path with `%2F` in it, and read what comes back.

# %%
call_wsgi(bottle_app, "GET", "/api/articles", query="limit=abc")
