/* geomap decode: the payload's columns become one plain object per event.
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

  var VERSION = 2;

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
    return [ev.geom, ev.travel, ev.kind, ev.confidence, ev.precision].join(" ");
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
