/*
 * Anything on a page that scrolls sideways (a long line of code, a notebook
 * cell, a wide table) must be reachable by keyboard, or a keyboard user cannot
 * scroll it (WCAG 2.1.1; axe-core's scrollable-region-focusable). Material
 * makes its code blocks focusable only on devices with a hover pointer, and
 * without a name. This gives every such box tabindex="0", and a box that is
 * not a table itself the role "region" with a name of its own ("Code block 3:
 * python", "Table 4"), so that a screen reader says where the focus landed.
 * When a box stops overflowing (a wider window), what was added goes again.
 * Loaded on every page (mkdocs.yml: extra_javascript), after Material's bundle.
 */
(function () {
  "use strict";

  var MARK = "data-scroll-focus";
  var CODE = "pre, code, .highlight-ipynb";

  // The boxes that scroll on these pages: Material's code and table wrappers,
  // notebook cells and outputs, diagrams. (Not every span of highlighted code.)
  var BOXES = "div, pre, code, table";

  function overflows(el) {
    if (el.scrollWidth <= el.clientWidth + 1) return false;
    var overflowX = getComputedStyle(el).overflowX;
    return overflowX === "auto" || overflowX === "scroll";
  }

  function nameOf(el, number) {
    var block = el.closest(".highlight, .highlight-ipynb, .jp-Cell");
    var file = block && block.querySelector(".filename");
    if (file) return "Code block " + number + ": " + file.textContent.trim();
    var language = block && /(?:^|\s)(?:language|hl)-([\w+-]+)/.exec(block.className);
    if (el.matches(CODE)) return "Code block " + number + (language ? ": " + language[1] : "");
    if (el.querySelector("table")) return "Table " + number;
    return "Scrollable area " + number;
  }

  // Numbers only grow on a page, so that two boxes never share a name.
  var serial = 0;

  // MARK lists the attributes this script added, so that it takes back only those.
  function mark(el) {
    if (el.hasAttribute(MARK)) {
      if (el.tabIndex !== 0) el.setAttribute("tabindex", "0");
      return;
    }
    var added = [];
    if (el.tabIndex !== 0) {
      el.setAttribute("tabindex", "0");
      added.push("tabindex");
    }
    if (el.tagName !== "TABLE" && !el.hasAttribute("aria-label") &&
        !el.hasAttribute("aria-labelledby")) {
      serial += 1;
      el.setAttribute("role", "region");
      el.setAttribute("aria-label", nameOf(el, serial));
      added.push("role", "aria-label");
    }
    el.setAttribute(MARK, added.join(" "));
  }

  function unmark(el) {
    el.getAttribute(MARK).split(" ").concat([MARK]).forEach(function (name) {
      if (name) el.removeAttribute(name);
    });
  }

  function update() {
    var content = document.querySelector(".md-content");
    if (!content) return;
    content.querySelectorAll(BOXES).forEach(function (el) {
      if (overflows(el)) {
        // A box with a link or button inside is reachable already; code always
        // takes focus (its line-number anchors are no place to scroll from).
        if (el.matches(CODE) || !el.querySelector("a[href], button, input, select, textarea")) {
          mark(el);
        }
      } else if (el.hasAttribute(MARK)) {
        unmark(el);
      }
    });
  }

  // Material's own code-block script may take a tabindex away after ours ran,
  // on a device without hover: put it back while the box still overflows.
  var watcher = new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      var el = change.target;
      if (el.hasAttribute(MARK) && el.tabIndex !== 0 && overflows(el)) {
        el.setAttribute("tabindex", "0");
      }
    });
  });

  var pending = 0;
  function soon() {
    clearTimeout(pending);
    pending = setTimeout(update, 150);
  }

  function start() {
    serial = 0;
    update();
    var content = document.querySelector(".md-content");
    if (content) {
      watcher.observe(content, {subtree: true, attributes: true, attributeFilter: ["tabindex"]});
    }
  }

  window.addEventListener("resize", soon);
  if (window.document$) {
    window.document$.subscribe(start); // Material's "page ready", also after instant loading
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
