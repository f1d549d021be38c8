// Lesson 8: new comments appear on the article page as they are written.
// The page works without this file: it only adds to it. Every piece of a
// comment goes in as text (textContent), never as HTML, so a comment that
// holds <script> stays words on the screen.
(function () {
  "use strict";
  var status = document.getElementById("live-comments");
  if (!status || !window.EventSource) {
    return;
  }
  var section = document.getElementById("comments");
  // EventSource reconnects by itself, sending the last id it saw (Last-Event-ID).
  var source = new EventSource(status.getAttribute("data-stream"));

  function marker(id) {
    return section.querySelector('data.comment-id[value="' + Number(id) + '"]');
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function card(comment) {
    var box = element("div", "card comment");
    box.appendChild(element("p", "", comment.body));
    var meta = element("div", "meta");
    var author = element("a", "", comment.author.username);
    author.href = "/profile/" + encodeURIComponent(comment.author.username);
    var time = element("time", "", comment.createdAt.slice(0, 10));
    time.dateTime = comment.createdAt;
    var id = element("data", "comment-id");
    id.value = String(comment.id);
    id.hidden = true;
    meta.append(author, " ", time, id);
    box.appendChild(meta);
    return box;
  }

  source.addEventListener("comment", function (event) {
    var comment = JSON.parse(event.data).comment;
    if (marker(comment.id)) {
      return; // already on the page: sent again after a reconnect
    }
    // Newest first, as the page lists them.
    section.insertBefore(card(comment), section.querySelector(":scope > .comment"));
    var empty = section.querySelector(":scope > .empty");
    if (empty) {
      empty.remove();
    }
    status.textContent = "New comment from " + comment.author.username + ": " + comment.body;
  });

  source.addEventListener("comment-deleted", function (event) {
    var found = marker(JSON.parse(event.data).id);
    if (found && found.closest(".comment")) {
      found.closest(".comment").remove();
      status.textContent = "A comment was deleted.";
    }
  });
})();
