// Diagrams at their natural size, scrolling sideways in their box (docs/hooks.py
// puts each in a <div class="diagram">), rather than shrunk to the column, where
// at 320 px their text is too small to read.
//
// Material calls mermaid.initialize() with its own settings just before it draws
// the first diagram; Mermaid has no setting for every diagram type at once, so
// this adds useMaxWidth: false to each type's settings on that call. The hook
// loads this file right after the vendored Mermaid, on pages with a diagram only.
(function () {
  var initialize = mermaid.initialize.bind(mermaid);
  var types = ["flowchart", "sequence", "class", "state", "er", "gantt", "journey",
               "pie", "mindmap", "timeline", "gitGraph", "requirement", "quadrantChart"];
  mermaid.initialize = function (config) {
    var settings = Object.assign({}, config);
    types.forEach(function (type) {
      settings[type] = Object.assign({}, settings[type], {useMaxWidth: false});
    });
    return initialize(settings);
  };
})();
