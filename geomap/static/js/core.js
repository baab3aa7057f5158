/* geomap core: folding typed text, partial dates, the filter criteria and the page address.
 *
 * Pure functions, no Leaflet and no DOM, so that `node --test tests/js/` checks them on the same
 * JSON cases (tests/cases/) as the Python filters: the command line and the page cannot drift.
 * Loaded by a browser it defines the global `geomapCore`; in Node, `require()` returns it.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.geomapCore = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  /* ---- Folding: the same key as Python's geomap.gazetteer.fold ---- */

  /* Where String.prototype.toLowerCase differs from Python's str.casefold (after NFKD). */
  var CASEFOLD = {
    "ς": "σ", "ß": "ss", "ᲀ": "в", "ᲁ": "д", "ᲂ": "о", "ᲃ": "с", "ᲄ": "т", "ᲅ": "т",
    "ᲆ": "ъ", "ᲇ": "ѣ", "ᲈ": "ꙋ"
  };
  /* What Python's str.split() splits on. */
  // eslint-disable-next-line no-control-regex -- Python splits on these separators too
  var SPACE = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

  /* Whether a mark has a non-zero canonical combining class (Python's unicodedata.combining):
   * canonical ordering moves such a mark before U+0345, whose class (240) is the highest. */
  function combining(mark) {
    return mark === "\u0345" || ("\u0345" + mark).normalize("NFD")[0] !== "\u0345";
  }

  function cherokee(c) {
    var code = c.charCodeAt(0);
    return String.fromCharCode(code >= 0xab70 ? code - 0x97d0 : code - 8);
  }

  /** A lookup key: accents stripped, case folded, white space collapsed (as in Python). */
  function fold(text) {
    return String(text).normalize("NFKD")
      .replace(/\p{M}/gu, function (m) { return combining(m) ? "" : m; })
      .toLowerCase()
      .replace(/[ςßᲀ-ᲈ]/g, function (c) { return CASEFOLD[c]; })
      .replace(/[\uab70-\uabbf\u13f8-\u13fd]/g, cherokee)
      .split(SPACE).filter(Boolean).join(" ");
  }

  /* ---- Partial dates ---- */

  var DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /* Days in a month (1-12) of the proleptic Gregorian calendar, as Date counts them; by rule
   * rather than through a Date, which at 200,000 dates took 40 ms of a page's load. */
  function monthDays(year, month) {
    if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
    return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  }

  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as {iso, first, last} (ISO days), or null. */
  function parseDate(text) {
    var m = DATE.exec(String(text).trim());
    if (!m) return null;
    var year = +m[1], month = m[2] ? +m[2] : 0, day = m[3] ? +m[3] : 0;
    if (year < 1000) return null;
    if (m[2] && (month < 1 || month > 12)) return null;
    if (m[3] && (day < 1 || day > monthDays(year, month))) return null;
    var iso = m[3] ? m[1] + "-" + m[2] + "-" + m[3] : m[2] ? m[1] + "-" + m[2] : m[1];
    var first = m[1] + "-" + pad(month || 1) + "-" + pad(day || 1);
    var lastMonth = month || 12;
    var last = m[1] + "-" + pad(lastMonth) + "-" + pad(day || monthDays(year, lastMonth));
    return { iso: iso, first: first, last: last };
  }

  /** The first and last day an event dated `date` (to `endDate`, may be "") may have been on. */
  function span(date, endDate) {
    var from = parseDate(date);
    var to = endDate ? parseDate(endDate) : from;
    return from && to ? [from.first, to.last] : null;
  }

  /** Whether [start, end] meets [lo, hi]; a missing bound is open. ISO days compare as text. */
  function overlaps(start, end, lo, hi) {
    return (!lo || end >= lo) && (!hi || start <= hi);
  }

  var YEARS = /^\s*(\d{4})\s*(?:(?:-|–|\.\.)\s*(\d{4}))?\s*$/;

  /** `2020` -> [2020, 2020]; `2020-2021`, `2020–2021`, `2020..2021` -> [2020, 2021]; else null. */
  function parseYears(text) {
    var m = YEARS.exec(String(text));
    if (!m) return null;
    var first = +m[1], last = m[2] ? +m[2] : first;
    return last < first ? null : [first, last];
  }

  /* ---- Criteria: the command line's options, as the page applies them ---- */

  /**
   * Compile CLI-shaped options into criteria for `matches`.
   *
   * options: {year: [...], since, until, actor: [...], kind: [...] or null (all), confidence,
   *   place: [...], near: "LAT,LON,KM", bbox: "W,S,E,N", within: [...], where: ["COL=VALUE"]},
   *   raw strings as typed or read from the address.
   * vocab: {kinds: [ids], levels: [weakest first], places: [{keys: [folded]}],
   *   areas: [{keys: [folded]}], attributes: [column names]}.
   * Values the page cannot use are dropped and listed in `ignored`, each as [option, value].
   */
  function criteria(options, vocab) {
    var out = { years: [], since: "", until: "", actors: [], kinds: null, minLevel: 0,
      places: null, minOrigins: 0, near: null, bbox: null, within: [], where: [], ignored: [] };
    (options.year || []).forEach(function (text) {
      var y = parseYears(text);
      if (y) out.years.push(y); else out.ignored.push(["year", text]);
    });
    if (options.since) {
      var since = parseDate(options.since);
      if (since) out.since = since.first; else out.ignored.push(["since", options.since]);
    }
    if (options.until) {
      var until = parseDate(options.until);
      if (until && !(out.since && until.last < out.since)) out.until = until.last;
      else out.ignored.push(["until", options.until]);
    }
    (options.actor || []).forEach(function (name) {
      var key = fold(name);
      if (key && out.actors.indexOf(key) < 0) out.actors.push(key);
    });
    if (options.kind) {
      out.kinds = [];
      options.kind.forEach(function (kind) {
        if (vocab.kinds.indexOf(kind) >= 0) {
          if (out.kinds.indexOf(kind) < 0) out.kinds.push(kind);
        } else {
          out.ignored.push(["kind", kind]);
        }
      });
    }
    if (options.confidence) {
      var level = vocab.levels.indexOf(options.confidence);
      if (level >= 0) out.minLevel = level; else out.ignored.push(["confidence", options.confidence]);
    }
    if (options.origins) {
      var origins = /^[1-9]\d{0,3}$/.test(options.origins) ? +options.origins : 0;
      if (origins) out.minOrigins = origins; else out.ignored.push(["origins", options.origins]);
    }
    if (options.place && options.place.length) {
      out.places = [];
      options.place.forEach(function (text) {
        var key = fold(text);
        var found = -1;
        (vocab.places || []).forEach(function (place, i) {
          if (found < 0 && place.keys.indexOf(key) >= 0) found = i;
        });
        if (found >= 0) out.places.push(found); else out.ignored.push(["place", text]);
      });
    }
    spatial(options, vocab, out);
    return out;
  }

  /* ---- Space and the dataset's own columns (geomap.filters' --near, --bbox, --within,
   * --where): the same tests and formulas. An event's stop coordinates, the areas its stops lie
   * in and its folded column values come from Python (payload.py). ---- */

  /* A decimal number as written on the command line (Python's float() takes a few more forms,
   * such as 1_000, which the page does not). */
  var NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

  /** `count` comma-separated finite numbers, or null. */
  function numbers(text, count) {
    var parts = String(text).split(",").map(function (p) { return p.trim(); });
    if (parts.length !== count || !parts.every(function (p) { return NUMBER.test(p); })) return null;
    var values = parts.map(Number);
    return values.every(isFinite) ? values : null;
  }

  /** `LAT,LON,KM` -> [lat, lon, km], or null (parse_near's ranges). */
  function parseNear(text) {
    var v = numbers(text, 3);
    if (!v || !(v[0] >= -90 && v[0] <= 90 && v[1] >= -180 && v[1] <= 180 && v[2] >= 0)) {
      return null;
    }
    return v;
  }

  /** `W,S,E,N` -> [w, s, e, n], or null; W > E crosses the antimeridian (parse_bbox's ranges). */
  function parseBbox(text) {
    var v = numbers(text, 4);
    if (!v || !(v[0] >= -180 && v[0] <= 180 && v[2] >= -180 && v[2] <= 180 &&
      v[1] >= -90 && v[1] <= v[3] && v[3] <= 90)) return null;
    return v;
  }

  /** `COLUMN=VALUE` -> [column, value] (both trimmed), or null (parse_where). */
  function parseWhere(text) {
    var at = String(text).indexOf("=");
    if (at < 0) return null;
    var column = text.slice(0, at).trim();
    return column ? [column, text.slice(at + 1).trim()] : null;
  }

  var RADIANS = Math.PI / 180;

  /** Great-circle kilometres on a sphere of radius 6,371.0088 km (filters.haversine_km). */
  function haversineKm(lat1, lon1, lat2, lon2) {
    var p1 = lat1 * RADIANS, p2 = lat2 * RADIANS;
    var dp = p2 - p1, dl = (lon2 - lon1) * RADIANS;
    var a = Math.pow(Math.sin(dp / 2), 2) +
      Math.cos(p1) * Math.cos(p2) * Math.pow(Math.sin(dl / 2), 2);
    return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  /** Whether lon, lat lies in [w, s, e, n] (filters.in_bbox, W > E across the antimeridian). */
  function inBbox(lon, lat, box) {
    var w = box[0], s = box[1], e = box[2], n = box[3];
    var insideLon = w <= e ? w <= lon && lon <= e : lon >= w || lon <= e;
    return insideLon && s <= lat && lat <= n;
  }

  function spatial(options, vocab, out) {
    if (options.near) {
      out.near = parseNear(options.near);
      if (!out.near) out.ignored.push(["near", options.near]);
    }
    if (options.bbox) {
      out.bbox = parseBbox(options.bbox);
      if (!out.bbox) out.ignored.push(["bbox", options.bbox]);
    }
    (options.within || []).forEach(function (name) {
      var key = fold(name), found = -1;
      (vocab.areas || []).forEach(function (area, i) {
        if (found < 0 && area.keys.indexOf(key) >= 0) found = i;
      });
      if (found < 0) out.ignored.push(["within", name]);
      else if (out.within.indexOf(found) < 0) out.within.push(found);
    });
    var columns = vocab.attributes || [];
    (options.where || []).forEach(function (text) {
      var pair = parseWhere(text);
      var column = pair ? columns.indexOf(pair[0]) : -1;
      if (column < 0) { out.ignored.push(["where", text]); return; }
      var group = out.where.filter(function (g) { return g.column === column; })[0];
      if (!group) { group = { column: column, keys: [] }; out.where.push(group); }
      group.keys.push(fold(pair[1]));
    });
  }

  /** Whether one of the event's stops ([lat, lon] pairs) meets the near and bbox criteria. */
  function spatialMatch(ev, crit) {
    var near = crit.near, box = crit.bbox;
    if (near && !ev.coords.some(function (p) {
      return haversineKm(near[0], near[1], p[0], p[1]) <= near[2];
    })) return false;
    if (box && !ev.coords.some(function (p) { return inBbox(p[1], p[0], box); })) return false;
    if (crit.within.length && !ev.areas.some(function (a) { return crit.within.indexOf(a) >= 0; })) {
      return false;
    }
    return crit.where.every(function (g) {
      return g.keys.indexOf(ev.attributeKeys[g.column]) >= 0;
    });
  }

  /** What the spatial and column filters read of event `i`, from the payload's columns. */
  function filterFields(doc, i) {
    var cols = doc.events;
    var keys = cols.attribute_keys ? cols.attribute_keys[i] : [];
    return { coords: cols.coords ? cols.coords[i] : [], areas: cols.areas ? cols.areas[i] : [],
      attributeKeys: keys.map(function (k) { return doc.attribute_key_table[k]; }) };
  }

  function round(value, places, up) {
    var f = Math.pow(10, places);
    return (up ? Math.ceil(value * f - 1e-9) : Math.floor(value * f + 1e-9)) / f;
  }

  /**
   * A map view's bounds as `W,S,E,N` for --bbox, rounded outwards to 4 decimals: longitudes
   * beyond ±180 (the map wraps) are brought back, so a view across the antimeridian gives
   * W > E; a view wider than the world gives -180..180.
   */
  function viewBox(west, south, east, north) {
    var w = -180, e = 180;
    if (east - west < 360) {
      w = round(((west + 180) % 360 + 360) % 360 - 180, 4, false);
      e = round(((east + 180) % 360 + 360) % 360 - 180, 4, true);
      if (e === -180 && east > west) e = 180;
    }
    var s = Math.max(-90, round(south, 4, false)), n = Math.min(90, round(north, 4, true));
    return [w, s, e, n].join(",");
  }

  /**
   * Whether an event is kept: options combine with AND, the values of one option with OR.
   * ev: {start, end (ISO days), kind, level (index), actorKeys: [folded], places: [indexes],
   * origins (independent origins of its sources), coords: [[lat, lon]], areas: [indexes],
   * attributeKeys: [folded, one per column]} (see `filterFields`).
   */
  function matches(ev, crit) {
    if (crit.years.length && !crit.years.some(function (y) {
      return overlaps(ev.start, ev.end, y[0] + "-01-01", y[1] + "-12-31");
    })) return false;
    if (!overlaps(ev.start, ev.end, crit.since, crit.until)) return false;
    if (crit.kinds && crit.kinds.indexOf(ev.kind) < 0) return false;
    if (ev.level < crit.minLevel) return false;
    if (crit.minOrigins && !(ev.origins >= crit.minOrigins)) return false;
    if (crit.actors.length && !ev.actorKeys.some(function (k) {
      return crit.actors.indexOf(k) >= 0;
    })) return false;
    if (crit.places && !ev.places.some(function (p) { return crit.places.indexOf(p) >= 0; })) {
      return false;
    }
    return spatialMatch(ev, crit);
  }

  /* ---- Strokes hidden under others (the page's line canvas, past a few hundred routes) ---- */

  /* A pixel may be touched by a stroke when its centre is within its half diagonal of the
   * stroke's outline; it counts as wholly inside when its centre is farther inside than that,
   * with some room for the rasteriser's rounding (pixels nearer were seen a level short). */
  var TOUCH = Math.SQRT1_2, INSIDE = 0.85;

  /** The unit vector along a polyline's segment from point j to j + 1 (null when empty). */
  function heading(pts, j) {
    var dx = pts[2 * j + 2] - pts[2 * j], dy = pts[2 * j + 3] - pts[2 * j + 1];
    var len = Math.sqrt(dx * dx + dy * dy);
    return len ? [dx / len, dy / len] : null;
  }

  /** How far from a corner between two segments the stroke's outline has edges inside it:
   * its inner join runs through the corner (half the width) and its inner sides cross up to
   * (width/2) / tan(angle/2) along each segment, which grows without bound as the corner
   * closes. */
  function cornerCut(pts, j, width) {
    var a = heading(pts, j - 1), b = heading(pts, j);
    if (!a || !b) return Infinity;
    var dot = a[0] * b[0] + a[1] * b[1];
    if (dot <= -1 + 1e-9) return Infinity;
    return Math.max(width / 2, (width / 2) * Math.sqrt((1 - dot) / (1 + dot)));
  }

  /** The cells of `grid` that a polyline stroked `width` wide with flat ends and bevel corners
   * may touch (`mark` 0): whether every one is under `grid.depth` strokes; or those it covers
   * whole, well away from any edge of its outline (`mark` > 0): counted once more, unless
   * already counted for this `mark`. Points are flat [x, y, ...] pixels. */
  function sweep(grid, pts, width, mark) {
    var box = grid.box, columns = box[2], rows = box[3];
    var count = grid.count, stamp = grid.stamp, depth = grid.depth, c;
    var half = mark ? width / 2 - INSIDE : width / 2 + TOUCH;
    var n = pts.length / 2, cut = mark && n > 2 ? cornerCut(pts, 1, width) : 0;
    for (var i = 2; i < pts.length; i += 2) {
      var ax = pts[i - 2] - box[0], ay = pts[i - 1] - box[1];
      var dx = pts[i] - box[0] - ax, dy = pts[i + 1] - box[1] - ay;
      var len = Math.sqrt(dx * dx + dy * dy);
      var ux = len ? dx / len : 1, uy = len ? dy / len : 0;  // a point reaches `half` all round
      /* Touched: the segment stretched by `half` at both ends (corners stay within it). Whole:
       * shortened at its ends and at its corners' cuts. */
      var lo = -half, hi = len + half;
      if (mark) {
        var next = i / 2 < n - 1 ? cornerCut(pts, i / 2, width) : 0;
        lo = (i > 2 ? cut : 0) + INSIDE;
        hi = len - next - INSIDE;
        cut = next;
      }
      if (lo > hi || half <= 0) continue;
      /* The rectangle's rows, between its corners' least and greatest y. */
      var spanY = Math.abs(half * ux), y0 = ay + Math.min(lo * uy, hi * uy) - spanY;
      var y1 = ay + Math.max(lo * uy, hi * uy) + spanY;
      var r0 = Math.max(0, Math.ceil(y0 - 0.5)), r1 = Math.min(rows - 1, Math.floor(y1 - 0.5));
      /* A cell centre (px, py) from the start is in when |ux·py − uy·px| ≤ half (across) and
       * lo ≤ ux·px + uy·py ≤ hi (along): two ranges of px, each moving linearly with py. */
      var steep = Math.abs(uy) > 1e-12, level = Math.abs(ux) > 1e-12;
      var acrossPer = steep ? ux / uy : 0, acrossHalf = steep ? Math.abs(half / uy) : 0;
      var alongPer = level ? -uy / ux : 0, alongLo = level ? Math.min(lo / ux, hi / ux) : 0;
      var alongHi = level ? Math.max(lo / ux, hi / ux) : 0;
      for (var r = r0; r <= r1; r++) {
        var py = r + 0.5 - ay, from = -Infinity, to = Infinity;
        if (steep) { from = acrossPer * py - acrossHalf; to = acrossPer * py + acrossHalf; }
        else if (Math.abs(ux * py) > half) continue;
        if (level) {
          from = Math.max(from, alongPer * py + alongLo); to = Math.min(to, alongPer * py + alongHi);
        } else if (uy * py < lo || uy * py > hi) continue;
        var c0 = Math.max(0, Math.ceil(from + ax - 0.5)), c1 = Math.min(columns - 1, Math.floor(to + ax - 0.5));
        var first = r * columns + c0, last = r * columns + c1;
        if (!mark) {
          for (c = first; c <= last; c++) if (count[c] < depth) return false;
        } else {
          for (c = first; c <= last; c++) {
            if (stamp[c] !== mark) { stamp[c] = mark; if (count[c] < 255) count[c]++; }
          }
        }
      }
    }
    return true;
  }

  /** The part of `box` that the calls' strokes can reach, [x, y, columns, rows]: the grid
   * need be no larger (at the world view, a few hundred pixels of a canvas of thousands). */
  function drawnIn(calls, box) {
    var west = Infinity, north = Infinity, east = -Infinity, south = -Infinity;
    calls.forEach(function (call) {
      var reach = call.width / 2 + TOUCH;
      call.items.forEach(function (parts) {
        parts.forEach(function (pts) {
          for (var i = 0; i < pts.length; i += 2) {
            if (pts[i] - reach < west) west = pts[i] - reach;
            if (pts[i] + reach > east) east = pts[i] + reach;
            if (pts[i + 1] - reach < north) north = pts[i + 1] - reach;
            if (pts[i + 1] + reach > south) south = pts[i + 1] + reach;
          }
        });
      });
    });
    var x = Math.max(box[0], Math.floor(west)), y = Math.max(box[1], Math.floor(north));
    return [x, y, Math.max(0, Math.min(box[0] + box[2], Math.ceil(east)) - x),
      Math.max(0, Math.min(box[1] + box[3], Math.ceil(south)) - y)];
  }

  /**
   * Which strokes are hidden under others: those every pixel of which lies wholly under at
   * least `depth` later stroke calls, so that leaving them out changes no pixel by more than
   * (1 − alpha)^depth of a colour level (under three of alpha 0.9 or more, a quarter of a
   * level of 255). `calls` are a canvas's strokes in drawing order (flat ends and bevel corners),
   * each {width, covers, items: [[flat [x, y, ...] pixel arrays]]}: one call's items are filled
   * as one shape, so together they cover a pixel once; `covers` says the call is solid and
   * opaque enough to count over what is beneath. Pixels outside `box` [x, y, columns, rows] are
   * not drawn and not looked at. Returns for each call an array of flags, one per item.
   */
  function occluded(calls, box, depth) {
    var area = drawnIn(calls, box), size = area[2] * area[3];
    var covering = calls.some(function (call) { return call.covers; });
    var grid = { box: area, count: new Uint8Array(size), depth: depth,
      stamp: covering ? new Int32Array(size) : null };
    var out = new Array(calls.length);
    for (var k = calls.length - 1; k >= 0; k--) {
      var call = calls[k];
      var hidden = out[k] = call.items.map(function (parts) {
        return parts.every(function (pts) { return sweep(grid, pts, call.width, 0); });
      });
      if (!call.covers) continue;
      for (var i = 0; i < hidden.length; i++) {
        if (!hidden[i]) call.items[i].forEach(function (pts) { sweep(grid, pts, call.width, k + 1); });
      }
    }
    return out;
  }

  /** How many times over the strokes would paint the pixels they reach in `box`, on average:
   * their width times the length of their segments that lie in it, over its area. */
  function overdraw(calls, box) {
    var area = drawnIn(calls, box), x0 = area[0], y0 = area[1], x1 = x0 + area[2], y1 = y0 + area[3];
    var ink = 0;
    calls.forEach(function (call) {
      call.items.forEach(function (parts) {
        parts.forEach(function (pts) {
          for (var i = 2; i < pts.length; i += 2) {
            var ax = pts[i - 2], ay = pts[i - 1], bx = pts[i], by = pts[i + 1];
            if (ax < x0 || ax > x1 || bx < x0 || bx > x1 || ay < y0 || ay > y1 || by < y0 || by > y1) continue;
            ink += call.width * Math.sqrt((bx - ax) * (bx - ax) + (by - ay) * (by - ay));
          }
        });
      });
    });
    return area[2] * area[3] ? ink / (area[2] * area[3]) : 0;
  }

  /* ---- The address: filters, the open event and the map view, with the CLI's names ---- */

  /* A shared link is text from anyone: read at most this much of it. A value may be longer
   * than `length` only up to the longest name the data has (`parseAddress`'s `longest`). */
  var LIMITS = { chars: 100000, values: 300, length: 200 };
  var REPEATED = ["year", "actor", "kind", "place", "within", "where"];
  var SINGLE = ["since", "until", "confidence", "origins", "near", "bbox", "event", "map"];

  function emptyOptions() {
    return { year: [], since: "", until: "", actor: [], kind: null, confidence: "", place: [],
      origins: "", near: "", bbox: "", within: [], where: [], event: "", map: "" };
  }

  function decodePart(text) {
    try {
      return decodeURIComponent(text.replace(/\+/g, " "));
    } catch {
      return null;
    }
  }

  /**
   * The options in an address fragment (`#year=2020&kind=flight&event=…&map=5/10.5/-66.9`).
   * The old keys `years=2020-2021` and `kinds=flight,visit` still work. Unknown keys, and
   * values beyond the limits, are ignored. Filters come before the (long) lists of names in a
   * written address, so a cut never loses them.
   */
  function parseAddress(hash, longest) {
    var out = emptyOptions();
    var maxLength = Math.max(LIMITS.length, longest || 0);
    var text = String(hash || "").replace(/^#/, "").slice(0, LIMITS.chars);
    var pairs = text ? text.split("&").slice(0, LIMITS.values) : [];
    pairs.forEach(function (pair) {
      var at = pair.indexOf("=");
      var key = decodePart(at < 0 ? pair : pair.slice(0, at));
      var value = decodePart(at < 0 ? "" : pair.slice(at + 1));
      if (key === null || value === null || value.length > maxLength) return;
      if (key === "years") key = "year";
      if (key === "kinds") {
        out.kind = (out.kind || []).concat(value.split(",").filter(Boolean));
        return;
      }
      if (REPEATED.indexOf(key) >= 0) {
        if (!value) return;
        if (key === "kind") out.kind = out.kind || [];
        if (out[key].indexOf(value) < 0) out[key].push(value);
      } else if (SINGLE.indexOf(key) >= 0) {
        out[key] = value;
      }
    });
    return out;
  }

  function encode(text) {
    return encodeURIComponent(text).replace(/%20/g, "+").replace(/%2F/g, "/").replace(/%2C/g, ",");
  }

  /**
   * The address fragment (without `#`) for options; `kind: null` means every kind and is left
   * out, an empty list means none (written `kinds=`, the one form that can say so).
   */
  function writeAddress(options) {
    var parts = [];
    function add(key, value) { parts.push(encode(key) + "=" + encode(value)); }
    (options.year || []).forEach(function (v) { add("year", v); });
    if (options.since) add("since", options.since);
    if (options.until) add("until", options.until);
    if (options.kind) {
      if (options.kind.length) options.kind.forEach(function (v) { add("kind", v); });
      else parts.push("kinds=");
    }
    if (options.confidence) add("confidence", options.confidence);
    if (options.origins) add("origins", options.origins);
    if (options.near) add("near", options.near);
    if (options.bbox) add("bbox", options.bbox);
    (options.within || []).forEach(function (v) { add("within", v); });
    (options.where || []).forEach(function (v) {
      parts.push("where=" + encode(v).replace(/%3D/g, "="));
    });
    if (options.event) add("event", options.event);
    if (options.map) add("map", options.map);
    (options.place || []).forEach(function (v) { add("place", v); });
    (options.actor || []).forEach(function (v) { add("actor", v); });
    return parts.join("&");
  }

  /** `zoom/lat/lon` -> {zoom, lat, lon}, or null when it is not a usable view. */
  function parseView(text) {
    var m = /^(\d{1,2}(?:\.\d+)?)\/(-?\d{1,2}(?:\.\d+)?)\/(-?\d{1,3}(?:\.\d+)?)$/.exec(text || "");
    if (!m) return null;
    var view = { zoom: +m[1], lat: +m[2], lon: +m[3] };
    if (view.zoom > 22 || Math.abs(view.lat) > 90 || Math.abs(view.lon) > 360) return null;
    return view;
  }

  function writeView(zoom, lat, lon) {
    return zoom + "/" + lat.toFixed(4) + "/" + lon.toFixed(4);
  }

  return {
    fold: fold,
    parseDate: parseDate,
    span: span,
    overlaps: overlaps,
    parseYears: parseYears,
    criteria: criteria,
    matches: matches,
    parseNear: parseNear,
    parseBbox: parseBbox,
    parseWhere: parseWhere,
    haversineKm: haversineKm,
    inBbox: inBbox,
    filterFields: filterFields,
    viewBox: viewBox,
    LIMITS: LIMITS,
    emptyOptions: emptyOptions,
    parseAddress: parseAddress,
    writeAddress: writeAddress,
    parseView: parseView,
    writeView: writeView,
    occluded: occluded,
    overdraw: overdraw
  };
});
