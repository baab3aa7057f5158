/* geomap layers: the events drawn on the Leaflet map, and what lies under a pixel.
 *
 * Point events with the same geometry, origin, kind, confidence and precision are one feature
 * (they would be drawn on top of each other anyway); events on one route geometry are one line,
 * whose width grows with the number of shown events on it. A feature is drawn only with its own
 * events' geometry. Points are glyph markers (focusable, the kind shown by shape as well as
 * colour), made only when first drawn; routes and travel lines are drawn by one canvas (a
 * subclass of Leaflet's canvas renderer that draws plain arrays, with no Leaflet object per
 * feature), which also finds the route under the pointer. Kinds at one place sit side by side
 * on a small ring, through the markers' icon anchors. Places whose markers would overlap on
 * screen are drawn as one count-labelled cluster (supercluster), which a click or Enter zooms
 * into until they separate.
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

  /** A route's parts (flat [lon, lat, ...] arrays) and, for a part running past ±180° (joined
   * across the antimeridian), its copy one world over, so the line is whole whichever copy of
   * the world is in view. */
  function wrapped(parts) {
    var copies = [];
    parts.forEach(function (part) {
      var west = Infinity, east = -Infinity;
      for (var i = 0; i < part.length; i += 2) {
        if (part[i] < west) west = part[i];
        if (part[i] > east) east = part[i];
      }
      [[east > 180, -360], [west < -180, 360]].forEach(function (shift) {
        if (!shift[0]) return;
        var copy = Float64Array.from(part);
        for (var k = 0; k < copy.length; k += 2) copy[k] += shift[1];
        copies.push(copy);
      });
    });
    return parts.concat(copies);
  }

  var MAX_LAT = 85.0511287798;  // Web Mercator's edge, where Leaflet clamps latitudes

  /** A longitude and latitude in Web Mercator pixels at zoom 0 (a world 256 px wide), as
   * Leaflet's EPSG:3857 projects them; at zoom z a point is these times 2^z. */
  function worldX(lon) { return 256 * (0.5 + lon / 360); }
  function worldY(lat) {
    var s = Math.sin(Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI / 180);
    return 256 * (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI));
  }

  /** The latitude of a zoom-0 pixel row (`worldY`'s inverse). */
  function latOf(y) {
    return (360 / Math.PI) * Math.atan(Math.exp(Math.PI * (1 - y / 128))) - 90;
  }

  /** Flat lon/lat parts as flat arrays of zoom-0 pixels, with their pixel bounding box. */
  function projectParts(parts) {
    var box = [Infinity, Infinity, -Infinity, -Infinity];
    var out = parts.map(function (part) {
      var xy = new Float64Array(part.length);
      for (var i = 0; i < part.length; i += 2) {
        var x = worldX(part[i]), y = worldY(part[i + 1]);
        xy[i] = x; xy[i + 1] = y;
        if (x < box[0]) box[0] = x;
        if (y < box[1]) box[1] = y;
        if (x > box[2]) box[2] = x;
        if (y > box[3]) box[3] = y;
      }
      return xy;
    });
    return { parts: out, box: box };
  }

  /** The two arrowheads a directed line carries, as the polylineDecorator drew them: at half
   * its pixel length (11 px) and at its end (9 px), arms 30° either side of the heading; each a
   * flat [x, y, ...] array from one arm's end through the tip to the other's. */
  function arrowHeads(parts) {
    var out = [];
    parts.forEach(function (pts) { arrowHead(out, pts, pts.length / 2); });
    return out;
  }

  function arrowHead(out, pts, n) {
    var total = 0, i;
    for (i = 1; i < n; i++) total += Math.hypot(pts[2 * i] - pts[2 * i - 2], pts[2 * i + 1] - pts[2 * i - 1]);
    if (!(total > 0)) return;
    [[0.5, 11], [1, 9]].forEach(function (head) {
      var want = total * head[0], run = 0;
      for (i = 1; i < n; i++) {
        var ax = pts[2 * i - 2], ay = pts[2 * i - 1], bx = pts[2 * i], by = pts[2 * i + 1];
        var d = Math.hypot(bx - ax, by - ay);
        if (d === 0) continue;
        if (run + d >= want || i === n - 1) {
          var r = Math.min(1, (want - run) / d);
          var tx = ax + r * (bx - ax), ty = ay + r * (by - ay);
          var angle = Math.atan2(by - ay, bx - ax), arm = Math.PI / 6, size = head[1];
          out.push(Float64Array.of(tx - size * Math.cos(angle - arm), ty - size * Math.sin(angle - arm),
            tx, ty, tx - size * Math.cos(angle + arm), ty - size * Math.sin(angle + arm)));
          return;
        }
        run += d;
      }
    });
  }

  function dashOf(text) {
    return text ? String(text).split(/[, ]+/).map(Number).filter(function (n) { return n >= 0; }) : [];
  }

  /** The dash that, stroked with flat ends, covers what `dash` covers with round ends
   * `width` wide: each dash longer by the width, each gap shorter (solid when they close). */
  function flatDash(dash, width) {
    var pairs = dash.length % 2 ? dash.concat(dash) : dash, out = [], open = false;
    for (var i = 0; i < pairs.length; i += 2) {
      out.push(pairs[i] + width, Math.max(0, pairs[i + 1] - width));
      open = open || pairs[i + 1] > width;
    }
    return open ? out : [];
  }

  var BATCH = 300;  // routes in view past which lines of one style are stroked together
  var CHUNK = 64;    // routes in one stroke at most (a longer path rasterises more slowly)

  /** Add parts (flat pixel arrays) to the canvas path. */
  function trace(ctx, parts) {
    parts.forEach(function (pts) {
      ctx.moveTo(pts[0], pts[1]);
      for (var i = 2; i < pts.length; i += 2) ctx.lineTo(pts[i], pts[i + 1]);
    });
  }

  /** A flat pixel array simplified as Leaflet simplifies a polyline (smoothFactor 1): the
   * vertices more than a pixel from the last kept, then Douglas-Peucker to within a pixel. */
  function simplify(pts) {
    var n = pts.length / 2, near = new Int32Array(n), m = 1, i;
    for (i = 1; i < n; i++) {
      var j = near[m - 1];
      var dx = pts[2 * i] - pts[2 * j], dy = pts[2 * i + 1] - pts[2 * j + 1];
      if (dx * dx + dy * dy > 1 || i === n - 1) near[m++] = i;
    }
    var mark = new Uint8Array(m), kept = m;
    mark.fill(1);
    if (m >= 3) {
      mark.fill(0);
      mark[0] = mark[m - 1] = 1;
      kept = 2;
      var stack = [0, m - 1];
      while (stack.length) {
        var last = stack.pop(), first = stack.pop();
        var ax = pts[2 * near[first]], ay = pts[2 * near[first] + 1];
        var bx = pts[2 * near[last]] - ax, by = pts[2 * near[last] + 1] - ay;
        var len = bx * bx + by * by, worst = 1, at = -1;
        for (i = first + 1; i < last; i++) {
          var px = pts[2 * near[i]] - ax, py = pts[2 * near[i] + 1] - ay;
          var t = len ? Math.max(0, Math.min(1, (px * bx + py * by) / len)) : 0;
          var ex = px - t * bx, ey = py - t * by, d = ex * ex + ey * ey;
          if (d > worst) { worst = d; at = i; }
        }
        if (at >= 0) { mark[at] = 1; kept++; stack.push(first, at, at, last); }
      }
    }
    var out = new Float64Array(2 * kept);
    for (var k = 0, o = 0; k < m; k++) {
      if (!mark[k]) continue;
      out[o++] = pts[2 * near[k]];
      out[o++] = pts[2 * near[k] + 1];
    }
    return out;
  }

  /** One stroke [colour, width, dash, alpha, parts or a list of them], stroked once. */
  function stroke(ctx, st) {
    ctx.beginPath();
    (st[5] || [st[4]]).forEach(function (parts) { trace(ctx, parts); });
    ctx.strokeStyle = st[0];
    ctx.lineWidth = st[1];
    ctx.setLineDash(st[2]);
    ctx.globalAlpha = st[3];
    ctx.stroke();
  }

  /** Strokes of one colour, width, dash and alpha merged into one, in order of first use. */
  function batch(strokes) {
    var byStyle = new Map(), out = [];
    strokes.forEach(function (st) {
      var key = st[0] + " " + st[1] + " " + st[2].join(",") + " " + st[3];
      var to = byStyle.get(key);
      if (!to || to[5].length >= CHUNK) {
        byStyle.set(key, to = st.slice(0, 4).concat([null, []]));
        out.push(to);
      }
      to[5].push(st[4]);
    });
    return out;
  }

  var DENSE = 30;  // times over the strokes paint their pixels, past which covered ones are sought

  /** Batched strokes without those that draw nothing in the canvas (`bounds`), and where they
   * crowd (the world view of 20,000 routes), without the routes or arrowheads wholly under three
   * or more later solid strokes of alpha 0.9 or more, which would change no pixel by a visible
   * amount (geomapCore.occluded). Less crowded, seeking them costs more than it saves. */
  function hideCovered(strokes, bounds) {
    var x = Math.floor(bounds.min.x), y = Math.floor(bounds.min.y);
    var box = [x, y, Math.ceil(bounds.max.x) - x, Math.ceil(bounds.max.y) - y];
    var calls = strokes.map(function (st) {
      return { width: st[1], covers: !st[2].length && st[3] >= 0.9, items: st[5] };
    });
    if (geomapCore.overdraw(calls, box) < DENSE) calls.forEach(function (call) { call.covers = false; });
    var hidden = geomapCore.occluded(calls, box, 3);
    return strokes.map(function (st, k) {
      return st.slice(0, 5).concat([st[5].filter(function (parts, i) { return !hidden[k][i]; })]);
    });
  }

  /** One canvas that draws every route and travel line (Leaflet's canvas renderer, positioned
   * and zoom-animated as Leaflet's own, but drawing plain arrays instead of a Leaflet path per
   * feature): only what meets the padded view is projected, each route's halo under its
   * arrows under its line. `source()` gives the features to draw, in order. */
  var LineCanvas = L.Canvas.extend({
    _draw: function () {
      var map = this._map, ctx = this._ctx, b = this._bounds;
      if (!map || !b) return;
      var scale = map.options.crs.scale(map.getZoom()) / 256;
      var origin = map.getPixelOrigin();
      var west = (b.min.x + origin.x) / scale, north = (b.min.y + origin.y) / scale;
      var east = (b.max.x + origin.x) / scale, south = (b.max.y + origin.y) / scale;
      /* Paths projected and simplified for this view are kept until the view changes: a
       * filter change, a hover or the trail only strokes again. */
      var view = scale + " " + origin.x + " " + origin.y;
      if (this._pathsView !== view) { this._pathsView = view; this._paths = new Map(); }
      var paths = this._paths, drawn = [];
      this.options.source().forEach(function (f) {
        var look = f.look, box = f.xy && f.xy.box;
        if (!look || box[0] > east || box[2] < west || box[1] > south || box[3] < north) return;
        var path = paths.get(f);
        if (!path) {
          var parts = f.xy.parts.map(function (xy) {
            var pts = new Float64Array(xy.length);
            for (var i = 0; i < xy.length; i += 2) {
              pts[i] = xy[i] * scale - origin.x;
              pts[i + 1] = xy[i + 1] * scale - origin.y;
            }
            return simplify(pts);
          });
          paths.set(f, path = { parts: parts, heads: arrowHeads(parts) });
        }
        drawn.push({ look: look, parts: path.parts, heads: path.heads, alpha: f.fading || 1, lit: f.lit });
      });
      /* Each route's halo under its line, in order, so crossing lines stay apart; past a few
       * hundred, one stroke per style, no halos (under a batch of lines they would only pale
       * the ground beneath all of them, at half the cost of drawing) and flat ends and corners
       * with dashes lengthened to cover as much (round ones, lost in the crowd, make it 20-80%
       * slower to rasterise). Arrowheads go over every line, as Leaflet drew the decorators'. */
      var strokes = [], heads = [], halos = drawn.length <= BATCH;
      drawn.forEach(function (d) {
        if (d.look.halo && halos) strokes.push(["#fff", d.look.width + 3, [], 0.7 * d.alpha, d.parts]);
        var width = d.look.width + (d.lit ? 3 : 0);
        strokes.push([d.look.color, width, halos ? d.look.dash : flatDash(d.look.dash, width),
          d.look.opacity * d.alpha, d.parts]);
        heads.push([d.look.color, 2.5, [], 0.9 * d.alpha, d.heads]);
      });
      if (!halos) strokes = hideCovered(batch(strokes).concat(batch(heads)), b);
      else strokes = strokes.concat(heads);
      ctx.save();
      ctx.lineCap = halos ? "round" : "butt";
      ctx.lineJoin = halos ? "round" : "bevel";
      strokes.forEach(function (st) { stroke(ctx, st); });
      ctx.restore();
    },

    _redraw: function () {
      if (this._redrawRequest) L.Util.cancelAnimFrame(this._redrawRequest);
      L.Canvas.prototype._redraw.call(this);
    },

    /** Hovering a route: `hover(feature or null, event)` for the one on top under the pointer. */
    _onMouseMove: function (e) {
      var map = this._map;
      if (!map || map.dragging.moving() || map._animatingZoom) return;
      var hit = this.options.hitAt(map.mouseEventToContainerPoint(e));
      L.DomUtil[hit ? "addClass" : "removeClass"](this._container, "leaflet-interactive");
      this.options.hover(hit, e);
      this._fireEvent(false, e);  // the map's own mousemove, as Leaflet's canvas fires it
    },

    _handleMouseOut: function (e) {
      if (this._container) L.DomUtil.removeClass(this._container, "leaflet-interactive");
      this.options.hover(null, e);
    },

    redraw: function () {
      if (this._map) this._redrawRequest = this._redrawRequest || L.Util.requestAnimFrame(this._redraw, this);
    }
  });

  /** The layers of the events on `map`. `onMarker(feature)` is called once for each point
   * feature's marker, when it is first drawn (markers are made only for what is drawn). */
  function create(map, doc, events, kinds, onMarker) {
    var hover = new L.Evented();  // "over", "move", "out" with {feature, latlng}, for routes and markers
    var lines = [];  // the features drawn on the line canvas (routes, and points' travel lines)
    var hovered = null;
    var canvas = new LineCanvas({ padding: 0.5, source: function () { return lines; },
      hitAt: function (point) {
        var hits = routeHits(point);
        return hits.length ? hits[hits.length - 1] : null;
      },
      hover: function (f, e) {
        var latlng = f && map.mouseEventToLatLng(e);
        if (f !== hovered && hovered) hover.fire("out", { feature: hovered });
        if (f && f !== hovered) hover.fire("over", { feature: f, latlng: latlng });
        else if (f) hover.fire("move", { feature: f, latlng: latlng });
        hovered = f;
      } });
    canvas.addTo(map);
    /* Rings drawn over the routes, in a pane that lets the pointer through to them. */
    map.createPane("geomapRings").style.zIndex = 401;
    map.getPane("geomapRings").style.pointerEvents = "none";
    var renderer = L.canvas({ padding: 0.5, pane: "geomapRings" });

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
        events: [], shown: [], extras: [], onMap: false, marker: null, look: null };
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
          feature.xy = projectParts(doc.geoms[ev.travel].parts);
          feature.travelLook = { color: kind.color, width: 1.5, opacity: 0.9, dash: [4, 5],
            halo: false };
          lines.push(feature);
        }
      } else {
        feature.xy = projectParts(wrapped(geom.parts));
        feature.color = kind.color;
        feature.width = 3;
        feature.routeLook = { color: kind.color, width: 3, opacity: 0.95, dash: dashOf(style.dash),
          halo: true };
        lines.push(feature);
      }
      return feature;
    }

    /** A route drawn for its shown events: its kind's colour (grey when kinds mix), the dash of
     * its best-attested event, and a width that grows with their number. */
    function restyle(feature) {
      var list = feature.shown.length ? feature.shown : feature.events;
      var seen = Object.create(null), count = 0;
      list.forEach(function (ev) { if (!seen[ev.kind]) { seen[ev.kind] = true; count++; } });
      var best = list.reduce(function (a, ev) { return ev.level > a.level ? ev : a; }, list[0]);
      var color = count === 1 ? kinds[list[0].kind].color : MIXED;
      feature.kind = count === 1 ? list[0].kind : feature.kind;
      feature.confidence = best.confidence;
      feature.width = routeWidth(list.length);
      feature.color = color;
      feature.routeLook = { color: color, width: feature.width, opacity: 0.95,
        dash: dashOf(doc.styles[best.confidence].dash), halo: true };
    }

    /** What the line canvas draws of a feature now (nothing when it is neither shown nor
     * fading). */
    function setLook(feature) {
      var on = feature.onMap || feature.fading;
      feature.look = on ? feature.routeLook || feature.travelLook || null : null;
    }

    var byKey = new Map();
    var features = [];
    var featureOf = new Array(events.length);
    events.forEach(function (ev) {
      var key = doc.geoms[ev.geom].t === "P" ? geomapDecode.featureKey(ev) : "route " + ev.geom;
      var f = byKey.get(key);
      if (!f) { byKey.set(key, f = makeFeature(ev, key)); features.push(f); }
      f.events.push(ev);
      featureOf[ev.index] = f;
    });
    features.forEach(function (f, i) { f.events.sort(geomapDecode.byDate); f.order = i; });

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
        f.place = place;
      });
    });

    var group = L.featureGroup().addTo(map);
    group.on("mouseover", function (e) {
      var f = e.layer.geomapFeature;
      if (f) hover.fire("over", { feature: f, latlng: e.latlng });
    });
    group.on("mouseout", function (e) {
      var f = e.layer.geomapFeature;
      if (f) hover.fire("out", { feature: f });
    });

    /** A point feature's marker, made when it is first drawn. */
    function markerOf(f) {
      if (f.marker) return f.marker;
      f.marker = L.marker(f.latlng, { icon: markerIcon(f, f.offset), keyboard: true,
        riseOnHover: true });
      f.marker.geomapFeature = f;
      if (onMarker) onMarker(f);
      return f.marker;
    }

    /** Show or hide a feature (its `shown` events already set): a flag for the line canvas,
     * which redraws once; markers are drawn by `refresh`, as themselves or inside a cluster. */
    function setShown(feature, on) {
      if (on && !feature.latlng) restyle(feature);
      if (on !== feature.onMap) {
        feature.extras.forEach(function (x) { if (on) group.addLayer(x); else group.removeLayer(x); });
        feature.onMap = on;
        if (feature.latlng) stale();
      }
      setLook(feature);
      if (feature.xy) canvas.redraw();
    }

    /* ---- Clusters: places with shown markers, merged where they would overlap ---- */

    /* One index over every place, built once: which places a cluster merges at a zoom does not
     * depend on the filters, only which of them have shown markers, so a filter change only
     * regroups the shown places under the index's nodes (rebuilding supercluster over the
     * shown places took 230 ms at 50,000). A node with one shown place is drawn as that place,
     * one with more as a cluster of them (their count, at their centre); one with none not. */
    var index = null;        // supercluster over every place, index = place index
    var parentOf = null;     // node id -> the cluster it is merged into
    var nodesAt = [];        // zoom -> Int32Array: place index -> its node at that zoom (lazily)
    var dirty = true;        // the shown set changed since the places were grouped
    var groupedAt = null;    // the zoom the shown places were grouped for
    var members = null;      // node id -> its places with shown markers, at `groupedAt`
    var drawnKey = null;     // the zoom and area the markers on the map were drawn for
    var drawnMarkers = [];   // point markers and cluster markers on the map now
    var clusterMarkers = Object.create(null);  // node id -> cluster marker, for this grouping
    var pending = false;
    var clustersNow = new Set();  // node ids of the clusters drawn now

    function stale() {
      dirty = true;
      if (pending) return;
      pending = true;
      Promise.resolve().then(function () { pending = false; refresh(); });
    }

    function buildIndex() {
      /* extent 256 makes supercluster's zoom levels and pixel radius Leaflet's. */
      index = new Supercluster({ radius: CLUSTER_RADIUS, extent: 256, maxZoom: CLUSTER_MAX_ZOOM });
      index.load(places.map(function (place) {
        return { type: "Feature", geometry: { type: "Point", coordinates: place.coords },
          properties: { place: place.index } };
      }));
      /* Each node's parent, from the index's levels (supercluster 9's layout, pinned: rows of
       * [x, y, zoom, id, parent id, count]; a cluster's id encodes the zoom it was made at). */
      parentOf = new Map();
      new Set(index.trees).forEach(function (tree) {
        var data = tree.data, stride = index.stride;  // its first numItems rows (it may be longer)
        for (var i = 0; i < tree.numItems * stride; i += stride) {
          if (data[i + 4] >= 0) parentOf.set(data[i + 3], data[i + 4]);
        }
      });
    }

    function madeAt(id) { return ((id - index.numPoints) % 32) - 1; }

    /** Each place's node at a zoom: the last cluster up its chain made at that zoom or above. */
    function nodes(zoom) {
      zoom = Math.min(zoom, CLUSTER_MAX_ZOOM + 1);
      if (!nodesAt[zoom]) {
        var out = nodesAt[zoom] = new Int32Array(places.length);
        for (var p = 0; p < places.length; p++) {
          var node = p, up = parentOf.get(p);
          while (up !== undefined && madeAt(up) >= zoom) { node = up; up = parentOf.get(up); }
          out[p] = node;
        }
      }
      return nodesAt[zoom];
    }

    /** The shown places grouped by their node at a zoom (node id -> places). */
    function grouped(zoom) {
      if (!index) buildIndex();
      if (dirty) {
        places.forEach(function (place) {
          place.on = place.features.filter(function (f) { return f.onMap; });
        });
        dirty = false;
        groupedAt = null;
      }
      if (groupedAt !== zoom) {
        var at = nodes(zoom);
        members = new Map();
        places.forEach(function (place) {
          if (!place.on.length) return;
          var list = members.get(at[place.index]);
          if (list) list.push(place); else members.set(at[place.index], [place]);
        });
        groupedAt = zoom;
        Object.keys(clusterMarkers).forEach(function (id) { group.removeLayer(clusterMarkers[id]); });
        clusterMarkers = Object.create(null);
        drawnKey = null;
      }
      return members;
    }

    /** The shown events of a cluster's places: {count, kinds: {kind: count}}. */
    function clusterHolds(list) {
      var holds = { count: 0, kinds: Object.create(null) };
      list.forEach(function (place) {
        place.on.forEach(function (f) {
          holds.kinds[f.kind] = (holds.kinds[f.kind] || 0) + f.shown.length;
          holds.count += f.shown.length;
        });
      });
      return holds;
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

    /** The least zoom above this one at which a node's shown places are not all in one node. */
    function expansionZoom(list, zoom) {
      for (var z = zoom + 1; z <= CLUSTER_MAX_ZOOM; z++) {
        var at = nodes(z), first = at[list[0].index];
        if (list.some(function (place) { return at[place.index] !== first; })) return z;
      }
      return CLUSTER_MAX_ZOOM + 1;
    }

    function clusterMarker(id, list, zoom) {
      if (clusterMarkers[id]) return clusterMarkers[id];
      /* At their centre in Web Mercator, as supercluster places a cluster. */
      var y = 0, lng = 0;
      list.forEach(function (place) { y += worldY(place.coords[1]); lng += place.coords[0]; });
      var latlng = L.latLng(latOf(y / list.length), lng / list.length);
      var holds = clusterHolds(list);
      var marker = L.marker(latlng, { icon: clusterIcon(holds), keyboard: true,
        riseOnHover: true, zIndexOffset: 1000 });
      var name = clusterName(holds);
      marker.on("add", function () {
        marker.getElement().setAttribute("aria-label", name);
        marker.getElement().title = name;
      });
      function expand(e, fromKeyboard) {
        L.DomEvent.stop(e.originalEvent);
        var to = Math.min(expansionZoom(list, zoom), map.getMaxZoom());
        map.setView(latlng, Math.max(to, map.getZoom() + 1), { animate: false });
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
      var zoom = Math.round(map.getZoom()), groups = grouped(zoom);
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
      clustersNow = new Set();
      items.forEach(function (item) {
        var id = item.properties.cluster ? item.properties.cluster_id : item.properties.place;
        var list = groups.get(id);
        if (!list) return;
        if (list.length > 1) {
          want.push(clusterMarker(id, list, zoom));
          clustersNow.add(id);
          return;
        }
        list[0].drawn = true;
        list[0].on.forEach(function (f) { want.push(markerOf(f)); });
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
      if (!feature.latlng) return true;
      refresh();
      if (feature.place.drawn) return true;
      return clustersNow.has(nodes(groupedAt)[feature.place.index]);
    }

    /** The least zoom, at or above the current one, at which a point feature's place is drawn
     * on its own rather than inside a cluster. */
    function revealZoom(feature) {
      var zoom = Math.round(map.getZoom());
      if (!feature.latlng) return zoom;
      grouped(zoom);
      for (var z = zoom; z <= CLUSTER_MAX_ZOOM; z++) {
        var at = nodes(z), mine = at[feature.place.index];
        var alone = !places.some(function (place) {
          return place !== feature.place && place.on.length && at[place.index] === mine;
        });
        if (alone) return z;
      }
      return CLUSTER_MAX_ZOOM + 1;
    }

    /** Playback's trail: a feature whose events the window just passed, drawn at `opacity`
     * (0: not drawn, or in full if shown), neither interactive nor counted (`onMap` stays). */
    function fade(feature, opacity) {
      feature.fading = opacity || 0;  // kept on the map by `refresh` while it fades
      setLook(feature);
      if (feature.xy) canvas.redraw();
      var parts = feature.extras.filter(function (x) { return x instanceof L.Path; });
      if (feature.latlng && (opacity || feature.marker)) parts.push(markerOf(feature));
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

    /** Highlight a route (drawn 3 px wider) or stop. */
    function highlight(feature, on) {
      feature.lit = on;
      canvas.redraw();
    }

    /** The feature's anchor on screen: a marker's icon centre, or a point on its line. */
    function anchorPoint(feature) {
      if (feature.latlng) {
        return map.latLngToContainerPoint(feature.latlng).add(L.point(feature.offset));
      }
      var flat = [].concat.apply([], feature.geom.c);  // the route itself, not its copy one world over
      var c = flat[Math.floor(flat.length / 2)];
      return map.latLngToContainerPoint([c[1], c[0]]);
    }

    function anchorLatLng(feature) {
      return map.containerPointToLatLng(anchorPoint(feature));
    }

    /** The shown routes passing within a few pixels of a container point, in drawing order:
     * their bounds first, then their segments in pixels. */
    function routeHits(point) {
      var scale = map.options.crs.scale(map.getZoom()) / 256;
      var origin = map.getPixelOrigin();
      var layer = map.containerPointToLayerPoint(point);
      var px = (layer.x + origin.x) / scale, py = (layer.y + origin.y) / scale;
      var hits = [];
      lines.forEach(function (f) {
        if (!f.onMap || f.latlng) return;
        var reach = Math.max(TOLERANCE, f.width / 2 + 2);
        var pad = reach / scale, box = f.xy.box;
        if (px < box[0] - pad || px > box[2] + pad || py < box[1] - pad || py > box[3] + pad) return;
        var near = f.xy.parts.some(function (xy) {
          for (var i = 1; i < xy.length / 2; i++) {
            var p = L.point(layer.x, layer.y);
            var a = L.point(xy[2 * i - 2] * scale - origin.x, xy[2 * i - 1] * scale - origin.y);
            var b = L.point(xy[2 * i] * scale - origin.x, xy[2 * i + 1] * scale - origin.y);
            if (L.LineUtil.pointToSegmentDistance(p, a, b) <= reach) return true;
          }
          return false;
        });
        if (near) hits.push(f);
      });
      return hits;
    }

    /** The shown features under a container point: markers whose glyph covers it, lines that
     * pass within a few pixels. */
    function hitsAt(point) {
      refresh();
      var hits = [];
      drawnMarkers.forEach(function (m) {
        var f = m.geomapFeature;
        if (!f || !f.onMap) return;
        var c = anchorPoint(f);
        if (Math.abs(c.x - point.x) <= ICON / 2 && Math.abs(c.y - point.y) <= ICON / 2) hits.push(f);
      });
      return hits.concat(routeHits(point)).sort(function (a, b) { return a.order - b.order; });
    }

    /** What draws a feature, for tests to read: its marker's place, or its route's parts (with
     * any copy one world over) as Leaflet lat/lngs. */
    function shape(feature) {
      if (!feature.shape) {
        feature.shape = feature.latlng ? { getLatLng: function () { return feature.latlng; } }
          : { getLatLngs: function () {
            return wrapped(feature.geom.parts).map(function (part) {
              var out = [];
              for (var i = 0; i < part.length; i += 2) out.push(L.latLng(part[i + 1], part[i]));
              return out;
            });
          } };
      }
      return feature.shape;
    }

    function bounds(list) {
      var b = L.latLngBounds([]);
      list.forEach(function (f) {
        if (f.latlng) { b.extend(f.latlng); return; }
        var box = [Infinity, Infinity, -Infinity, -Infinity];  // west, south, east, north
        f.geom.parts.forEach(function (part) {
          for (var i = 0; i < part.length; i += 2) {
            box[0] = Math.min(box[0], part[i]); box[2] = Math.max(box[2], part[i]);
            box[1] = Math.min(box[1], part[i + 1]); box[3] = Math.max(box[3], part[i + 1]);
          }
        });
        if (box[0] <= box[2]) b.extend([box[1], box[0]]).extend([box[3], box[2]]);
      });
      return b;
    }

    return {
      hover: hover, features: features, featureOf: featureOf, setShown: setShown, fade: fade,
      highlight: highlight, anchorPoint: anchorPoint, anchorLatLng: anchorLatLng, hitsAt: hitsAt,
      bounds: bounds, drawn: drawn, revealZoom: revealZoom, routeWidth: routeWidth, shape: shape
    };
  }

  page.layers = { create: create };
})(window.geomapPage = window.geomapPage || {});
