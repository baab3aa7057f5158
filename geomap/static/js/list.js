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

    function item(ev) {
      var li = el("li");
      var b = ui.button("gm-item");
      b.dataset.id = ev.id;
      var kind = ctx.kinds[ev.kind];
      b.appendChild(ui.glyph(kind, doc.styles[ev.confidence], 14));
      var text = el("span", "gm-item-text");
      text.appendChild(el("span", "gm-item-date", ev.date_label + " · " + kind.label));
      text.appendChild(el("span", "gm-item-title", ev.title));
      b.appendChild(text);
      b.addEventListener("click", function () { ctx.choose(ev, b); });
      li.appendChild(b);
      return li;
    }

    function render() {
      var found = shown.filter(function (ev) { return geomapDecode.found(ev, doc, query); });
      ul.textContent = "";
      found.slice(0, MAX_ITEMS).forEach(function (ev) { ul.appendChild(item(ev)); });
      count.textContent = found.length + (found.length === 1 ? " event" : " events") +
        (query ? " match" + (found.length === 1 ? "es" : "") : " shown");
      more.textContent = found.length > MAX_ITEMS
        ? "The first " + MAX_ITEMS + " are listed; search to find the others." : "";
    }

    /** Show these events (already filtered), by date. */
    function update(events) {
      shown = events.slice().sort(geomapDecode.byDate);
      render();
    }

    function buttonFor(id) {
      var found = null;
      ul.querySelectorAll("button.gm-item").forEach(function (b) {
        if (b.dataset.id === id) found = b;
      });
      return found;
    }

    return { control: control, update: update, buttonFor: buttonFor };
  }

  page.list = { create: create };
})(window.geomapPage = window.geomapPage || {});
