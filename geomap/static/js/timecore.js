/* geomap time core: the timeline's geometry, pure and testable (no DOM).
 *
 * Days are whole UTC day numbers (days since 1970-01-01); an event's mark covers the days its
 * written date may mean (`2020` the year, `2020-05` the month, `2020-05-21` one day; with an
 * `end_date`, up to that bound's last day). The axis is a piecewise-linear scale over days in
 * which long empty stretches are squeezed to a fixed width and labelled. A brushed pixel range
 * becomes `since`/`until` months, which the core's `criteria`/`matches` apply with the CLI's
 * overlap rule. Browser global `geomapTime`; `require()` in Node.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = factory(require("./core.js"));
  else root.geomapTime = factory(root.geomapCore);
})(typeof self !== "undefined" ? self : this, function (core) {
  "use strict";

  var DAY = 86400000;
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /** `YYYY-MM-DD` -> day number. By the calendar's arithmetic (H. Hinnant's days_from_civil)
   * rather than through Date.UTC, as `monthOf`: at 100,000 events both took 50 ms of a load. */
  function dayOf(iso) {
    var m = +iso.slice(5, 7), y = +iso.slice(0, 4) - (m <= 2 ? 1 : 0);
    var era = Math.floor(y / 400), yoe = y - era * 400;
    var doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + +iso.slice(8, 10) - 1;
    return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
  }

  /** Day number -> `YYYY-MM-DD`. */
  function isoOf(day) {
    var d = new Date(day * DAY);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate());
  }

  /** Month number (year * 12 + month - 1) of a day. */
  function monthOf(day) {
    var z = Math.floor(day) + 719468, era = Math.floor(z / 146097), doe = z - era * 146097;
    var yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    var mp = Math.floor((5 * (doe - 365 * yoe - Math.floor(yoe / 4) + Math.floor(yoe / 100)) + 2) / 153);
    var month = mp < 10 ? mp + 3 : mp - 9;
    return (era * 400 + yoe + (month <= 2 ? 1 : 0)) * 12 + month - 1;
  }

  /** The first day of a month number. */
  function monthStart(month) {
    return Date.UTC(Math.floor(month / 12), month % 12, 1) / DAY;
  }

  /** Month number -> `YYYY-MM`. */
  function monthText(month) {
    return Math.floor(month / 12) + "-" + pad(month % 12 + 1);
  }

  /** `YYYY-MM` (or a day, or a year) -> month number of its first day, or null. */
  function monthFromText(text) {
    var parsed = text ? core.parseDate(text) : null;
    return parsed ? monthOf(dayOf(parsed.first)) : null;
  }

  function monthLabel(month, withYear) {
    return MONTHS[month % 12] + (withYear ? " " + Math.floor(month / 12) : "");
  }

  /**
   * The days a mark covers, [from, to) in day numbers, and how it is drawn: `precision` of the
   * written date ("year", "month", "day") and `bound` when an `end_date` closes it.
   */
  function markSpan(date, endDate) {
    var first = core.parseDate(date);
    var last = endDate ? core.parseDate(endDate) : first;
    if (!first || !last) return null;
    var precision = first.iso.length === 4 ? "year" : first.iso.length === 7 ? "month" : "day";
    return { from: dayOf(first.first), to: dayOf(last.last) + 1, precision: precision,
      bound: !!endDate };
  }

  /* A stretch without events is squeezed when it is this many months long, or at least MIN
   * months and this share of the whole axis. */
  var GAP = { months: 12, min: 4, share: 0.2, px: 64 };

  /** Whole-month runs that no span touches, in month numbers [m0, m1). */
  function emptyRuns(spans, first, last) {
    var touched = spans.map(function (s) { return [monthOf(s.from), monthOf(s.to - 1) + 1]; })
      .sort(function (a, b) { return a[0] - b[0]; });
    var runs = [], reach = first;
    touched.forEach(function (t) {
      if (t[0] > reach) runs.push([reach, t[0]]);
      reach = Math.max(reach, t[1]);
    });
    if (reach < last) runs.push([reach, last]);
    return runs;
  }

  function gapLabel(m0, m1) {
    if (m0 % 12 === 0 && m1 % 12 === 0) {
      var y0 = m0 / 12, y1 = m1 / 12 - 1;
      return y0 === y1 ? String(y0) : y0 + "–" + y1;
    }
    var end = m1 - 1;
    if (m0 === end) return monthLabel(m0, true);
    return monthLabel(m0, Math.floor(m0 / 12) !== Math.floor(end / 12)) + " – " + monthLabel(end, true);
  }

  /**
   * The axis for these spans over `width` pixels: whole months from the first span's month to
   * the last one's, long empty stretches squeezed to `gapPx` pixels each and labelled.
   * Returns {first, last (month numbers, last exclusive), width, segments: [{d0, d1, p0, p1,
   * gap, label}]}; use `x` and `dayAt` with it.
   */
  function scale(spans, width, options) {
    var opt = Object.assign({}, GAP, options || {});
    var first = Infinity, last = -Infinity;
    spans.forEach(function (s) {
      first = Math.min(first, monthOf(s.from));
      last = Math.max(last, monthOf(s.to - 1) + 1);
    });
    if (!spans.length) { first = monthOf(0); last = first + 12; }
    var total = monthStart(last) - monthStart(first);
    var gaps = emptyRuns(spans, first, last).filter(function (r) {
      var n = r[1] - r[0];
      return n >= opt.months || (n >= opt.min &&
        monthStart(r[1]) - monthStart(r[0]) >= opt.share * total);
    });
    var squeezed = gaps.length * opt.px;
    if (squeezed > width / 2) squeezed = 0;
    var gapPx = squeezed ? opt.px : 0;
    var gapDays = gaps.reduce(function (n, r) { return n + monthStart(r[1]) - monthStart(r[0]); }, 0);
    var perDay = gapPx ? (width - squeezed) / (total - gapDays) : width / total;
    var segments = [], at = first, p = 0;
    function add(m0, m1, gap) {
      var d0 = monthStart(m0), d1 = monthStart(m1);
      var w = gap ? gapPx : (d1 - d0) * perDay;
      segments.push({ d0: d0, d1: d1, p0: p, p1: p + w, gap: gap,
        label: gap ? gapLabel(m0, m1) : "" });
      p += w;
    }
    (gapPx ? gaps : []).forEach(function (r) {
      if (r[0] > at) add(at, r[0], false);
      add(r[0], r[1], true);
      at = r[1];
    });
    if (at < last) add(at, last, false);
    segments[segments.length - 1].p1 = width;
    return { first: first, last: last, width: width, perDay: perDay, segments: segments };
  }

  function segmentFor(sc, day) {
    var segs = sc.segments;
    for (var i = 0; i < segs.length; i++) if (day < segs[i].d1) return segs[i];
    return segs[segs.length - 1];
  }

  /** The pixel of a day (a day's left edge). */
  function x(sc, day) {
    var s = segmentFor(sc, day);
    if (day <= s.d0) return s.p0;
    if (day >= s.d1) return s.p1;
    return s.p0 + (day - s.d0) * (s.p1 - s.p0) / (s.d1 - s.d0);
  }

  /** The day (fractional) at a pixel. */
  function dayAt(sc, px) {
    var segs = sc.segments;
    if (px <= 0) return segs[0].d0;
    for (var i = 0; i < segs.length; i++) {
      var s = segs[i];
      if (px < s.p1 || i === segs.length - 1) {
        var t = s.p1 > s.p0 ? Math.min(1, (px - s.p0) / (s.p1 - s.p0)) : 0;
        return s.d0 + t * (s.d1 - s.d0);
      }
    }
    return segs[segs.length - 1].d1;
  }

  /**
   * Axis ticks: months (minor), labelled every 1, 3 or 6 months when there is room, and years
   * (major). Squeezed stretches get no ticks. Each {px, label, major}.
   */
  function ticks(sc, room) {
    room = room || 34;
    var out = [];
    sc.segments.forEach(function (s) {
      if (s.gap) return;
      var m0 = monthOf(s.d0), m1 = monthOf(s.d1 - 1) + 1;
      var perMonth = (s.p1 - s.p0) / (m1 - m0);
      var every = [1, 3, 6, 12].filter(function (k) { return k * perMonth >= room; })[0];
      var years = every ? 1 : [2, 5, 10, 20, 50, 100].filter(function (k) {
        return k * 12 * perMonth >= room;
      })[0] || 100;
      var labelled = false;
      for (var m = m0; m < m1; m++) {
        var jan = m % 12 === 0;
        var px = x(sc, monthStart(m));
        var label = "";
        if (every && every < 12 && m % every === 0) {
          label = jan ? String(m / 12) : monthLabel(m, !labelled);
        } else if (jan && (every === 12 || (m / 12) % years === 0)) {
          label = String(m / 12);
        } else if (m === m0 && every) {
          label = monthLabel(m, true);
        }
        if (label) labelled = true;
        if (jan || perMonth >= 4 || label) out.push({ px: px, label: label, major: jan });
      }
    });
    return out;
  }

  /**
   * Histogram bins: runs of 1, 3, 6 or 12 months (the first that is at least `minPx` wide,
   * squeezed stretches excepted), each {d0, d1, p0, p1}.
   */
  function bins(sc, minPx) {
    minPx = minPx || 3;
    var out = [];
    sc.segments.forEach(function (s) {
      if (s.gap) return;
      var m0 = monthOf(s.d0), m1 = monthOf(s.d1 - 1) + 1;
      var perMonth = (s.p1 - s.p0) / (m1 - m0);
      var k = [1, 3, 6, 12, 24, 60].filter(function (n) { return n * perMonth >= minPx; })[0] || 120;
      for (var m = m0; m < m1; m += k) {
        var d0 = monthStart(m), d1 = monthStart(Math.min(m + k, m1));
        out.push({ d0: d0, d1: d1, p0: x(sc, d0), p1: x(sc, d1) });
      }
    });
    return out;
  }

  /**
   * Events per bin and group: each event counts once, spread over the bins its span covers
   * in proportion to the days (an event known only to its year adds 1/12 to each month).
   * from/to: day numbers; group: a small integer per event; keep: null or flags.
   */
  function binCounts(binList, from, to, group, groups, keep) {
    var counts = [];
    for (var g = 0; g < groups; g++) counts.push(new Float64Array(binList.length));
    var starts = binList.map(function (b) { return b.d0; });
    for (var i = 0; i < from.length; i++) {
      if (!keep || keep[i]) addSpan(counts[group[i]], binList, starts, from[i], to[i], 1);
    }
    return counts;
  }

  /** binCounts after the events `indexes` came (keep[i] set) or went: `counts` changed in
   * place, as a brush step changes a few events of many. */
  function binUpdate(counts, binList, from, to, group, indexes, keep) {
    var starts = binList.map(function (b) { return b.d0; });
    for (var k = 0; k < indexes.length; k++) {
      var i = indexes[k];
      addSpan(counts[group[i]], binList, starts, from[i], to[i], keep[i] ? 1 : -1);
    }
    return counts;
  }

  function addSpan(c, binList, starts, a, b, sign) {
    var len = b - a;
    var lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= a) lo = mid; else hi = mid - 1;
    }
    var placed = 0;
    for (var j = lo; j < binList.length && binList[j].d0 < b; j++) {
      var o = Math.min(b, binList[j].d1) - Math.max(a, binList[j].d0);
      if (o > 0) { c[j] += sign * o / len; placed += o; }
    }
    /* A span inside a squeezed stretch cannot exist (stretches are empty), but stay exact. */
    if (placed < len && lo < binList.length) c[lo] += sign * (len - placed) / len;
  }

  /**
   * A brushed pixel range -> {since, until} as `YYYY-MM`: the months under its two ends.
   * Whole months are selected, so an event dated `2020-05` is kept by a brush that starts in
   * May (the CLI's overlap rule, applied by core.matches).
   */
  function brushRange(sc, px0, px1) {
    var a = Math.max(0, Math.min(px0, px1)), b = Math.min(sc.width, Math.max(px0, px1));
    var m0 = monthOf(Math.floor(dayAt(sc, a)));
    var m1 = monthOf(Math.ceil(dayAt(sc, b)) - 1);
    m0 = Math.max(sc.first, Math.min(m0, sc.last - 1));
    m1 = Math.max(m0, Math.min(m1, sc.last - 1));
    return { since: monthText(m0), until: monthText(m1) };
  }

  /** The pixels [left, right] that `since`/`until` (as in the address) cover on the axis. */
  function rangePixels(sc, since, until) {
    var a = since ? core.parseDate(since) : null;
    var b = until ? core.parseDate(until) : null;
    return [a ? x(sc, dayOf(a.first)) : 0, b ? x(sc, dayOf(b.last) + 1) : sc.width];
  }

  /** Whether since/until select the whole axis (then the brush is "all dates"). */
  function wholeAxis(sc, since, until) {
    var a = since ? core.parseDate(since) : null;
    var b = until ? core.parseDate(until) : null;
    return (!a || dayOf(a.first) <= monthStart(sc.first)) &&
      (!b || dayOf(b.last) + 1 >= monthStart(sc.last));
  }

  /** The months a playback window starts at: every month of the axis, a squeezed stretch
   * passed over in one step. */
  function steps(sc, length) {
    var out = [];
    length = Math.max(1, length || 1);
    sc.segments.forEach(function (s) {
      if (s.gap) return;
      for (var m = monthOf(s.d0); m < monthOf(s.d1 - 1) + 1; m++) out.push(m);
    });
    return out.filter(function (m) { return m + length <= sc.last || m === out[0]; });
  }

  /** The window of `length` months from month `m`, as {since, until}. */
  function windowAt(m, length) {
    return { since: monthText(m), until: monthText(m + Math.max(1, length) - 1) };
  }

  /** The months between since and until inclusive (1 when either is open or unusable). */
  function monthsBetween(since, until) {
    var a = monthFromText(since), b = monthFromText(until);
    return a === null || b === null || b < a ? 1 : b - a + 1;
  }

  /** A handle moved by `by` months, kept within the axis and on its side of the other. */
  function moveEdge(sc, since, until, edge, by) {
    var a = monthFromText(since), b = monthFromText(until);
    if (a === null) a = sc.first;
    if (b === null) b = sc.last - 1;
    if (edge === "since") a = Math.max(sc.first, Math.min(b, a + by));
    else b = Math.min(sc.last - 1, Math.max(a, b + by));
    return { since: monthText(a), until: monthText(b) };
  }

  /** Lanes for marks so that none covers another: each mark's lane index. */
  function lanes(lefts, rights, gapPx) {
    var order = lefts.map(function (_, i) { return i; }).sort(function (i, j) {
      return lefts[i] - lefts[j] || rights[j] - rights[i] || i - j;
    });
    var ends = [], out = new Array(lefts.length);
    order.forEach(function (i) {
      var lane = 0;
      while (lane < ends.length && ends[lane] + (gapPx || 0) > lefts[i]) lane += 1;
      ends[lane] = rights[i];
      out[i] = lane;
    });
    return out;
  }

  /* ---- The shown events, kept up to date one brush step at a time ---- */

  function sortedBy(events, key) {
    return Array.prototype.slice.call(orderBy(events, [key]));
  }

  /** The indexes of `events` ordered by these string fields in turn, then by index (as a
   * comparator of `<` on the strings would order them): each field is ranked once, so the
   * sort compares numbers in typed arrays, not strings in objects. */
  function orderBy(events, keys) {
    var n = events.length;
    var ranks = keys.map(function (key) {
      var distinct = new Map(), i;
      for (i = 0; i < n; i++) distinct.set(events[i][key], 0);
      var values = Array.from(distinct.keys()).sort(function (x, y) { return x < y ? -1 : x > y ? 1 : 0; });
      values.forEach(function (v, r) { distinct.set(v, r); });
      var rank = new Float64Array(n);
      for (i = 0; i < n; i++) rank[i] = distinct.get(events[i][key]);
      return rank;
    });
    var order = new Int32Array(n);
    for (var i = 0; i < n; i++) order[i] = i;
    return order.sort(function (a, b) {
      for (var k = 0; k < ranks.length; k++) {
        var d = ranks[k][a] - ranks[k][b];
        if (d) return d;
      }
      return a - b;
    });
  }

  /** The first position in `order` whose event's `key` is greater than `value` (or, with
   * `orEqual`, at least `value`). */
  function firstAfter(events, order, key, value, orEqual) {
    var lo = 0, hi = order.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1, v = events[order[mid]][key];
      if (v > value || (orEqual && v === value)) hi = mid; else lo = mid + 1;
    }
    return lo;
  }

  /**
   * Which events the criteria keep, as flags (`flags[i]` 1 or 0), with counts by `groupOf(ev)`.
   *
   * `update(crit, matches)` applies `core.criteria` output with `core.matches` and returns the
   * indexes whose flag changed. When only `since`/`until` moved since the last update, as on
   * every brush or playback step, only the events whose overlap with the range can have
   * changed are tested again: those that start between the old and the new `until`, or end
   * between the old and the new `since` (the CLI's rule, `end >= since and start <= until`,
   * is one AND term of `matches`, so no other event's answer can change).
   */
  function selection(events, groupOf) {
    var n = events.length;
    var flags = new Uint8Array(n);
    var byStart = sortedBy(events, "start"), byEnd = sortedBy(events, "end");
    var counts = Object.create(null), shown = 0;
    var last = null;  // {key, since, until} of the criteria applied last
    var TOP = "\uffff";  // after every ISO date: an open `until`

    function others(crit) {
      return JSON.stringify(Object.assign({}, crit, { since: "", until: "", ignored: null }));
    }

    function set(i, on, changed) {
      if (flags[i] === on) return;
      flags[i] = on;
      var g = groupOf(events[i]);
      counts[g] = (counts[g] || 0) + (on ? 1 : -1);
      shown += on ? 1 : -1;
      changed.push(i);
    }

    function update(crit, matches) {
      var key = others(crit), changed = [], k;
      var a = 0, b = 0, c = 0, d = 0;
      if (last && last.key === key) {
        var u0 = last.until || TOP, u1 = crit.until || TOP;
        var s0 = last.since, s1 = crit.since;
        a = firstAfter(events, byStart, "start", u0 < u1 ? u0 : u1, false);
        b = firstAfter(events, byStart, "start", u0 < u1 ? u1 : u0, false);
        c = firstAfter(events, byEnd, "end", s0 < s1 ? s0 : s1, true);
        d = firstAfter(events, byEnd, "end", s0 < s1 ? s1 : s0, true);
      }
      /* Bands holding many events are tested faster in the events' own order, once each. */
      if (!last || last.key !== key || (b - a) + (d - c) > n / 4) {
        for (k = 0; k < n; k++) set(k, matches(events[k], crit) ? 1 : 0, changed);
      } else {
        for (k = a; k < b; k++) set(byStart[k], matches(events[byStart[k]], crit) ? 1 : 0, changed);
        for (k = c; k < d; k++) set(byEnd[k], matches(events[byEnd[k]], crit) ? 1 : 0, changed);
      }
      last = { key: key, since: crit.since, until: crit.until };
      return changed;
    }

    return {
      flags: flags,
      update: update,
      shown: function () { return shown; },
      /** Shown events per group (a fresh object). */
      counts: function () { return Object.assign(Object.create(null), counts); }
    };
  }

  /** What a range reads as: "May 2020 – Jul 2020", "May 2020", or "all dates". */
  function rangeLabel(since, until) {
    function text(t) {
      var p = t ? core.parseDate(t) : null;
      if (!p) return "";
      if (p.iso.length === 4) return p.iso;
      return (p.iso.length === 10 ? +p.iso.slice(8) + " " : "") + monthLabel(monthOf(dayOf(p.first)), true);
    }
    var a = text(since), b = text(until);
    if (!a && !b) return "all dates";
    if (!b) return "from " + a;
    if (!a) return "until " + b;
    return a === b ? a : a + " – " + b;
  }

  return {
    dayOf: dayOf, isoOf: isoOf, monthOf: monthOf, monthStart: monthStart, monthText: monthText,
    monthFromText: monthFromText, markSpan: markSpan, GAP: GAP, emptyRuns: emptyRuns,
    scale: scale, x: x, dayAt: dayAt, ticks: ticks, bins: bins, binCounts: binCounts,
    binUpdate: binUpdate,
    brushRange: brushRange, rangePixels: rangePixels, wholeAxis: wholeAxis, steps: steps,
    windowAt: windowAt, monthsBetween: monthsBetween, moveEdge: moveEdge, lanes: lanes,
    rangeLabel: rangeLabel, selection: selection, orderBy: orderBy
  };
});
