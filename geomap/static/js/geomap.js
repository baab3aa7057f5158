/* geomap: draws the events embedded as JSON in #geomap-data on the Leaflet map.
 *
 * Every string from the data reaches the page through textContent or as a DOM node handed to
 * Leaflet, never through innerHTML, so no text from a CSV can run as script.
 * Links are made only for http(s) URLs.
 *
 * Events that share a geometry, a kind and a confidence (the same route, the same place) are
 * drawn as one feature whose popup pages through them: overlapping features could not be told
 * apart anyway, and a large dataset stays quick to draw.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("geomap-data").textContent);
  var map = window[data.map];
  var TOLERANCE = 5;
  var renderer = L.canvas({ padding: 0.5, tolerance: TOLERANCE });
  var DASH = { confirmed: null, reported: "8 6", alleged: "2 6" };
  var FILL = { confirmed: 0.9, reported: 0.55, alleged: 0.15 };
  var CONFIDENCE = data.confidence;
  var LEVELS = data.levels;
  var KINDS = Object.create(null);
  data.kinds.forEach(function (k) { KINDS[k.id] = k; });

  /* ---- Text and elements ---- */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeHref(url) {
    return typeof url === "string" && /^https?:\/\/[^\s\/?#]+/i.test(url) ? url : null;
  }

  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/\s+/g, " ").trim();
  }

  function latlngs(parts) {
    return parts.map(function (part) {
      return part.map(function (c) { return [c[1], c[0]]; });
    });
  }

  /* ---- Events: columns with shared tables become one plain object each ---- */

  function decodeEvents(cols) {
    var out = new Array(cols.id.length);
    function lookup(table) { return function (i) { return table[i]; }; }
    for (var i = 0; i < out.length; i++) {
      out[i] = {
        id: cols.id[i], kind: data.kinds[cols.kind[i]].id, title: cols.title[i],
        date_label: cols.date_label[i], start: cols.start[i], end: cols.end[i],
        summary: cols.summary[i], carrier: cols.carrier[i], evidence: cols.evidence[i],
        confidence: LEVELS[cols.confidence[i]], precision: data.precisions[cols.precision[i]],
        actors: cols.actors[i].map(lookup(data.names)), stops: cols.stops[i].map(lookup(data.names)),
        sources: cols.sources[i].map(lookup(data.sources)), geom: cols.geom[i],
        travel: cols.travel[i]
      };
    }
    return out;
  }

  /* ---- Popups and tooltips ---- */

  function sourceItem(source) {
    var li = el("li");
    var href = safeHref(source.url);
    if (href) {
      var a = el("a", null, source.title || href);
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      if (source.outlet) li.appendChild(document.createTextNode(source.outlet + " — "));
      li.appendChild(a);
      if (source.published) li.appendChild(document.createTextNode(" — " + source.published));
    } else {
      li.textContent = [source.outlet, source.title, source.published].filter(Boolean).join(" — ");
    }
    if (source.author) li.appendChild(el("span", "gm-author", " (" + source.author + ")"));
    return li;
  }

  function eventDetails(ev) {
    var box = el("div", "gm-event");
    box.appendChild(el("h3", null, ev.title));
    var meta = el("div", "gm-meta");
    meta.appendChild(document.createTextNode(ev.date_label + " · " + KINDS[ev.kind].label + " · "));
    meta.appendChild(el("span", "gm-conf gm-conf-" + ev.confidence, ev.confidence));
    box.appendChild(meta);
    var dl = el("dl");
    var where = data.geoms[ev.geom].t === "L" ? "Route" : ev.stops.length > 1 ? "Travel" : "Place";
    [["Actors", ev.actors.join("; ")], [where, ev.stops.join(" → ")],
     ["Carrier", ev.carrier]].forEach(function (row) {
      if (!row[1]) return;
      dl.appendChild(el("dt", null, row[0]));
      dl.appendChild(el("dd", null, row[1]));
    });
    box.appendChild(dl);
    if (ev.summary) box.appendChild(el("p", null, ev.summary));
    box.appendChild(el("p", "gm-confnote",
      "Confidence: " + ev.confidence + " — " + (CONFIDENCE[ev.confidence] || "")));
    if (ev.evidence) box.appendChild(el("blockquote", null, "“" + ev.evidence + "”"));
    box.appendChild(el("strong", null, ev.sources.length > 1 ? "Sources" : "Source"));
    var list = el("ol", "gm-sources");
    ev.sources.forEach(function (source) { list.appendChild(sourceItem(source)); });
    box.appendChild(list);
    return box;
  }

  /* A popup for one feature: the event at ``index`` among the feature's shown events, with
   * buttons to page through the others. */
  function popupContent(feature, index) {
    var shown = feature.shown;
    var box = el("div", "gm-popup");
    if (shown.length > 1) {
      var pager = el("div", "gm-pager");
      var prev = el("button", "gm-prev", "‹");
      var next = el("button", "gm-next", "›");
      prev.type = next.type = "button";
      prev.setAttribute("aria-label", "Previous event here");
      next.setAttribute("aria-label", "Next event here");
      prev.disabled = index === 0;
      next.disabled = index === shown.length - 1;
      prev.addEventListener("click", function () { showPopup(feature, null, index - 1); });
      next.addEventListener("click", function () { showPopup(feature, null, index + 1); });
      pager.appendChild(prev);
      pager.appendChild(el("span", "gm-page", (index + 1) + " of " + shown.length + " events here"));
      pager.appendChild(next);
      box.appendChild(pager);
    }
    box.appendChild(eventDetails(shown[index].ev));
    return box;
  }

  function tooltipContent(feature) {
    var box = el("div", "gm-tip");
    var first = feature.shown[0].ev;
    box.appendChild(el("strong", null, first.title));
    box.appendChild(el("span", null, first.date_label));
    if (feature.shown.length > 1) {
      box.appendChild(el("span", "gm-more", " and " + (feature.shown.length - 1) + " more"));
    }
    return box;
  }

  var popup = L.popup({ maxWidth: 360, autoPanPaddingTopLeft: [60, 100],
    autoPanPaddingBottomRight: [40, 40] });
  var tooltip = L.tooltip({ sticky: true, direction: "auto" });
  var popupAt = null;

  function anchor(layer) {
    return layer.getLatLng ? layer.getLatLng() : layer.getCenter();
  }

  function showPopup(feature, latlng, index) {
    if (!feature.shown.length) return;
    index = Math.max(0, Math.min(index || 0, feature.shown.length - 1));
    popupAt = latlng || popupAt || anchor(feature.layer);
    popup.setLatLng(popupAt).setContent(popupContent(feature, index)).openOn(map);
  }

  function showTooltip(feature, latlng) {
    if (!feature.shown.length) return;
    tooltip.setLatLng(latlng || anchor(feature.layer)).setContent(tooltipContent(feature));
    map.openTooltip(tooltip);
  }

  /* ---- Drawing ---- */

  /* A circle marker drawn a few pixels from its point, so that features of different kinds or
   * confidence at one place sit side by side instead of hiding each other. */
  var OffsetCircle = L.CircleMarker.extend({
    _project: function () {
      var offset = this.options.offset || [0, 0];
      this._point = this._map.latLngToLayerPoint(this._latlng).add(L.point(offset));
      this._updateBounds();
    }
  });

  function arrows(parts, color, opacity) {
    if (!L.polylineDecorator) return [];
    function head(size) {
      return L.Symbol.arrowHead({ pixelSize: size, polygon: false, pathOptions: {
        color: color, weight: 2.5, opacity: opacity, renderer: renderer, interactive: false } });
    }
    return latlngs(parts).map(function (part) {
      return L.polylineDecorator(part, { patterns: [
        { offset: "50%", repeat: 0, symbol: head(11) },
        { offset: "100%", repeat: 0, symbol: head(9) }
      ] });
    });
  }

  /* Decorations (arrows, a visit's travel, an uncertainty circle) are shared by every feature
   * with the same geometry and kind, and shown while at least one of those features is. */
  var decorations = Object.create(null);

  function decoration(key, make) {
    if (!decorations[key]) decorations[key] = { layers: make(), shown: 0 };
    return decorations[key];
  }

  function makeFeature(ev) {
    var color = KINDS[ev.kind].color;
    var dash = DASH[ev.confidence];
    var geom = data.geoms[ev.geom];
    var layer, extras = [];
    if (geom.t === "P") {
      var ll = [geom.c[1], geom.c[0]];
      if (ev.precision === "region") {
        extras.push(decoration("region " + ev.geom + " " + ev.kind, function () {
          return [L.circle(ll, { radius: 90000, color: color, weight: 1, opacity: 0.5,
            fillOpacity: 0.06, dashArray: "3 4", interactive: false, renderer: renderer })];
        }));
      }
      layer = new OffsetCircle(ll, { radius: 7, color: color, weight: 2, fillColor: color,
        fillOpacity: FILL[ev.confidence], dashArray: dash ? "3 3" : null, renderer: renderer });
      if (ev.travel !== null) {
        extras.push(decoration("travel " + ev.travel + " " + ev.kind, function () {
          var parts = data.geoms[ev.travel].c;
          return [L.polyline(latlngs(parts), { color: color, weight: 1.2, opacity: 0.7,
            dashArray: "4 5", interactive: false, renderer: renderer })]
            .concat(arrows(parts, color, 0.7));
        }));
      }
    } else {
      layer = L.polyline(latlngs(geom.c), { color: color, weight: 3, opacity: 0.85,
        dashArray: dash, renderer: renderer });
      extras.push(decoration("arrows " + ev.geom + " " + ev.kind, function () {
        return arrows(geom.c, color, 0.85);
      }));
    }
    var feature = { layer: layer, extras: extras, kind: ev.kind, entries: [], shown: [],
      onMap: false };
    layer.geomapFeature = feature;
    return feature;
  }

  /* Offline basemap: country outlines beneath any tile layer, which covers it when it loads. */
  var basemap = document.getElementById("geomap-basemap");
  if (basemap) {
    map.createPane("geomapBase").style.zIndex = 150;
    L.geoJSON(JSON.parse(basemap.textContent), {
      pane: "geomapBase", interactive: false,
      style: { color: "#a7b0b8", weight: 0.7, fillColor: "#f6f4ef", fillOpacity: 1 }
    }).addTo(map);
  }

  var groups = Object.create(null);
  data.kinds.forEach(function (k) {
    var group = L.featureGroup().addTo(map);
    group.on("click", function (e) {
      popupAt = null;
      showPopup(e.layer.geomapFeature, e.latlng, 0);
    });
    group.on("mouseover", function (e) { showTooltip(e.layer.geomapFeature, e.latlng); });
    group.on("mousemove", function (e) { tooltip.setLatLng(e.latlng); });
    group.on("mouseout", function () { map.closeTooltip(tooltip); });
    groups[k.id] = group;
  });

  var features = Object.create(null);
  var featureList = [];
  var entries = decodeEvents(data.events).map(function (ev) {
    var key = ev.geom + " " + ev.kind + " " + ev.confidence;
    if (!features[key]) {
      features[key] = makeFeature(ev);
      featureList.push(features[key]);
    }
    var entry = { ev: ev, feature: features[key], shown: false, actorKeys: ev.actors.map(fold) };
    features[key].entries.push(entry);
    return entry;
  });
  featureList.forEach(function (f) {
    f.entries.sort(function (a, b) {
      return a.ev.start < b.ev.start ? -1 : a.ev.start > b.ev.start ? 1 : 0;
    });
  });
  /* Point features sharing a place are spread on a small ring around it. */
  var atPlace = Object.create(null);
  featureList.forEach(function (f) {
    if (!f.layer.getLatLng) return;
    var geom = f.entries[0].ev.geom;
    (atPlace[geom] = atPlace[geom] || []).push(f);
  });
  Object.keys(atPlace).forEach(function (geom) {
    var here = atPlace[geom];
    if (here.length < 2) return;
    /* Neighbours' click areas (radius 7, stroke 2, tolerance) must not overlap. */
    var reach = 7 + 1 + TOLERANCE + 1;
    var radius = Math.ceil(reach / Math.sin(Math.PI / here.length));
    here.forEach(function (f, i) {
      var angle = -Math.PI / 2 + (2 * Math.PI * i) / here.length;
      f.layer.options.offset = [Math.round(radius * Math.cos(angle)), Math.round(radius * Math.sin(angle))];
    });
  });
  var byId = Object.create(null);
  entries.forEach(function (e) { byId[e.ev.id] = e; });

  function setFeatureShown(feature, on) {
    if (on === feature.onMap) return;
    var group = groups[feature.kind];
    if (on) group.addLayer(feature.layer); else group.removeLayer(feature.layer);
    feature.extras.forEach(function (d) {
      d.shown += on ? 1 : -1;
      if (on && d.shown === 1) d.layers.forEach(function (x) { group.addLayer(x); });
      if (!on && d.shown === 0) d.layers.forEach(function (x) { group.removeLayer(x); });
    });
    feature.onMap = on;
  }

  /* Title bar. */
  var title = el("div", "gm-title");
  title.appendChild(el("h1", null, data.title));
  title.appendChild(el("p", null, data.subtitle));
  L.DomEvent.disableClickPropagation(title);
  map.getContainer().appendChild(title);

  /* ---- Filters: the same rules as `geomap render --year/--kind/--actor/--confidence` ---- */

  var years = entries.reduce(function (acc, e) {
    return [Math.min(acc[0], +e.ev.start.slice(0, 4)), Math.max(acc[1], +e.ev.end.slice(0, 4))];
  }, [Infinity, -Infinity]);
  /* Tables keyed by text from the data have no prototype: an actor called "__proto__" or
   * "constructor" is just a name. */
  var actors = Object.create(null);  // fold(name) -> {key, name, count}
  entries.forEach(function (e) {
    e.ev.actors.forEach(function (name, i) {
      var key = e.actorKeys[i];
      if (!actors[key]) actors[key] = { key: key, name: name, count: 0 };
      actors[key].count += 1;
    });
  });
  var actorList = Object.keys(actors).map(function (k) { return actors[k]; })
    .sort(function (a, b) { return b.count - a.count || a.name.localeCompare(b.name); });

  function defaultState() {
    return { y0: years[0], y1: years[1], kinds: data.kinds.map(function (k) { return k.id; }),
      conf: LEVELS[0], actors: [] };
  }
  var state = defaultState();

  function matches(e, st) {
    var ev = e.ev;
    if (ev.end < st.y0 + "-01-01" || ev.start > st.y1 + "-12-31") return false;
    if (st.kinds.indexOf(ev.kind) < 0) return false;
    if (LEVELS.indexOf(ev.confidence) < LEVELS.indexOf(st.conf)) return false;
    if (st.actors.length && !e.actorKeys.some(function (k) { return st.actors.indexOf(k) >= 0; })) {
      return false;
    }
    return true;
  }

  function readHash() {
    var st = defaultState();
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var y = /^(\d{4})-(\d{4})$/.exec(params.get("years") || "");
    if (y) { st.y0 = Math.max(years[0], +y[1]); st.y1 = Math.min(years[1], +y[2]); }
    if (params.has("kinds")) {
      st.kinds = params.get("kinds").split(",").filter(function (k) { return KINDS[k]; });
    }
    if (LEVELS.indexOf(params.get("confidence")) >= 0) st.conf = params.get("confidence");
    st.actors = params.getAll("actor").map(fold).filter(function (k) { return actors[k]; });
    return st;
  }

  function writeHash() {
    var d = defaultState();
    var params = new URLSearchParams();
    if (state.y0 !== d.y0 || state.y1 !== d.y1) params.set("years", state.y0 + "-" + state.y1);
    if (state.kinds.length !== d.kinds.length) params.set("kinds", state.kinds.join(","));
    if (state.conf !== d.conf) params.set("confidence", state.conf);
    state.actors.forEach(function (k) { params.append("actor", actors[k].name); });
    var hash = params.toString();
    var url = location.href.replace(/#.*$/, "") + (hash ? "#" + hash : "");
    try { history.replaceState(null, "", url); } catch (err) { location.hash = hash; }
  }

  var controls = {};

  function apply() {
    var shown = 0, perKind = Object.create(null);
    entries.forEach(function (e) {
      e.shown = matches(e, state);
      if (e.shown) { shown += 1; perKind[e.ev.kind] = (perKind[e.ev.kind] || 0) + 1; }
    });
    featureList.forEach(function (f) {
      f.shown = f.entries.filter(function (e) { return e.shown; });
      setFeatureShown(f, f.shown.length > 0);
    });
    map.closePopup(popup);
    controls.showing.textContent = "Showing " + shown + " of " + entries.length + " events";
    data.kinds.forEach(function (k) {
      controls.kindCounts[k.id].textContent = (perKind[k.id] || 0) + " / " + k.count;
      controls.kindBoxes[k.id].checked = state.kinds.indexOf(k.id) >= 0;
    });
    controls.y0.value = state.y0; controls.y1.value = state.y1;
    controls.yearsLabel.textContent = state.y0 === state.y1 ? String(state.y0)
      : state.y0 + " – " + state.y1;
    controls.conf.forEach(function (r) { r.checked = r.value === state.conf; });
    Object.keys(controls.actorBoxes).forEach(function (k) {
      controls.actorBoxes[k].checked = state.actors.indexOf(k) >= 0;
    });
    return shown;
  }

  function changed() { apply(); writeHash(); }

  function checkbox(label, onChange) {
    var wrap = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.addEventListener("change", function () { onChange(box.checked); });
    wrap.appendChild(box);
    wrap.appendChild(document.createTextNode(" " + label));
    return { label: wrap, box: box };
  }

  var panel = L.control({ position: "topleft" });
  panel.onAdd = function () {
    var outer = el("details", "gm-panel");
    outer.open = true;
    outer.appendChild(el("summary", null, "Filter"));
    var box = el("div");
    box.setAttribute("aria-label", "Filter events");
    outer.appendChild(box);

    var yearSet = el("fieldset");
    yearSet.appendChild(el("legend", null, "Years "));
    controls.yearsLabel = el("span", "gm-years");
    yearSet.firstChild.appendChild(controls.yearsLabel);
    ["y0", "y1"].forEach(function (name) {
      var input = el("input");
      input.type = "range"; input.min = years[0]; input.max = years[1]; input.step = 1;
      input.name = name;
      input.setAttribute("aria-label", name === "y0" ? "From year" : "To year");
      input.addEventListener("input", function () {
        state[name] = +input.value;
        if (state.y0 > state.y1) { if (name === "y0") state.y1 = state.y0; else state.y0 = state.y1; }
        changed();
      });
      controls[name] = input;
      yearSet.appendChild(input);
    });
    box.appendChild(yearSet);

    var confSet = el("fieldset");
    confSet.appendChild(el("legend", null, "Confidence at least"));
    controls.conf = LEVELS.map(function (level) {
      var wrap = el("label");
      var radio = el("input");
      radio.type = "radio"; radio.name = "gm-confidence"; radio.value = level;
      radio.addEventListener("change", function () { state.conf = level; changed(); });
      wrap.appendChild(radio);
      wrap.appendChild(document.createTextNode(" " + level));
      wrap.title = CONFIDENCE[level];
      confSet.appendChild(wrap);
      return radio;
    });
    box.appendChild(confSet);

    var actorSet = el("fieldset");
    actorSet.appendChild(el("legend", null, "Actors"));
    var search = el("input");
    search.type = "search"; search.placeholder = "Find an actor…";
    search.setAttribute("aria-label", "Find an actor");
    actorSet.appendChild(search);
    var list = el("div", "gm-actors");
    controls.actorBoxes = Object.create(null);
    var rows = Object.create(null);
    actorList.forEach(function (a) {
      var item = checkbox(a.name + " (" + a.count + ")", function (on) {
        state.actors = state.actors.filter(function (k) { return k !== a.key; });
        if (on) state.actors.push(a.key);
        changed();
      });
      controls.actorBoxes[a.key] = item.box;
      rows[a.key] = item.label;
      list.appendChild(item.label);
    });
    search.addEventListener("input", function () {
      var q = fold(search.value);
      actorList.forEach(function (a) {
        rows[a.key].style.display = a.key.indexOf(q) >= 0 ? "" : "none";
      });
    });
    actorSet.appendChild(list);
    box.appendChild(actorSet);

    controls.showing = el("div", "gm-showing");
    controls.showing.setAttribute("aria-live", "polite");
    box.appendChild(controls.showing);
    var reset = el("button", "gm-reset", "Reset filters");
    reset.type = "button";
    reset.addEventListener("click", function () { state = defaultState(); changed(); });
    box.appendChild(reset);
    L.DomEvent.disableClickPropagation(outer);
    L.DomEvent.disableScrollPropagation(outer);
    return outer;
  };
  panel.addTo(map);

  function swatch(color, dash, dot) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "28");
    svg.setAttribute("height", "12");
    var shape;
    if (dot) {
      shape = document.createElementNS(ns, "circle");
      shape.setAttribute("cx", "14"); shape.setAttribute("cy", "6"); shape.setAttribute("r", "5");
      shape.setAttribute("fill", color);
    } else {
      shape = document.createElementNS(ns, "line");
      shape.setAttribute("x1", "1"); shape.setAttribute("y1", "6");
      shape.setAttribute("x2", "27"); shape.setAttribute("y2", "6");
      shape.setAttribute("stroke", color); shape.setAttribute("stroke-width", "3");
      if (dash) shape.setAttribute("stroke-dasharray", dash);
    }
    svg.appendChild(shape);
    return svg;
  }

  /* Legend: one toggle per kind with shown / total counts, and what the line styles mean. */
  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    var box = el("div", "gm-legend");
    box.appendChild(el("h2", null, "Events"));
    var kinds = el("ul");
    controls.kindBoxes = Object.create(null);
    controls.kindCounts = Object.create(null);
    data.kinds.forEach(function (k) {
      var li = el("li", "gm-kind");
      var label = el("label");
      var input = el("input");
      input.type = "checkbox"; input.value = k.id;
      input.setAttribute("aria-label", "Show " + k.label);
      input.addEventListener("change", function () {
        state.kinds = data.kinds.map(function (x) { return x.id; }).filter(function (id) {
          return id === k.id ? input.checked : state.kinds.indexOf(id) >= 0;
        });
        changed();
      });
      label.appendChild(input);
      label.appendChild(swatch(k.color, null, true));
      label.appendChild(el("span", null, k.label));
      li.appendChild(label);
      controls.kindBoxes[k.id] = input;
      controls.kindCounts[k.id] = el("span", "gm-count", k.count);
      li.appendChild(controls.kindCounts[k.id]);
      kinds.appendChild(li);
    });
    box.appendChild(kinds);
    box.appendChild(el("h2", null, "Confidence"));
    var conf = el("ul");
    LEVELS.slice().reverse().forEach(function (level) {
      var li = el("li");
      li.title = CONFIDENCE[level];
      li.appendChild(swatch("#333", DASH[level], false));
      li.appendChild(el("span", null, level));
      conf.appendChild(li);
    });
    box.appendChild(conf);
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  legend.addTo(map);

  window.addEventListener("hashchange", function () { state = readHash(); apply(); });
  state = readHash();
  apply();

  if (featureList.length) {
    var bounds = L.latLngBounds([]);
    featureList.forEach(function (f) {
      bounds.extend(f.layer.getLatLng ? f.layer.getLatLng() : f.layer.getBounds());
    });
    /* Keep the data clear of the title, the filter panel and the legend. */
    var size = map.getSize();
    var left = panel.getContainer().offsetWidth + 30;
    var right = legend.getContainer().offsetWidth + 30;
    var top = title.offsetHeight + 30;
    var fits = left + right < size.x * 0.7;
    map.fitBounds(bounds, {
      paddingTopLeft: [fits ? left : 20, top],
      paddingBottomRight: [fits ? right : 20, 30],
      maxZoom: 7,
      animate: false
    });
  }

  /* For tests and for anyone scripting the page. */
  function entryOf(id) {
    var e = byId[id];
    if (!e) throw new Error("no event with id " + JSON.stringify(id));
    return e;
  }

  window.geomap = {
    /* performance.now() at the first frame after every feature was added (for benchmarks). */
    drawnAt: null,
    data: data,
    map: map,
    state: function () { return JSON.parse(JSON.stringify(state)); },
    shownIds: function () {
      return entries.filter(function (e) { return e.shown; }).map(function (e) { return e.ev.id; });
    },
    /* Events drawn now: shown by the filters, with their feature on the map. */
    drawnCount: function () {
      return entries.filter(function (e) {
        return e.shown && e.feature.onMap && map.hasLayer(e.feature.layer);
      }).length;
    },
    featureCount: function () { return featureList.length; },
    layers: function () { return featureList.map(function (f) { return f.layer; }); },
    /* The Leaflet layer that draws an event (shared with events of the same place and style). */
    layerOf: function (id) { return entryOf(id).feature.layer; },
    openPopup: function (id) {
      var e = entryOf(id);
      popupAt = null;
      showPopup(e.feature, null, e.feature.shown.indexOf(e));
    },
    openTooltip: function (id) { showTooltip(entryOf(id).feature); }
  };
  requestAnimationFrame(function () { window.geomap.drawnAt = performance.now(); });
})();
