/* geomap main: decodes the packed payload once and wires core, layers, panel, list and popup.
 *
 * The address keeps the filters (the CLI's option names), the open event and the map view, so
 * that a link shows what its sender saw.
 */
(function (page) {
  "use strict";

  /** A message in place of the map, for a reader (not only the console). */
  function fail(text) {
    var box = document.createElement("p");
    box.className = "gm-fatal";
    box.setAttribute("role", "alert");
    box.textContent = text;
    document.body.appendChild(box);
  }

  /** Reads the payload's script elements once (decode.js `unpack`), then builds the page. */
  page.start = function (build) {
    if (typeof DecompressionStream === "undefined") {
      fail("This map cannot open in this browser: its data is compressed and the browser " +
        "cannot decompress it (it lacks DecompressionStream). Open it in a recent Chrome, " +
        "Edge, Firefox or Safari.");
      return;
    }
    var elements = document.querySelectorAll('script[type="application/octet-stream"][data-kind]');
    var chunks = [].map.call(elements, function (el) {
      return { stream: +el.getAttribute("data-stream"), kind: el.getAttribute("data-kind"),
        text: el.textContent };
    });
    performance.mark("geomap:decode");
    geomapDecode.unpack(chunks).then(function (doc) {
      performance.mark("geomap:decoded");  /* for benchmarks: the start-up decode's time */
      build(page, doc);
    }, function (e) {
      fail("This map's data could not be read (" + e.message + "); the file may be damaged.");
      throw e;
    });
  };
})(window.geomapPage = window.geomapPage || {});

