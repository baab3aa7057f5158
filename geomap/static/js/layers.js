/* geomap layers: the events drawn on the Leaflet map, and what lies under a pixel.
 *
 * Events with the same geometry, origin, kind, confidence and precision are one feature (they
 * would be drawn on top of each other anyway); a feature is drawn only with its own events'
 * geometry. Points are glyph markers (focusable, the kind shown by shape as well as colour);
 * routes are canvas lines. Kinds at one place sit side by side on a small ring, through the
 * markers' icon anchors (no Leaflet internals are changed).
 */
(function (page) {
  "use strict";

  var ui = page.ui;
  var TOLERANCE = 6;  // pixels around a line that count as "on" it
  var ICON = 24;      // marker size: a touch target of at least 24 px

  function latlngs(parts) {
    return parts.map(function (part) {
      return part.map(function (c) { return [c[1], c[0]]; });
    });
  }

  function create(map, doc, events, kinds) {
    var renderer = L.canvas({ padding: 0.5, tolerance: TOLERANCE });

    /* Offline basemap: country outlines beneath any tile layer, which covers it when it loads. */
    var basemap = document.getElementById("geomap-basemap");
    var outlines = Object.create(null);  // ISO 3166 alpha-2 -> GeoJSON feature
    if (basemap) {
      var countries = JSON.parse(basemap.textContent);
      countries.features.forEach(function (f) {
        if (f.properties && f.properties.iso_a2) outlines[f.properties.iso_a2] = f;
      });
      map.createPane("geomapBase").style.zIndex = 150;
      map.createPane("geomapAreas").style.zIndex = 350;
      map.getPane("geomapAreas").style.pointerEvents = "none";
      L.geoJSON(countries, {
        pane: "geomapBase", interactive: false,
        style: { color: "#9aa4ad", weight: 0.7, fillColor: "#f6f4ef", fillOpacity: 1 }
      }).addTo(map);
    }

    /* The outline of the country a region-precision event is known to, if it is a country. */
    function area(ev) {
      var last = ev.places.length ? doc.places[ev.places[ev.places.length - 1]] : null;
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
        feature.line = L.polyline(latlngs(geom.c), { color: kind.color, weight: 3,
          opacity: 0.95, dashArray: style.dash, renderer: renderer });
        feature.line.geomapFeature = feature;
        feature.extras.push(L.polyline(latlngs(geom.c), { color: "#fff", weight: 6,
          opacity: 0.7, interactive: false, renderer: renderer }));
        feature.extras = feature.extras.concat(arrows(geom.c, kind.color));
      }
      return feature;
    }

    var byKey = Object.create(null);
    var features = [];
    var featureOf = new Array(events.length);
    events.forEach(function (ev) {
      var key = geomapDecode.featureKey(ev);
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
    Object.keys(atPlace).forEach(function (k) {
      var here = atPlace[k];
      var radius = here.length < 2 ? 0 : Math.ceil((ICON / 2 + 2) / Math.sin(Math.PI / here.length));
      here.forEach(function (f, i) {
        var angle = -Math.PI / 2 + (2 * Math.PI * i) / here.length;
        f.offset = [Math.round(radius * Math.cos(angle)), Math.round(radius * Math.sin(angle))];
        f.marker = L.marker(f.latlng, { icon: markerIcon(f, f.offset), keyboard: true,
          riseOnHover: true });
        f.marker.geomapFeature = f;
      });
    });

    var group = L.featureGroup().addTo(map);
    features.forEach(function (f) { f.layer = f.marker || f.line; });

    function setShown(feature, on) {
      if (on === feature.onMap) return;
      var layers = feature.extras.concat([feature.layer]);
      layers.forEach(function (x) { if (on) group.addLayer(x); else group.removeLayer(x); });
      feature.onMap = on;
    }

    /** Playback's trail: a feature whose events the window just passed, drawn at `opacity`
     * (0: not drawn, or in full if shown), neither interactive nor counted (`onMap` stays). */
    function fade(feature, opacity) {
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
      var flat = [].concat.apply([], pts.length && Array.isArray(pts[0]) ? pts : [pts]);
      return map.latLngToContainerPoint(flat[Math.floor(flat.length / 2)]);
    }

    function anchorLatLng(feature) {
      return map.containerPointToLatLng(anchorPoint(feature));
    }

    /** The shown features under a container point: markers whose glyph covers it, lines that
     * pass within a few pixels. */
    function hitsAt(point) {
      var hits = [];
      features.forEach(function (f) {
        if (!f.onMap) return;
        if (f.marker) {
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
            var hit = prev && L.LineUtil.pointToSegmentDistance(point, prev, p) <= TOLERANCE;
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
      list.forEach(function (f) { b.extend(f.latlng || f.line.getBounds()); });
      return b;
    }

    return {
      group: group, features: features, featureOf: featureOf, setShown: setShown, fade: fade,
      anchorPoint: anchorPoint, anchorLatLng: anchorLatLng, hitsAt: hitsAt, bounds: bounds
    };
  }

  page.layers = { create: create };
})(window.geomapPage = window.geomapPage || {});
