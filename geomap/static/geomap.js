/* geomap: draws the events embedded as JSON in #geomap-data on the Leaflet map.
 *
 * Every string from the data reaches the page through textContent or as a DOM node handed to
 * Leaflet, never through innerHTML, so no text from a CSV can run as script.
 * Links are made only for http(s) URLs.
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("geomap-data").textContent);
  var map = window[data.map];
  var renderer = L.canvas({ padding: 0.5, tolerance: 6 });
  var DASH = { confirmed: null, reported: "8 6", alleged: "2 6" };
  var FILL = { confirmed: 0.9, reported: 0.55, alleged: 0.15 };
  var CONFIDENCE = data.confidence;
  var LEVELS = data.levels;

  /* The events travel as columns with shared tables (kinds, names, sources, geometries);
   * here they become one plain object each. */
  function decodeEvents(cols) {
    var names = data.names;
    var out = new Array(cols.id.length);
    function lookup(table) { return function (i) { return table[i]; }; }
    for (var i = 0; i < out.length; i++) {
      out[i] = {
        id: cols.id[i], kind: data.kinds[cols.kind[i]].id, title: cols.title[i],
        date_label: cols.date_label[i], start: cols.start[i], end: cols.end[i],
        summary: cols.summary[i], carrier: cols.carrier[i], evidence: cols.evidence[i],
        confidence: LEVELS[cols.confidence[i]], precision: data.precisions[cols.precision[i]],
        actors: cols.actors[i].map(lookup(names)), stops: cols.stops[i].map(lookup(names)),
        sources: cols.sources[i].map(lookup(data.sources)), geom: cols.geom[i],
        travel: cols.travel[i]
      };
    }
    return out;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeHref(url) {
    return typeof url === "string" && /^https?:\/\/[^\s\/?#]+/i.test(url) ? url : null;
  }

  function kindInfo(kind) {
    return data.kinds.filter(function (k) { return k.id === kind; })[0];
  }

  function latlngs(parts) {
    return parts.map(function (part) {
      return part.map(function (c) { return [c[1], c[0]]; });
    });
  }

  function sourceItem(source) {
    var li = el("li");
    var bits = [source.outlet, source.title, source.published].filter(Boolean);
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
      li.textContent = bits.join(" — ");
    }
    if (source.author) li.appendChild(el("span", "gm-author", " (" + source.author + ")"));
    return li;
  }

  function popupContent(ev) {
    var box = el("div", "gm-popup");
    box.appendChild(el("h3", null, ev.title));
    var meta = el("div", "gm-meta");
    meta.appendChild(document.createTextNode(ev.date_label + " · " + kindInfo(ev.kind).label + " · "));
    meta.appendChild(el("span", "gm-conf gm-conf-" + ev.confidence, ev.confidence));
    box.appendChild(meta);
    var dl = el("dl");
    var route = data.geoms[ev.geom].t === "L";
    [["Actors", ev.actors.join("; ")], [route ? "Route" : "Place", ev.stops.join(" → ")],
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

  function tooltipContent(ev) {
    var box = el("div", "gm-tip");
    box.appendChild(el("strong", null, ev.title));
    box.appendChild(el("span", null, ev.date_label));
    return box;
  }

  function arrows(parts, color, opacity) {
    if (!L.polylineDecorator) return [];
    return latlngs(parts).map(function (part) {
      return L.polylineDecorator(part, {
        patterns: [{ offset: "50%", repeat: 0, symbol: L.Symbol.arrowHead({
          pixelSize: 11, polygon: false,
          pathOptions: { color: color, weight: 2.5, opacity: opacity, renderer: renderer, interactive: false }
        }) }, { offset: "100%", repeat: 0, symbol: L.Symbol.arrowHead({
          pixelSize: 9, polygon: false,
          pathOptions: { color: color, weight: 2.5, opacity: opacity, renderer: renderer, interactive: false }
        }) }]
      });
    });
  }

  /* One interactive Leaflet layer per event. Decorations (arrows, travel lines, uncertainty
   * circles) are shared by every event with the same geometry and kind, and shown while at
   * least one of those events is. */
  var decorations = {};

  function decoration(key, make) {
    if (!decorations[key]) decorations[key] = { layers: make(), shown: 0, kind: null };
    return key;
  }

  function eventLayers(ev) {
    var color = kindInfo(ev.kind).color;
    var dash = DASH[ev.confidence];
    var geom = data.geoms[ev.geom];
    var feature, extras = [];
    if (geom.t === "P") {
      var ll = [geom.c[1], geom.c[0]];
      if (ev.precision === "region") {
        extras.push(decoration("region " + ev.geom + " " + ev.kind, function () {
          return [L.circle(ll, { radius: 90000, color: color, weight: 1, opacity: 0.5,
            fillOpacity: 0.06, dashArray: "3 4", interactive: false, renderer: renderer })];
        }));
      }
      feature = L.circleMarker(ll, { radius: 7, color: color, weight: 2, fillColor: color,
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
      feature = L.polyline(latlngs(geom.c), { color: color, weight: 3, opacity: 0.85,
        dashArray: dash, renderer: renderer });
      extras.push(decoration("arrows " + ev.geom + " " + ev.kind, function () {
        return arrows(geom.c, color, 0.85);
      }));
    }
    feature.geomapEvent = ev;
    feature.openPopup = openOwnPopup;
    feature.openTooltip = openOwnTooltip;
    return { feature: feature, extras: extras };
  }

  /* One popup and one tooltip for the whole map, filled from the event under the pointer. */
  var popup = L.popup({ maxWidth: 360 });
  var tooltip = L.tooltip({ sticky: true, direction: "auto" });

  function anchor(layer) {
    return layer.getLatLng ? layer.getLatLng() : layer.getCenter();
  }

  function showPopup(layer, latlng) {
    popup.setLatLng(latlng || anchor(layer)).setContent(popupContent(layer.geomapEvent)).openOn(map);
  }

  function showTooltip(layer, latlng) {
    tooltip.setLatLng(latlng || anchor(layer)).setContent(tooltipContent(layer.geomapEvent));
    map.openTooltip(tooltip);
  }

  function openOwnPopup() { showPopup(this); return this; }
  function openOwnTooltip() { showTooltip(this); return this; }

  function interactive(group) {
    group.on("click", function (e) { showPopup(e.layer, e.latlng); });
    group.on("mouseover", function (e) { showTooltip(e.layer, e.latlng); });
    group.on("mousemove", function (e) { tooltip.setLatLng(e.latlng); });
    group.on("mouseout", function () { map.closeTooltip(tooltip); });
    return group;
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

  var groups = {};
  var entries = [];
  data.kinds.forEach(function (k) { groups[k.id] = interactive(L.featureGroup()).addTo(map); });
  decodeEvents(data.events).forEach(function (ev) {
    var layers = eventLayers(ev);
    var entry = { ev: ev, feature: layers.feature, extras: layers.extras, shown: true,
      actorKeys: ev.actors.map(fold) };
    entry.extras.forEach(function (key) {
      var d = decorations[key];
      if (d.shown++ === 0) d.layers.forEach(function (x) { groups[ev.kind].addLayer(x); });
    });
    groups[ev.kind].addLayer(layers.feature);
    entries.push(entry);
  });
  var features = entries.map(function (e) { return e.feature; });

  /* Title bar. */
  var title = el("div", "gm-title");
  title.appendChild(el("h1", null, data.title));
  title.appendChild(el("p", null, data.subtitle));
  L.DomEvent.disableClickPropagation(title);
  map.getContainer().appendChild(title);

  /* ---- Filters: the same rules as `geomap render --year/--kind/--actor/--confidence`. ---- */
  var years = entries.reduce(function (acc, e) {
    return [Math.min(acc[0], +e.ev.start.slice(0, 4)), Math.max(acc[1], +e.ev.end.slice(0, 4))];
  }, [Infinity, -Infinity]);
  var actors = {};  // fold(name) -> {name, count}
  entries.forEach(function (e) {
    e.ev.actors.forEach(function (name, i) {
      var key = e.actorKeys[i];
      if (!actors[key]) actors[key] = { key: key, name: name, count: 0 };
      actors[key].count += 1;
    });
  });
  var actorList = Object.keys(actors).map(function (k) { return actors[k]; })
    .sort(function (a, b) { return b.count - a.count || a.name.localeCompare(b.name); });

  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/\s+/g, " ").trim();
  }

  function defaultState() {
    return { y0: years[0], y1: years[1], kinds: data.kinds.map(function (k) { return k.id; }),
      conf: LEVELS[0], actors: [] };
  }
  var state = defaultState();

  function matches(ev, actorKeys, st) {
    if (ev.end < st.y0 + "-01-01" || ev.start > st.y1 + "-12-31") return false;
    if (st.kinds.indexOf(ev.kind) < 0) return false;
    if (LEVELS.indexOf(ev.confidence) < LEVELS.indexOf(st.conf)) return false;
    if (st.actors.length && !actorKeys.some(function (k) { return st.actors.indexOf(k) >= 0; })) {
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
      st.kinds = params.get("kinds").split(",").filter(function (k) { return groups[k]; });
    }
    if (LEVELS.indexOf(params.get("confidence")) >= 0) st.conf = params.get("confidence");
    if (params.get("actors")) {
      st.actors = params.get("actors").split("|").map(fold).filter(function (k) { return actors[k]; });
    }
    return st;
  }

  function writeHash() {
    var d = defaultState();
    var params = new URLSearchParams();
    if (state.y0 !== d.y0 || state.y1 !== d.y1) params.set("years", state.y0 + "-" + state.y1);
    if (state.kinds.length !== d.kinds.length) params.set("kinds", state.kinds.join(","));
    if (state.conf !== d.conf) params.set("confidence", state.conf);
    if (state.actors.length) {
      params.set("actors", state.actors.map(function (k) { return actors[k].name; }).join("|"));
    }
    var hash = params.toString();
    var url = location.href.replace(/#.*$/, "") + (hash ? "#" + hash : "");
    try { history.replaceState(null, "", url); } catch (err) { location.hash = hash; }
  }

  var controls = {};

  function apply() {
    var shown = 0, perKind = {};
    entries.forEach(function (e) {
      var keep = matches(e.ev, e.actorKeys, state);
      if (keep !== e.shown) {
        var group = groups[e.ev.kind];
        if (keep) group.addLayer(e.feature); else group.removeLayer(e.feature);
        e.extras.forEach(function (key) {
          var d = decorations[key];
          d.shown += keep ? 1 : -1;
          if (keep && d.shown === 1) d.layers.forEach(function (x) { group.addLayer(x); });
          if (!keep && d.shown === 0) d.layers.forEach(function (x) { group.removeLayer(x); });
        });
        e.shown = keep;
      }
      if (keep) { shown += 1; perKind[e.ev.kind] = (perKind[e.ev.kind] || 0) + 1; }
    });
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

  function checkbox(label, checked, onChange) {
    var wrap = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = checked;
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
    controls.actorBoxes = {};
    controls.actorRows = {};
    actorList.forEach(function (a) {
      var item = checkbox(a.name + " (" + a.count + ")", false, function (on) {
        state.actors = state.actors.filter(function (k) { return k !== a.key; });
        if (on) state.actors.push(a.key);
        changed();
      });
      controls.actorBoxes[a.key] = item.box;
      controls.actorRows[a.key] = item.label;
      list.appendChild(item.label);
    });
    search.addEventListener("input", function () {
      var q = fold(search.value);
      actorList.forEach(function (a) {
        controls.actorRows[a.key].style.display = a.key.indexOf(q) >= 0 ? "" : "none";
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

  /* Legend: one toggle per kind with shown / total counts, and what the line styles mean. */
  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    var box = el("div", "gm-legend");
    box.appendChild(el("h2", null, "Events"));
    var kinds = el("ul");
    controls.kindBoxes = {};
    controls.kindCounts = {};
    data.kinds.forEach(function (k) {
      var li = el("li", "gm-kind");
      var label = el("label");
      var input = el("input");
      input.type = "checkbox"; input.checked = true; input.value = k.id;
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

  if (features.length) {
    map.fitBounds(L.featureGroup(features).getBounds(), { padding: [30, 30], maxZoom: 7 });
  }

  /* For tests and for anyone scripting the page. */
  window.geomap = {
    data: data,
    map: map,
    features: features,
    state: function () { return JSON.parse(JSON.stringify(state)); },
    shownIds: function () {
      return entries.filter(function (e) { return e.shown; }).map(function (e) { return e.ev.id; });
    },
    drawnCount: function () {
      return features.filter(function (f) { return map.hasLayer(f); }).length;
    },
    featureById: function (id) {
      return features.filter(function (f) { return f.geomapEvent.id === id; })[0];
    },
    openPopup: function (id) { showPopup(this.featureById(id)); },
    openTooltip: function (id) { showTooltip(this.featureById(id)); }
  };
})();
