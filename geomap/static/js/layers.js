/* geomap layers: the events drawn on the Leaflet map, and what lies under a pixel.
 *
 * Point events with the same geometry, origin, kind, confidence and precision are one feature
 * (they would be drawn on top of each other anyway); events on one route geometry are one line,
 * whose width grows with the number of shown events on it. A feature is drawn only with its own
 * events' geometry. Points are glyph markers (focusable, the kind shown by shape as well as
 * colour); routes are canvas lines. Kinds at one place sit side by side on a small ring, through
 * the markers' icon anchors (no Leaflet internals are changed). Places whose markers would
 * overlap on screen are drawn as one count-labelled cluster (supercluster), which a click or
 * Enter zooms into until they separate.
 */
(function (page) {
  "use strict";

  var ui = page.ui;
  var TOLERANCE = 6;  // pixels around a line that count as "on" it
  var ICON = 24;      // marker size: a touch target of at least 24 px
  var CLUSTER_MAX_ZOOM = 16;  // past it every place is drawn on its own
  var CLUSTER_RADIUS = 30;    // pixels: markers (24) this close would overlap, clusters (26-38) too
  var MIXED = "#555";  // a route carrying events of several kinds

  /** A route's width for the number of shown events on it: 3 px for one, growing with the
   * square root of the count (area reads as amount), at most 14 px. */
  function routeWidth(n) {
    return Math.min(14, 3 + 2.5 * (Math.sqrt(Math.max(n, 1)) - 1));
  }

  function latlngs(parts) {
    return parts.map(function (part) {
      return part.map(function (c) { return [c[1], c[0]]; });
    });
  }

  /** A route's parts and, for a part running past ±180° (joined across the antimeridian), its
   * copy one world over, so the line is whole whichever copy of the world is in view. */
  function wrapped(parts) {
    var copies = [];
    parts.forEach(function (part) {
      var lons = part.map(function (c) { return c[0]; });
      [[Math.max.apply(null, lons) > 180, -360], [Math.min.apply(null, lons) < -180, 360]]
        .forEach(function (shift) {
          if (shift[0]) copies.push(part.map(function (c) { return [c[0] + shift[1], c[1]]; }));
        });
    });
    return parts.concat(copies);
  }

  function create(map, doc, events, kinds) {
    var renderer = L.canvas({ padding: 0.5, tolerance: TOLERANCE });

    /* Offline basemap: country outlines beneath any tile layer, which covers it when it loads. */
    var basemap = document.getElementById("geomap-basemap");
    var outlines = Object.create(null);  // ISO 3166 alpha-2 -> GeoJSON feature
    map.createPane("geomapAreas").style.zIndex = 350;
    map.getPane("geomapAreas").style.pointerEvents = "none";
    if (basemap) {
      var countries = JSON.parse(basemap.textContent);
      countries.features.forEach(function (f) {
        if (f.properties && f.properties.iso_a2) outlines[f.properties.iso_a2] = f;
      });
      map.createPane("geomapBase").style.zIndex = 150;
      L.geoJSON(countries, {
        pane: "geomapBase", interactive: false,
        style: { color: "#9aa4ad", weight: 0.7, fillColor: "#f6f4ef", fillOpacity: 1 }
      }).addTo(map);
    }

    /* The area a region-precision event is known to: its place's own outline (a state, from
     * the dataset's outlines.geojson), or the country's when the place is a country. */
    function area(ev) {
      var last = ev.places.length ? doc.places[ev.places[ev.places.length - 1]] : null;
      if (last && last.outline) return { type: "Feature", properties: {}, geometry: last.outline };
      return last && last.kind === "country" ? outlines[last.country] || null : null;
    }

    function arrows(parts, color) {
      if (!L.polylineDecorator) return [];
      function head(size) {
        return L.Symbol.arrowHead({ pixelSize: size, polygon: false, pathOptions: {
          color: color, weight: 2.5, opacity: 0.9, renderer: renderer, interactive: false } });
      }
      return latlngs(parts).map(function (part) {
        return L.polylineDecorator(part, { patterns: [
          { offset: "50%", repeat: 0, symbol: head(11) },
          { offset: "100%", repeat: 0, symbol: head(9) }
        ] });
      });
    }

    function markerIcon(feature, offset) {
      var kind = kinds[feature.kind];
      var box = ui.el("span", "gm-mark gm-mark-" + feature.confidence);
      box.appendChild(ui.glyph(kind, doc.styles[feature.confidence], 20));
      return L.divIcon({ html: box, className: "gm-marker", iconSize: [ICON, ICON],
        iconAnchor: [ICON / 2 - offset[0], ICON / 2 - offset[1]] });
    }

    function makeFeature(ev, key) {
      var kind = kinds[ev.kind];
      var style = doc.styles[ev.confidence];
      var geom = doc.geoms[ev.geom];
      var feature = { key: key, kind: ev.kind, confidence: ev.confidence, geom: geom,
        events: [], shown: [], extras: [], onMap: false, marker: null, line: null };
      if (geom.t === "P") {
        feature.latlng = L.latLng(geom.c[1], geom.c[0]);
        feature.region = ev.precision === "region";
        var outline = feature.region ? area(ev) : null;
        if (outline) {
          feature.area = true;
          feature.extras.push(L.geoJSON(outline, { pane: "geomapAreas", interactive: false,
            style: { color: kind.color, weight: 1.5, opacity: 0.9, dashArray: "5 4",
              fillColor: kind.color, fillOpacity: 0.08 } }));
        } else if (ev.precision === "region") {
          feature.extras.push(L.circle(feature.latlng, { radius: 90000, color: kind.color,
            weight: 1, opacity: 0.8, fillOpacity: 0.06, dashArray: "3 4", interactive: false,
            renderer: renderer }));
        }
        if (ev.travel !== null) {
          var parts = doc.geoms[ev.travel].c;
          feature.extras.push(L.polyline(latlngs(parts), { color: kind.color, weight: 1.5,
            opacity: 0.9, dashArray: "4 5", interactive: false, renderer: renderer }));
          feature.extras = feature.extras.concat(arrows(parts, kind.color));
        }
      } else {
        var drawnParts = wrapped(geom.c);
        feature.ownParts = geom.c.length;
        feature.bounds = L.latLngBounds([].concat.apply([], latlngs(geom.c)));
        feature.line = L.polyline(latlngs(drawnParts), { color: kind.color, weight: 3,
          opacity: 0.95, dashArray: style.dash, renderer: renderer });
        feature.line.geomapFeature = feature;
        feature.halo = L.polyline(latlngs(drawnParts), { color: "#fff", weight: 6,
          opacity: 0.7, interactive: false, renderer: renderer });
        feature.arrows = arrows(drawnParts, kind.color);
        feature.color = kind.color;
        feature.extras = [feature.halo].concat(feature.arrows);
      }
      return feature;
    }

    /** A route drawn for its shown events: its kind's colour (grey when kinds mix), the dash of
     * its best-attested event, and a width that grows with their number. */
    function restyle(feature) {
      var list = feature.shown.length ? feature.shown : feature.events;
      var seen = Object.create(null);
      list.forEach(function (ev) { seen[ev.kind] = true; });
      var kindIds = Object.keys(seen);
      var best = list.reduce(function (a, ev) { return ev.level > a.level ? ev : a; }, list[0]);
      var color = kindIds.length === 1 ? kinds[kindIds[0]].color : MIXED;
      var weight = routeWidth(list.length);
      feature.kind = kindIds.length === 1 ? kindIds[0] : feature.kind;
      feature.confidence = best.confidence;
      feature.width = weight;
      feature.line.setStyle({ color: color, weight: weight,
        dashArray: doc.styles[best.confidence].dash });
      feature.halo.setStyle({ weight: weight + 3 });
      if (color === feature.color) return;
      feature.color = color;
      feature.arrows.forEach(function (a) { group.removeLayer(a); });
      feature.arrows = arrows(wrapped(feature.geom.c), color);
      feature.extras = [feature.halo].concat(feature.arrows);
      if (feature.onMap) feature.arrows.forEach(function (a) { group.addLayer(a); });
    }

    var byKey = Object.create(null);
    var features = [];
    var featureOf = new Array(events.length);
    events.forEach(function (ev) {
      var key = doc.geoms[ev.geom].t === "P" ? geomapDecode.featureKey(ev) : "route " + ev.geom;
      if (!byKey[key]) { byKey[key] = makeFeature(ev, key); features.push(byKey[key]); }
      byKey[key].events.push(ev);
      featureOf[ev.index] = byKey[key];
    });
    features.forEach(function (f) { f.events.sort(geomapDecode.byDate); });

    /* Point features at one place sit on a ring around it, so none hides another. */
    var atPlace = Object.create(null);
    features.forEach(function (f) {
      if (f.latlng) (atPlace[f.geom.c.join(",")] = atPlace[f.geom.c.join(",")] || []).push(f);
    });
    var places = [];
    Object.keys(atPlace).forEach(function (k) {
      var here = atPlace[k];
      var place = { index: places.length, features: here, coords: here[0].geom.c,
        latlng: here[0].latlng, drawn: false };
      places.push(place);
      var radius = here.length < 2 ? 0 : Math.ceil((ICON / 2 + 2) / Math.sin(Math.PI / here.length));
      here.forEach(function (f, i) {
        var angle = -Math.PI / 2 + (2 * Math.PI * i) / here.length;
        f.offset = [Math.round(radius * Math.cos(angle)), Math.round(radius * Math.sin(angle))];
        f.marker = L.marker(f.latlng, { icon: markerIcon(f, f.offset), keyboard: true,
          riseOnHover: true });
        f.marker.geomapFeature = f;
        f.place = place;
      });
    });

    var group = L.featureGroup().addTo(map);
    features.forEach(function (f) { f.layer = f.marker || f.line; });

    /** Show or hide a feature (its `shown` events already set); markers are drawn by
     * `refresh`, as themselves or inside a cluster. */
    function setShown(feature, on) {
      if (on && feature.line) restyle(feature);
      if (on === feature.onMap) return;
      var layers = feature.marker ? feature.extras : feature.extras.concat([feature.layer]);
      layers.forEach(function (x) { if (on) group.addLayer(x); else group.removeLayer(x); });
      feature.onMap = on;
      if (feature.marker) stale();
    }

    /* ---- Clusters: one point per place with shown markers, merged where they would overlap ---- */

    var index = null;        // supercluster over the places with shown markers
    var dirty = true;        // the shown set changed since the index was built
    var drawnKey = null;     // the zoom and area the markers on the map were drawn for
    var drawnMarkers = [];   // point markers and cluster markers on the map now
    var clusterMarkers = Object.create(null);  // cluster id -> marker, for this index
    var pending = false;
    var clustersNow = [];    // ids of the clusters drawn now
    var inClusters = null;   // place index -> true, for the clusters drawn now (lazily)

    function stale() {
      dirty = true;
      if (pending) return;
      pending = true;
      Promise.resolve().then(function () { pending = false; refresh(); });
    }

    function buildIndex() {
      var points = [];
      places.forEach(function (place) {
        var on = place.features.filter(function (f) { return f.onMap; });
        place.on = on;
        if (!on.length) return;
        var perKind = Object.create(null);
        var count = 0;
        on.forEach(function (f) {
          perKind[f.kind] = (perKind[f.kind] || 0) + f.shown.length;
          count += f.shown.length;
        });
        points.push({ type: "Feature", geometry: { type: "Point", coordinates: place.coords },
          properties: { place: place.index, count: count, kinds: perKind } });
      });
      /* extent 256 makes supercluster's zoom levels and pixel radius Leaflet's. */
      index = new Supercluster({ radius: CLUSTER_RADIUS, extent: 256, maxZoom: CLUSTER_MAX_ZOOM,
        map: function (p) { return { count: p.count, kinds: Object.assign({}, p.kinds) }; },
        reduce: function (acc, p) {
          acc.count += p.count;
          Object.keys(p.kinds).forEach(function (k) { acc.kinds[k] = (acc.kinds[k] || 0) + p.kinds[k]; });
        } });
      index.load(points);
      Object.keys(clusterMarkers).forEach(function (id) { group.removeLayer(clusterMarkers[id]); });
      clusterMarkers = Object.create(null);
      dirty = false;
      drawnKey = null;
    }

    /** What a cluster holds, for its accessible name and title: "12 events, click to zoom
     * (Shipment 8, Flight 4)". */
    function clusterName(props) {
      var parts = Object.keys(props.kinds).sort(function (a, b) {
        return props.kinds[b] - props.kinds[a];
      }).map(function (k) { return kinds[k].label + " " + props.kinds[k]; });
      return props.count + " events, click to zoom (" + parts.join(", ") + ")";
    }

    /* A ring split by kind (colours in proportion to the events of each), the count inside. */
    function clusterIcon(props) {
      var size = props.count < 10 ? 26 : props.count < 100 ? 30 : props.count < 1000 ? 34 : 38;
      var stops = [], at = 0;
      Object.keys(props.kinds).sort().forEach(function (k) {
        var next = at + (100 * props.kinds[k]) / props.count;
        stops.push(kinds[k].color + " " + at.toFixed(2) + "% " + next.toFixed(2) + "%");
        at = next;
      });
      var box = ui.el("span", "gm-cluster-ring");
      box.style.background = "conic-gradient(" + stops.join(", ") + ")";
      box.appendChild(ui.el("span", "gm-cluster-count", String(props.count)));
      return L.divIcon({ html: box, className: "gm-cluster", iconSize: [size, size] });
    }

    function clusterMarker(item) {
      var id = item.properties.cluster_id;
      if (clusterMarkers[id]) return clusterMarkers[id];
      var c = item.geometry.coordinates;
      var latlng = L.latLng(c[1], c[0]);
      var marker = L.marker(latlng, { icon: clusterIcon(item.properties), keyboard: true,
        riseOnHover: true, zIndexOffset: 1000 });
      var name = clusterName(item.properties);
      marker.geomapCluster = item;
      marker.on("add", function () {
        marker.getElement().setAttribute("aria-label", name);
        marker.getElement().title = name;
      });
      function expand(e, fromKeyboard) {
        L.DomEvent.stop(e.originalEvent);
        var zoom = Math.min(index.getClusterExpansionZoom(id), map.getMaxZoom());
        map.setView(latlng, Math.max(zoom, map.getZoom() + 1), { animate: false });
        refresh();
        if (fromKeyboard) focusNear(map.latLngToContainerPoint(latlng));
      }
      marker.on("click", function (e) {
        expand(e, e.originalEvent && e.originalEvent.detail === 0);
      });
      marker.on("keydown", function (e) {
        var key = e.originalEvent.key;
        if (key === "Enter" || key === " ") expand(e, true);
      });
      clusterMarkers[id] = marker;
      return marker;
    }

    /** Focus the drawn marker or cluster nearest a container point (after zooming into a
     * cluster from the keyboard, so the reader carries on from where it was). */
    function focusNear(point) {
      var best = null, bestDistance = Infinity;
      drawnMarkers.forEach(function (m) {
        var d = map.latLngToContainerPoint(m.getLatLng()).distanceTo(point);
        if (d < bestDistance && m.getElement()) { best = m; bestDistance = d; }
      });
      if (best) best.getElement().focus({ preventScroll: true });
    }

    /** Draw the shown places in and around the view at this zoom: each alone (its ring of
     * markers) or in a cluster with the places it would overlap. */
    function refresh() {
      if (dirty) buildIndex();
      var zoom = Math.round(map.getZoom());
      var area = map.getBounds().pad(0.5);
      var key = zoom + " " + area.toBBoxString();
      if (key === drawnKey) return;
      drawnKey = key;
      var west = area.getWest(), east = area.getEast();
      if (east - west >= 360) { west = -180; east = 180; }
      var items = index.getClusters([west, Math.max(area.getSouth(), -90), east,
        Math.min(area.getNorth(), 90)], zoom);
      var want = [];
      places.forEach(function (place) { place.drawn = false; });
      clustersNow = [];
      inClusters = null;
      items.forEach(function (item) {
        if (item.properties.cluster) {
          want.push(clusterMarker(item));
          clustersNow.push(item.properties.cluster_id);
        } else {
          var place = places[item.properties.place];
          place.drawn = true;
          place.on.forEach(function (f) { want.push(f.marker); });
        }
      });
      var keep = new Set(want);
      drawnMarkers.forEach(function (m) {
        if (!keep.has(m) && !(m.geomapFeature && m.geomapFeature.fading)) group.removeLayer(m);
      });
      want.forEach(function (m) { if (!group.hasLayer(m)) group.addLayer(m); });
      drawnMarkers = want;
    }
    map.on("zoomend moveend", function () { if (index) refresh(); });

    /** Whether a shown feature is drawn now, as itself or inside a cluster's count. */
    function drawn(feature) {
      if (!feature.onMap) return false;
      if (!feature.marker) return map.hasLayer(feature.layer);
      refresh();
      if (feature.place.drawn) return true;
      if (!inClusters) {  // the places inside the drawn clusters, found only when asked
        inClusters = Object.create(null);
        clustersNow.forEach(function (id) {
          index.getLeaves(id, Infinity).forEach(function (leaf) {
            inClusters[leaf.properties.place] = true;
          });
        });
      }
      return !!inClusters[feature.place.index];
    }

    /** The least zoom, at or above the current one, at which a point feature's place is drawn
     * on its own rather than inside a cluster. */
    function revealZoom(feature) {
      var zoom = Math.round(map.getZoom());
      if (!feature.marker) return zoom;
      if (dirty) buildIndex();
      var c = feature.place.coords;
      for (var z = zoom; z <= CLUSTER_MAX_ZOOM; z++) {
        var pad = (4 * CLUSTER_RADIUS * 360) / (256 * Math.pow(2, z));
        var near = index.getClusters([c[0] - pad, Math.max(c[1] - pad, -90), c[0] + pad,
          Math.min(c[1] + pad, 90)], z);
        var alone = near.some(function (item) {
          return !item.properties.cluster && item.properties.place === feature.place.index;
        });
        if (alone) return z;
      }
      return CLUSTER_MAX_ZOOM + 1;
    }

    /** Playback's trail: a feature whose events the window just passed, drawn at `opacity`
     * (0: not drawn, or in full if shown), neither interactive nor counted (`onMap` stays). */
    function fade(feature, opacity) {
      feature.fading = opacity || 0;  // kept on the map by `refresh` while it fades
      var parts = [feature.layer].concat(feature.extras.filter(function (x) {
        return x instanceof L.Path;
      }));
      parts.forEach(function (x) {
        if (!feature.onMap) { if (opacity) group.addLayer(x); else group.removeLayer(x); }
        if (x === feature.marker) { x.setOpacity(opacity || 1); return; }
        var base = x.geomapBase || (x.geomapBase = { opacity: x.options.opacity,
          fillOpacity: x.options.fillOpacity });
        x.setStyle({ opacity: base.opacity * (opacity || 1),
          fillOpacity: base.fillOpacity * (opacity || 1) });
      });
      var icon = feature.marker && feature.marker.getElement();
      if (icon) {
        icon.classList.toggle("gm-fading", !!opacity);
        if (opacity) icon.setAttribute("aria-hidden", "true"); else icon.removeAttribute("aria-hidden");
        icon.tabIndex = opacity ? -1 : 0;
      }
    }

    /** The feature's anchor on screen: a marker's icon centre, or a point on its line. */
    function anchorPoint(feature) {
      if (feature.marker) {
        return map.latLngToContainerPoint(feature.latlng).add(L.point(feature.offset));
      }
      var pts = feature.line.getLatLngs();
      pts = pts.length && Array.isArray(pts[0]) ? pts.slice(0, feature.ownParts) : [pts];
      var flat = [].concat.apply([], pts);  // the route itself, not its copy one world over
      return map.latLngToContainerPoint(flat[Math.floor(flat.length / 2)]);
    }

    function anchorLatLng(feature) {
      return map.containerPointToLatLng(anchorPoint(feature));
    }

    /** The shown features under a container point: markers whose glyph covers it, lines that
     * pass within a few pixels. */
    function hitsAt(point) {
      refresh();
      var hits = [];
      features.forEach(function (f) {
        if (!f.onMap) return;
        if (f.marker) {
          if (!map.hasLayer(f.marker)) return;  // inside a cluster, or far out of view
          var c = anchorPoint(f);
          if (Math.abs(c.x - point.x) <= ICON / 2 && Math.abs(c.y - point.y) <= ICON / 2) hits.push(f);
          return;
        }
        var parts = f.line.getLatLngs();
        if (parts.length && !Array.isArray(parts[0])) parts = [parts];
        var near = parts.some(function (part) {
          var prev = null;
          return part.some(function (ll) {
            var p = map.latLngToContainerPoint(ll);
            var hit = prev && L.LineUtil.pointToSegmentDistance(point, prev, p) <=
              Math.max(TOLERANCE, f.width / 2 + 2);
            prev = p;
            return hit;
          });
        });
        if (near) hits.push(f);
      });
      return hits;
    }

    function bounds(list) {
      var b = L.latLngBounds([]);
      list.forEach(function (f) { b.extend(f.latlng || f.bounds); });
      return b;
    }

    return {
      group: group, features: features, featureOf: featureOf, setShown: setShown, fade: fade,
      anchorPoint: anchorPoint, anchorLatLng: anchorLatLng, hitsAt: hitsAt, bounds: bounds,
      drawn: drawn, revealZoom: revealZoom, routeWidth: routeWidth
    };
  }

  page.layers = { create: create };
})(window.geomapPage = window.geomapPage || {});