geomapPage.start(function (page, doc) {
  "use strict";

  var core = geomapCore;
  var decode = geomapDecode;
  var el = page.ui.el;

  var map = window[doc.map];
  var events = decode.decode(doc);
  events.forEach(function (ev) { Object.assign(ev, core.filterFields(doc, ev.index)); });
  var kinds = Object.create(null);
  doc.kinds.forEach(function (k) { kinds[k.id] = k; });
  var byId = Object.create(null);
  events.forEach(function (ev) { byId[ev.id] = ev; });
  var vocab = { kinds: doc.kinds.map(function (k) { return k.id; }), levels: doc.levels,
    places: doc.places, areas: doc.areas || [], attributes: doc.attribute_names || [] };
  var narrow = map.getSize().x < 600;
  var state = { options: core.emptyOptions(), crit: null };
  state.crit = core.criteria(state.options, vocab);
  var selection = geomapTime.selection(events, function (ev) { return ev.kind; });
  var shownFlags = selection.flags;
  var longestName = doc.names.concat(doc.places.map(function (p) { return p.name; }))
    .reduce(function (n, name) { return Math.max(n, name.length); }, 0);

  var layers = page.layers.create(map, doc, events, kinds, markerMade);

  /* ---- Title: the page's one h1, in a banner landmark ---- */
  var title = el("header", "gm-title");
  title.setAttribute("role", "banner");
  title.appendChild(el("h1", null, doc.title));
  title.appendChild(el("p", null, doc.subtitle));
  L.DomEvent.disableClickPropagation(title);
  map.getContainer().appendChild(title);
  map.getContainer().setAttribute("role", "main");
  map.getContainer().setAttribute("aria-label", "Map of events");

  var ctx = {
    doc: doc, kinds: kinds, state: state, events: events, years: decode.yearRange(events),
    actors: decode.actorIndex(events),
    changed: function () { apply(); writeAddress(); },
    apply: function () { apply(); },
    reset: function () {
      var keep = { event: state.options.event, map: state.options.map };
      state.options = Object.assign(core.emptyOptions(), keep);
      ctx.changed();
    },
    choose: function (ev, returnTo) { openEvent(ev, returnTo, true); }
  };

  var filterPanel = page.panel.filters(map, ctx, !narrow);
  var right = page.panel.column(map);
  var list = page.list.create(map, ctx, !narrow, right);
  var legend = page.panel.legend(map, ctx, !narrow, right);
  var timeline = page.timeline ? page.timeline.create(map, ctx, { events: events, layers: layers,
    list: list, shown: function (i) { return shownFlags[i]; } }) : null;
  function stripHeight() { return timeline ? timeline.height() : 0; }

  /* "Fit to shown": the view that holds every shown event. */
  var fit = L.control({ position: "topleft" });
  fit.onAdd = function () {
    var b = page.ui.button("gm-fit", "⤢", "Fit the map to the shown events");
    b.title = "Fit to shown events";
    b.addEventListener("click", function (e) { L.DomEvent.stop(e); fitShown(); });
    var box = el("div", "leaflet-bar gm-fit-bar");
    box.appendChild(b);
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  fit.addTo(map);
  /* Beside the zoom buttons, above the filter panel, which grows and must not push it onto the
   * scale at the bottom. */
  fit.getContainer().parentNode.insertBefore(fit.getContainer(),
    filterPanel.control.getContainer());

  var popup = page.popup.create(map, doc, kinds, {
    onShow: function (ev) {
      state.options.event = ev.id;
      writeAddress();
    },
    onClose: function () {
      state.options.event = "";
      writeAddress();
    },
    /* Room the popup keeps from the panels beside it (none on phones, where they fold). */
    padding: function () {
      if (map.getSize().x < 600) return [[8, 48], [8, 8]];
      var left = filterPanel.control.getContainer().offsetWidth + 24;
      var side = right.offsetWidth + 24;
      var bottom = 20 + stripHeight();
      return left + side + 360 < map.getSize().x ? [[left, 70], [side, bottom]]
        : [[20, 70], [20, bottom]];
    },
    linkTo: function (ev) {
      var options = Object.assign({}, state.options, { event: ev.id, map: viewText() });
      return location.href.replace(/#.*$/, "") + "#" + core.writeAddress(options);
    }
  });

  /* ---- Filtering ---- */

  /* Indexes of the events by date, sorted once (the list's order), and of each feature's. */
  var byDate = geomapTime.orderBy(events, ["start", "end"]);  // decode.byDate's order
  var indexesOf = new Map(layers.features.map(function (f) {
    return [f, Int32Array.from(f.events, function (ev) { return ev.index; })];
  }));

  /** The shown events among these indexes, in their order. */
  function shownAmong(indexes) {
    var out = [];
    for (var k = 0; k < indexes.length; k++) if (shownFlags[indexes[k]]) out.push(events[indexes[k]]);
    return out;
  }

  function apply() {
    state.crit = core.criteria(state.options, vocab);
    /* Only the events whose answer changed are redrawn (a brush step tests few again). */
    var flipped = selection.update(state.crit, core.matches);
    var changed = new Set();
    flipped.forEach(function (i) { changed.add(layers.featureOf[i]); });
    var shownEvents = shownAmong(byDate);
    var shown = selection.shown(), perKind = selection.counts();
    changed.forEach(function (f) {
      f.shown = shownAmong(indexesOf.get(f));
      layers.setShown(f, f.shown.length > 0);
      if (f.marker && f.marker.getElement()) label(f);
    });
    popup.close();
    filterPanel.update(shown, events.length);
    legend.update(perKind);
    list.update(shownEvents);
    if (timeline) timeline.update(flipped);
    return shown;
  }

  /* A marker's accessible name: what it holds. */
  function label(f) {
    var first = f.shown[0] || f.events[0];
    var text = kinds[f.kind].label + ": " + first.title + ", " + first.date_label +
      (f.shown.length > 1 ? " (and " + (f.shown.length - 1) + " more here)" : "");
    f.marker.getElement().setAttribute("aria-label", text);
  }

  /* ---- Opening events ---- */

  /** Every shown event under a container point, by date; the events of `first` come first. */
  function eventsAt(point, first) {
    var hits = layers.hitsAt(point);
    if (first && hits.indexOf(first) < 0) hits.unshift(first);
    if (first) hits = [first].concat(hits.filter(function (f) { return f !== first; }));
    var out = [];
    hits.forEach(function (f) { out = out.concat(f.shown); });
    return out;
  }

  function openAt(point, first, returnTo) {
    var found = eventsAt(point, first);
    if (!found.length) return false;
    popup.open(found, map.containerPointToLatLng(point), 0, returnTo);
    return true;
  }

  map.on("click", function (e) {
    if (!openAt(e.containerPoint, null, null)) popup.close();
  });

  /** A point feature's marker, when the layers first make it: its name, and a click or Enter
   * opens its events. */
  function markerMade(f) {
    f.marker.on("add", function () { label(f); });
    function openHere(e) {
      var mouse = e && e.originalEvent && e.originalEvent.clientX !== undefined &&
        e.originalEvent.detail !== 0;
      var point = mouse ? map.mouseEventToContainerPoint(e.originalEvent) : layers.anchorPoint(f);
      openAt(point, f, f.marker.getElement());
      if (e && e.originalEvent) L.DomEvent.stop(e.originalEvent);
    }
    f.marker.on("click", openHere);
    f.marker.on("keydown", function (e) {
      var key = e.originalEvent.key;
      if (key === "Enter" || key === " ") { L.DomEvent.preventDefault(e.originalEvent); openHere(e); }
    });
  }

  /** Fly to an event and open its popup (from the list, the address or a script). */
  function openEvent(ev, returnTo, move) {
    var f = layers.featureOf[ev.index];
    if (!f.onMap || f.shown.indexOf(ev) < 0) return false;
    var anchor = f.latlng || layers.anchorLatLng(f);
    if (move) {
      var inView = map.getBounds().pad(-0.1).contains(anchor);
      var reveal = layers.revealZoom(f);  // out of any cluster
      if (!inView || map.getZoom() < 4 || reveal > map.getZoom()) {
        map.setView(anchor, Math.max(map.getZoom(), 5, reveal), { animate: false });
      }
    }
    var point = layers.anchorPoint(f);
    var found = eventsAt(point, f);
    popup.open(found, map.containerPointToLatLng(point), found.indexOf(ev), returnTo);
    return true;
  }

  /* ---- Tooltips on hover ---- */

  var tooltip = L.tooltip({ sticky: true, direction: "auto" });

  function tooltipContent(f) {
    var box = el("div", "gm-tip");
    var first = f.shown[0];
    box.appendChild(el("strong", null, first.title));
    box.appendChild(el("span", null, first.date_label));
    if (f.shown.length > 1) box.appendChild(el("span", "gm-more", " and " + (f.shown.length - 1) + " more"));
    return box;
  }

  function showTooltip(f, latlng) {
    if (!f.shown.length) return;
    tooltip.setLatLng(latlng || f.latlng || layers.anchorLatLng(f)).setContent(tooltipContent(f));
    map.openTooltip(tooltip);
  }

  layers.hover.on("over", function (e) {
    showTooltip(e.feature, e.feature.latlng ? layers.anchorLatLng(e.feature) : e.latlng);
  });
  layers.hover.on("move", function (e) { tooltip.setLatLng(e.latlng); });
  layers.hover.on("out", function () { map.closeTooltip(tooltip); });

  /* ---- Phones: panels give way to an open popup ---- */

  map.on("popupopen", function () {
    map.closeTooltip(tooltip);
    if (map.getSize().x >= 600) return;
    [filterPanel, list, legend].forEach(function (p) { p.control.getContainer().open = false; });
    map.getContainer().classList.add("gm-popup-open");
  });
  map.on("popupclose", function () { map.getContainer().classList.remove("gm-popup-open"); });

  /* ---- The view ---- */

  /** Below everything pinned to the top of the map (title, buttons, collapsed panels). */
  function belowTopControls() {
    var top = map.getContainer().getBoundingClientRect().top;
    var corners = map.getContainer().querySelectorAll(
      ".leaflet-top.leaflet-left, .leaflet-top.leaflet-right");
    return [title].concat([].slice.call(corners)).reduce(function (low, box) {
      return Math.max(low, box.getBoundingClientRect().bottom - top);
    }, 0);
  }

  function padding() {
    var size = map.getSize();
    /* On a phone the panels fold into buttons along the top: the view starts below them and
     * keeps the whole width, instead of giving up both sides to panels that are not open. */
    if (size.x < 600) {
      return { paddingTopLeft: [14, belowTopControls() + 12],
        paddingBottomRight: [14, 20 + stripHeight()] };
    }
    var left = filterPanel.control.getContainer().offsetWidth + 30;
    var side = right.offsetWidth + 30;
    var top = title.offsetHeight + 30;
    var fits = left + side < size.x * 0.7;
    return { paddingTopLeft: [fits ? left : 20, top],
      paddingBottomRight: [fits ? side : 20, 30 + stripHeight()] };
  }

  function fitShown() {
    var shown = layers.features.filter(function (f) { return f.onMap; });
    /* Fit what is placed precisely; places known only to a region do not widen the view. */
    var precise = shown.filter(function (f) { return !f.region; });
    if (precise.length) shown = precise;
    if (!shown.length) return;
    map.fitBounds(layers.bounds(shown), Object.assign({ maxZoom: 7, animate: false }, padding()));
  }

  function viewText() {
    var c = map.getCenter();
    return core.writeView(map.getZoom(), c.lat, c.lng);
  }

  /* The view enters the address once the reader moves the map. */
  var readerMoving = false;
  function moving() { readerMoving = true; }
  map.on("dragstart", moving);
  map.getContainer().addEventListener("wheel", moving, { passive: true });
  map.getContainer().addEventListener("dblclick", moving);
  map.getContainer().addEventListener("touchmove", moving, { passive: true });
  map.getContainer().addEventListener("keydown", function (e) {
    if (/^(Arrow|\+|-|=)/.test(e.key) && e.target === map.getContainer()) moving();
  });
  map.getContainer().addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest(".leaflet-control-zoom, .gm-fit-bar")) moving();
  });
  map.on("moveend", function () {
    if (!readerMoving) return;
    readerMoving = false;
    state.options.map = viewText();
    writeAddress();
  });

  /* ---- The address ---- */

  function writeAddress() {
    var hash = core.writeAddress(state.options);
    var url = location.href.replace(/#.*$/, "") + (hash ? "#" + hash : "");
    if (url === location.href) return;
    try { history.replaceState(null, "", url); } catch { location.hash = hash; }
  }

  function readAddress() {
    state.options = core.parseAddress(location.hash, longestName);
    /* Actors the data does not name are dropped (a link cannot add checkboxes). */
    state.options.actor = state.options.actor.filter(function (name) {
      return ctx.actors.byKey[core.fold(name)];
    });
  }

  function openFromAddress() {
    var view = core.parseView(state.options.map);
    if (view) map.setView([view.lat, view.lon], view.zoom, { animate: false });
    var ev = state.options.event && byId[state.options.event];
    if (ev) openEvent(ev, null, !view);
    else state.options.event = "";
  }

  window.addEventListener("hashchange", function () {
    readAddress();
    apply();
    openFromAddress();
  });

  /* Escape anywhere closes the popup and returns focus. */
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && popup.isOpen()) popup.close();
  });

  /* Print: the shown events with their sources after the map. */
  var printed = el("section", "gm-print");
  document.body.appendChild(printed);
  function buildPrint() {
    printed.textContent = "";
    printed.appendChild(el("h2", null, doc.title + " — " + window.geomap.shownIds().length + " events shown"));
    events.filter(function (ev) { return shownFlags[ev.index]; }).sort(decode.byDate)
      .forEach(function (ev) { printed.appendChild(page.popup.details(ev, doc, kinds)); });
  }
  window.addEventListener("beforeprint", buildPrint);
  if (window.matchMedia) {
    matchMedia("print").addEventListener("change", function (e) { if (e.matches) buildPrint(); });
  }

  readAddress();
  apply();
  fitShown();
  openFromAddress();

  /* For tests and for anyone scripting the page (not how a reader uses it). */
  function eventOf(id) {
    var ev = byId[id];
    if (!ev) throw new Error("no event with id " + JSON.stringify(id));
    return ev;
  }

  window.geomap = {
    /* performance.now() at the first frame after every feature was added (for benchmarks). */
    drawnAt: null,
    data: doc,
    map: map,
    state: function () {
      return { kinds: state.crit.kinds || vocab.kinds.slice(), conf: doc.levels[state.crit.minLevel],
        actors: state.crit.actors.slice(), years: state.crit.years.slice(),
        options: JSON.parse(JSON.stringify(state.options)) };
    },
    shownIds: function () {
      return events.filter(function (ev) { return shownFlags[ev.index]; }).map(function (ev) { return ev.id; });
    },
    /* Events drawn now: shown by the filters, with their feature on the map (or in a cluster). */
    drawnCount: function () {
      return events.filter(function (ev) {
        return shownFlags[ev.index] && layers.drawn(layers.featureOf[ev.index]);
      }).length;
    },
    featureCount: function () { return layers.features.length; },
    /* What draws each feature: a place (getLatLng) or a route's parts (getLatLngs). */
    layers: function () { return layers.features.map(layers.shape); },
    /* What draws an event (shared with events of the same place and style). */
    layerOf: function (id) { return layers.shape(layers.featureOf[eventOf(id).index]); },
    /* Where an event's feature is on screen (a marker's glyph centre, a point of a route). */
    pointOf: function (id) {
      var p = layers.anchorPoint(layers.featureOf[eventOf(id).index]);
      var box = map.getContainer().getBoundingClientRect();
      return [p.x + box.left, p.y + box.top];
    },
    openPopup: function (id) { openEvent(eventOf(id), null, false); },
    openTooltip: function (id) { showTooltip(layers.featureOf[eventOf(id).index]); }
  };
  requestAnimationFrame(function () { window.geomap.drawnAt = performance.now(); });
});
