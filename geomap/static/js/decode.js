/* geomap decode: the page's packed payload becomes the document, and its columns one plain
 * object per event.
 *
 * The payload arrives as base64 streams compressed with zlib (see geomap/packing.py): one
 * binary stream of geometries, and text streams of short JSON lines. `unpack` turns them back
 * into the document Python made, with the browser's native DecompressionStream.
 *
 * Pure (no Leaflet, no DOM): the browser gets the global `geomapDecode`, Node gets the module.
 * Names keep the folded keys Python computed (`name_keys`, `places[].keys`); the page folds
 * only what a reader types, and the free text it searches (with the same fold, see core.js).
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = factory(require("./core.js"));
  else root.geomapDecode = factory(root.geomapCore);
})(typeof self !== "undefined" ? self : this, function (core) {
  "use strict";

  var VERSION = 3;
  var SCALE = 1e6;

  function concat(parts, total) {
    var out = new Uint8Array(total);
    var at = 0;
    parts.forEach(function (p) { out.set(p, at); at += p.length; });
    return out;
  }

  /** The bytes of base64 text: natively where the platform can (Uint8Array.fromBase64). */
  function base64Bytes(text) {
    if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
    var binary = atob(text);
    var out = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  }

  /** The bytes of a stream's base64 chunks (each a multiple of 4 characters). */
  function bytesOf(chunks) {
    var parts = chunks.map(base64Bytes);
    if (parts.length === 1) return parts[0];
    return concat(parts, parts.reduce(function (n, p) { return n + p.length; }, 0));
  }

  /** zlib-compressed bytes, inflated by the platform (a promise of the bytes). */
  async function inflate(bytes) {
    var stream = new DecompressionStream("deflate");
    var writer = stream.writable.getWriter();
    /* A corrupt stream rejects these as well as the reads: the reads report it. */
    writer.write(bytes).catch(function () {});
    writer.close().catch(function () {});
    var reader = stream.readable.getReader();
    var parts = [], total = 0;
    for (;;) {
      var step = await reader.read();
      if (step.done) return concat(parts, total);
      parts.push(step.value);
      total += step.value.length;
    }
  }

  /** The geometry table from its binary stream: [{t: "P", c: [lon, lat]} |
   * {t: "L", c: [[[lon, lat], ...], ...]}], coordinates in millionths of a degree. A line's
   * coordinates stay in one typed array (its `parts`: a flat [lon, lat, ...] view per part,
   * not enumerated); its nested `c` is made only when first read, so that drawing thousands
   * of routes allocates no array per vertex. */
  function geometries(bytes) {
    var view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    var nGeoms = view.getUint32(0, true), nParts = view.getUint32(4, true);
    var nPoints = view.getUint32(8, true);
    var types = 12, body = 12 + nGeoms, size = nGeoms + nParts + 2 * nPoints;
    if (bytes.length !== body + 4 * size) {
      throw new Error("geomap: geometry stream of " + bytes.length + " bytes, expected " +
        (body + 4 * size));
    }
    var b0 = body, b1 = body + size, b2 = body + 2 * size, b3 = body + 3 * size;
    var at = 0;
    function next() {
      var v = bytes[b0 + at] | bytes[b1 + at] << 8 | bytes[b2 + at] << 16 | bytes[b3 + at] << 24;
      at += 1;
      return v;
    }
    var partsOf = new Int32Array(nGeoms), counts = new Int32Array(nParts);
    for (var g = 0; g < nGeoms; g++) partsOf[g] = next();
    for (var p = 0; p < nParts; p++) counts[p] = next();
    var coords = new Float64Array(2 * nPoints), filled = 0;
    /* One part: second-order differences after the first point, first-order at the second. */
    function part(count) {
      var from = filled;
      var x = 0, y = 0, dx = 0, dy = 0;
      for (var i = 0; i < count; i++) {
        var sx = next(), sy = next();
        /* int32 arithmetic (| 0): differences wrap as Python wrote them. */
        if (i === 0) { x = sx; y = sy; } else {
          dx = i === 1 ? sx : (dx + sx) | 0;
          dy = i === 1 ? sy : (dy + sy) | 0;
          x = (x + dx) | 0;
          y = (y + dy) | 0;
        }
        coords[filled++] = x / SCALE;
        coords[filled++] = y / SCALE;
      }
      return coords.subarray(from, filled);
    }
    var geoms = new Array(nGeoms);
    p = 0;
    for (g = 0; g < nGeoms; g++) {
      if (bytes[types + g] === 0) {
        var xy = part(counts[p++]);
        geoms[g] = { t: "P", c: [xy[0], xy[1]] };
      } else {
        var lines = new Array(partsOf[g]);
        for (var k = 0; k < lines.length; k++) lines[k] = part(counts[p++]);
        geoms[g] = line(lines);
      }
    }
    return geoms;
  }

  /** A line geometry over flat [lon, lat, ...] parts, its nested `c` made when first read. */
  function line(parts) {
    var geom = { t: "L" }, nested = null;
    Object.defineProperty(geom, "parts", { value: parts });
    Object.defineProperty(geom, "c", { enumerable: true, get: function () {
      if (!nested) {
        nested = parts.map(function (xy) {
          var out = new Array(xy.length / 2);
          for (var i = 0; i < out.length; i++) out[i] = [xy[2 * i], xy[2 * i + 1]];
          return out;
        });
      }
      return nested;
    } });
    return geom;
  }

  /** The document from its text streams' bytes: a layout line, the head, then each event
   * column in blocks of rows. */
  function documentOf(texts, geoms) {
    var utf8 = new TextDecoder("utf-8", { fatal: true });
    var lines = [];
    texts.forEach(function (bytes) {
      for (var from = 0; from < bytes.length;) {
        var end = bytes.indexOf(10, from);
        if (end < 0) end = bytes.length;
        lines.push(JSON.parse(utf8.decode(bytes.subarray(from, end))));
        from = end + 1;
      }
    });
    var layout = lines[0], doc = lines[1], line = 2;
    var blocks = Math.max(1, Math.ceil(layout.rows / layout.block));
    doc.events = {};
    layout.columns.forEach(function (name) {
      var column = lines[line++];
      for (var b = 1; b < blocks; b++) {
        var more = lines[line++];
        for (var i = 0; i < more.length; i++) column.push(more[i]);
      }
      doc.events[name] = column;
    });
    doc.geoms = geoms;
    return doc;
  }

  /** The document from the page's chunks [{stream, kind, text}] in order (a promise). Streams
   * inflate concurrently. */
  async function unpack(chunks) {
    var streams = [];
    chunks.forEach(function (c) {
      var last = streams[streams.length - 1];
      if (last && last.stream === c.stream) last.texts.push(c.text);
      else streams.push({ stream: c.stream, kind: c.kind, texts: [c.text] });
    });
    var bytes = await Promise.all(streams.map(function (s) { return inflate(bytesOf(s.texts)); }));
    var geoms = null, texts = [];
    streams.forEach(function (s, n) {
      if (s.kind === "geoms") geoms = geometries(bytes[n]);
      else texts.push(bytes[n]);
    });
    return documentOf(texts, geoms);
  }

  function check(doc) {
    if (!doc || doc.version !== VERSION) {
      throw new Error("geomap: this page script reads payload version " + VERSION + ", not " +
        (doc && doc.version));
    }
  }

  /** One object per event, in the payload's order. */
  function decode(doc) {
    check(doc);
    var cols = doc.events;
    var n = cols.id.length;
    var out = new Array(n);
    function name(i) { return doc.names[i]; }
    function key(i) { return doc.name_keys[i]; }
    function source(i) { return doc.sources[i]; }
    /* The dataset's own columns of event i, as [name, value] pairs. */
    function attribute(i) {
      return function (name, k) { return [name, cols.attributes ? cols.attributes[i][k] : ""]; };
    }
    for (var i = 0; i < n; i++) {
      var kind = doc.kinds[cols.kind[i]];
      var confidence = doc.levels[cols.confidence[i]];
      out[i] = {
        index: i, id: cols.id[i], kind: kind.id, title: cols.title[i], date: cols.date[i],
        end_date: cols.end_date[i], date_label: cols.date_label[i], start: cols.start[i],
        end: cols.end[i], summary: cols.summary[i], carrier: cols.carrier[i],
        evidence: cols.evidence[i], confidence: confidence, level: cols.confidence[i],
        precision: doc.precisions[cols.precision[i]],
        actors: cols.actors[i].map(name), actorKeys: cols.actors[i].map(key),
        stops: cols.stops[i].map(name), places: cols.places[i],
        sources: cols.sources[i].map(source), geom: cols.geom[i], travel: cols.travel[i],
        quotes: cols.quotes ? cols.quotes[i] : [],
        origins: cols.origins ? cols.origins[i] : null,
        carrierInfo: cols.carrier_info && cols.carrier_info[i] !== null
          ? doc.carriers[cols.carrier_info[i]] : null,
        journey: cols.journey ? cols.journey[i] || [] : [],
        passages: cols.passages ? cols.passages[i] : [],
        attributes: (doc.attribute_names || []).map(attribute(i))
      };
    }
    return out;
  }

  /** Events drawn as one feature: the same geometry, origin, kind, confidence and precision,
   * so that no event is ever drawn with another's geometry or style. */
  function featureKey(ev) {
    var travel = ev.travel === null || ev.travel === undefined ? "" : ev.travel;  // as join() writes it
    return ev.geom + " " + travel + " " + ev.kind + " " + ev.confidence + " " + ev.precision;
  }

  /** Actors by folded key with their display name and number of events, most frequent first. */
  function actorIndex(events) {
    var byKey = Object.create(null);
    var list = [];
    events.forEach(function (ev) {
      ev.actorKeys.forEach(function (k, i) {
        if (!byKey[k]) { byKey[k] = { key: k, name: ev.actors[i], count: 0 }; list.push(byKey[k]); }
        byKey[k].count += 1;
      });
    });
    list.sort(function (a, b) { return b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0); });
    return { byKey: byKey, list: list };
  }

  /** The first and last year any event may fall in. */
  function yearRange(events) {
    return events.reduce(function (acc, ev) {
      return [Math.min(acc[0], +ev.start.slice(0, 4)), Math.max(acc[1], +ev.end.slice(0, 4))];
    }, [Infinity, -Infinity]);
  }

  /** What the event list's search looks in: title, summary, actors, places, carrier, sources. */
  function haystack(ev, doc) {
    if (ev.haystack === undefined) {
      var placeKeys = [];
      ev.places.forEach(function (p) { placeKeys = placeKeys.concat(doc.places[p].keys); });
      var sources = ev.sources.map(function (s) {
        return [s.title, s.outlet, s.author].join(" ");
      });
      ev.haystack = [core.fold([ev.title, ev.summary, ev.carrier, ev.stops.join(" ")]
        .concat(sources).join(" ")), ev.actorKeys.join(" "), placeKeys.join(" ")].join(" ");
    }
    return ev.haystack;
  }

  /** A test of whether every word of a typed query is in an event's text; null when the
   * query has no words (every event is found), so that a caller skips the loop. */
  function searcher(doc, query) {
    var words = core.fold(query).split(" ").filter(Boolean);
    if (!words.length) return null;
    return function (ev) {
      var text = haystack(ev, doc);
      return words.every(function (w) { return text.indexOf(w) >= 0; });
    };
  }

  /** Whether every word of a typed query is found in the event's text. */
  function found(ev, doc, query) {
    var test = searcher(doc, query);
    return !test || test(ev);
  }

  /** Events by start day, then end day, then their order in the data. */
  function byDate(a, b) {
    return a.start < b.start ? -1 : a.start > b.start ? 1
      : a.end < b.end ? -1 : a.end > b.end ? 1 : a.index - b.index;
  }

  return {
    VERSION: VERSION,
    unpack: unpack,
    geometries: geometries,
    decode: decode,
    featureKey: featureKey,
    actorIndex: actorIndex,
    yearRange: yearRange,
    haystack: haystack,
    searcher: searcher,
    found: found,
    byDate: byDate
  };
});
