/* geomap ui: elements built from text (never from HTML) and the kind glyphs.
 *
 * Every string from the data reaches the page through textContent or setAttribute, never
 * innerHTML, so no text from a CSV can run as script. Links are made only for http(s) URLs.
 */
(function (page) {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function button(className, text, label) {
    var b = el("button", className, text);
    b.type = "button";
    if (label) b.setAttribute("aria-label", label);
    return b;
  }

  function safeHref(url) {
    return typeof url === "string" && /^https?:\/\/[^\s/?#]+/i.test(url) ? url : null;
  }

  function polygon(n, r, inner, turn) {
    var points = [];
    for (var i = 0; i < n * (inner ? 2 : 1); i++) {
      var radius = inner && i % 2 ? inner : r;
      var angle = -Math.PI / 2 + (turn || 0) + (Math.PI * 2 * i) / (n * (inner ? 2 : 1));
      points.push((10 + radius * Math.cos(angle)).toFixed(2) + "," + (10 + radius * Math.sin(angle)).toFixed(2));
    }
    return points.join(" ");
  }

  /* The payload's marks, drawn in a 20 × 20 box. */
  var SHAPES = {
    circle: ["circle", { cx: 10, cy: 10, r: 7 }],
    square: ["rect", { x: 3.5, y: 3.5, width: 13, height: 13 }],
    triangle: ["polygon", { points: "10,2.5 17.8,16.5 2.2,16.5" }],
    diamond: ["polygon", { points: "10,1.5 18.5,10 10,18.5 1.5,10" }],
    cross: ["polygon", { points: "7,2 13,2 13,7 18,7 18,13 13,13 13,18 7,18 7,13 2,13 2,7 7,7" }],
    pentagon: ["polygon", { points: polygon(5, 8.2) }],
    star: ["polygon", { points: polygon(5, 9, 4) }],
    hexagon: ["polygon", { points: polygon(6, 8.2, 0, Math.PI / 6) }]
  };

  function shape(mark, attrs) {
    var spec = SHAPES[mark] || SHAPES.circle;
    var node = document.createElementNS(SVG, spec[0]);
    Object.keys(spec[1]).forEach(function (k) { node.setAttribute(k, spec[1][k]); });
    Object.keys(attrs).forEach(function (k) {
      if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
    });
    return node;
  }

  /** A kind's glyph in its colour, filled and outlined as its confidence level says. */
  function glyph(kind, style, size) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 20 20");
    svg.setAttribute("width", size || 20);
    svg.setAttribute("height", size || 20);
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.appendChild(shape(kind.mark, { fill: "none", stroke: "#fff", "stroke-width": 4,
      "stroke-linejoin": "round" }));
    svg.appendChild(shape(kind.mark, { fill: kind.color, "fill-opacity": style ? style.fill : 1,
      stroke: kind.color, "stroke-width": 2, "stroke-linejoin": "round",
      "stroke-dasharray": style ? style.point_dash : null }));
    return svg;
  }

  /** A short line in a colour and dash pattern, for the legend. */
  function line(color, dash, width) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "28");
    svg.setAttribute("height", "12");
    svg.setAttribute("aria-hidden", "true");
    var l = document.createElementNS(SVG, "line");
    [["x1", 1], ["y1", 6], ["x2", 27], ["y2", 6], ["stroke", color],
     ["stroke-width", width || 3]].forEach(function (a) { l.setAttribute(a[0], a[1]); });
    if (dash) l.setAttribute("stroke-dasharray", dash);
    svg.appendChild(l);
    return svg;
  }

  page.ui = { el: el, button: button, safeHref: safeHref, glyph: glyph, line: line };
})(window.geomapPage = window.geomapPage || {});
