/* geomap list: the events the filters show, by date, with a text search.
 *
 * The keyboard and screen-reader path to every event: each item is a button that flies to the
 * event and opens its popup. Searches titles, summaries, actors, places, carriers and sources.
 */
(function (page) {
  "use strict";

  var ui = page.ui;
  var el = ui.el;
  var MAX_ITEMS = 300;  // more would slow the page; the search narrows them down
  var AT_ONCE = 40;     // rows built with the filter's change (more than a list box shows)

  function create(map, ctx, open, column) {
    var doc = ctx.doc;
    var query = "";
    var shown = [];
    var ul, count, more;
    var control = {};
    control.onAdd = function () {
      var outer = page.panel.collapsible("gm-list", "Events", open);
      outer.setAttribute("aria-label", "Event list");
      var box = el("div");
      outer.appendChild(box);
      var search = el("input");
      search.type = "search";
      search.placeholder = "Search events…";
      search.setAttribute("aria-label", "Search events");
      search.addEventListener("input", function () { query = search.value; render(); });
      box.appendChild(search);
      count = el("p", "gm-list-count");
      count.setAttribute("role", "status");
      box.appendChild(count);
      ul = el("ul", "gm-items");
      box.appendChild(ul);
      more = el("p", "gm-more-items");
      box.appendChild(more);
      return outer;
    };
    var element = control.onAdd();
    column.appendChild(element);
    control.getContainer = function () { return element; };

    var glyphs = Object.create(null);  // one glyph per kind and confidence, cloned per item

    function item(ev) {
      var li = el("li");
      var b = ui.button("gm-item");
      b.dataset.id = ev.id;
      var kind = ctx.kinds[ev.kind];
      var key = ev.kind + " " + ev.confidence;
      if (!glyphs[key]) glyphs[key] = ui.glyph(kind, doc.styles[ev.confidence], 14);
      b.appendChild(glyphs[key].cloneNode(true));
      var text = el("span", "gm-item-text");
      text.appendChild(el("span", "gm-item-date", ev.date_label + " · " + kind.label));
      text.appendChild(el("span", "gm-item-title", ev.title));
      b.appendChild(text);
      b.addEventListener("click", function () { ctx.choose(ev, b); });
      li.appendChild(b);
      return li;
    }

    var nodes = Object.create(null);  // event index -> its list item, built once
    var listed = [];                  // the events in the list (the last may come when idle)
    var pending = null;

    function nodeFor(ev) { return nodes[ev.index] || (nodes[ev.index] = item(ev)); }

    function fill(events, from, to) {
      var rows = document.createDocumentFragment();
      for (var k = from; k < to; k++) rows.appendChild(nodeFor(events[k]));
      ul.appendChild(rows);
    }

    function render() {
      var test = geomapDecode.searcher(doc, query);
      var found = test ? shown.filter(test) : shown;
      var first = found.length > MAX_ITEMS ? found.slice(0, MAX_ITEMS) : found;
      /* A brush step often keeps the first items: the list is rebuilt only when they change,
       * and then the rows a reader can see at once; the others follow when the page is idle,
       * so that a brush moving every frame does not wait for rows below the fold. */
      if (first.length !== listed.length || first.some(function (ev, i) { return ev !== listed[i]; })) {
        if (pending !== null) { (window.cancelIdleCallback || clearTimeout)(pending); pending = null; }
        ul.textContent = "";
        fill(first, 0, Math.min(AT_ONCE, first.length));
        listed = first;
        if (first.length > AT_ONCE) {
          pending = (window.requestIdleCallback || setTimeout)(function () {
            pending = null;
            fill(first, AT_ONCE, first.length);
          }, window.requestIdleCallback ? { timeout: 250 } : 30);
        }
      }
      setText(count, found.length + (found.length === 1 ? " event" : " events") +
        (query ? " match" + (found.length === 1 ? "es" : "") : " shown"));
      setText(more, found.length > MAX_ITEMS
        ? "The first " + MAX_ITEMS + " are listed; search to find the others." : "");
    }

    /* A status line is announced when its text changes, not when it is written again. */
    function setText(node, text) { if (node.textContent !== text) node.textContent = text; }

    /** Show these events (already filtered, in date order: decode.byDate). */
    function update(events) {
      shown = events;
      render();
    }

    function buttonFor(id) {
      var ev = listed.filter(function (x) { return x.id === id; })[0];
      var li = ev && nodes[ev.index];
      return li && li.parentNode === ul ? li.firstChild : null;
    }

    return { control: control, update: update, buttonFor: buttonFor };
  }

  page.list = { create: create };
})(window.geomapPage = window.geomapPage || {});
