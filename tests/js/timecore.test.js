/* The timeline's pure core on tests/cases/timeline.json: spans, squeezed gaps, ticks, bins,
 * the brush's months (applied with the core's CLI overlap rule), playback steps, lanes. */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const core = require("../../geomap/static/js/core.js");
const T = require("../../geomap/static/js/timecore.js");

const cases = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "cases", "timeline.json"), "utf8"));
const spansOf = (dates) => dates.map(([d, e]) => T.markSpan(d, e));

test("a mark spans the days its written date may mean", () => {
  for (const c of cases.spans) {
    const s = T.markSpan(c.date, c.end_date);
    if (c.first === null) { assert.equal(s, null, c.date); continue; }
    assert.deepEqual([T.isoOf(s.from), T.isoOf(s.to - 1)], [c.first, c.last], c.date);
    assert.equal(s.to - s.from, c.days, c.date);
    assert.equal(s.precision, c.precision, c.date);
    assert.equal(s.bound, c.bound, c.date);
  }
});

test("widths on the axis are in the ratio of the spans (year : month : day)", () => {
  const spans = spansOf([["2020", ""], ["2020-05", ""], ["2020-05-21", ""]]);
  const sc = T.scale(spans, 1098);
  const w = spans.map((s) => T.x(sc, s.to) - T.x(sc, s.from));
  assert.ok(Math.abs(w[0] / w[2] - 366) < 1e-9 && Math.abs(w[1] / w[2] - 31) < 1e-9, String(w));
  assert.equal(T.x(sc, spans[0].to), 1098);
});

for (const name of ["default_like", "whole_years"]) {
  test(`long empty stretches are squeezed and labelled (${name})`, () => {
    const spec = cases[name];
    const sc = T.scale(spansOf(spec.dates), 1200, { px: 64 });
    const gaps = sc.segments.filter((s) => s.gap);
    assert.deepEqual(gaps.map((g) => [T.isoOf(g.d0), T.isoOf(g.d1), g.label]), spec.gaps);
    gaps.forEach((g) => assert.equal(g.p1 - g.p0, 64));
    assert.equal(sc.segments[sc.segments.length - 1].p1, 1200);
    /* The scale is monotonic and continuous, and dayAt inverts x. */
    let last = -1;
    for (let px = 0; px <= 1200; px += 7) {
      const d = T.dayAt(sc, px);
      assert.ok(d >= last, `dayAt not monotonic at ${px}`);
      last = d;
      assert.ok(Math.abs(T.x(sc, d) - px) < 1e-6, `x(dayAt(${px}))`);
    }
    if (spec.year_labels) {
      const years = T.ticks(sc).filter((t) => t.major && t.label).map((t) => t.label);
      assert.deepEqual(years, spec.year_labels);
      const inGap = T.ticks(sc).filter((t) => gaps.some((g) => t.px > g.p0 && t.px < g.p1));
      assert.deepEqual(inGap, []);
    }
  });
}

test("short empty stretches are not squeezed", () => {
  const sc = T.scale(spansOf([["2020-01", ""], ["2020-04", ""]]), 600);
  assert.deepEqual(sc.segments.map((s) => s.gap), [false]);
});

test("a brushed range selects whole months, which the CLI's overlap rule applies", () => {
  const spec = cases.brush;
  const sc = T.scale(spansOf(spec.dates), spec.width);
  for (const c of spec.cases) {
    const r = T.brushRange(sc, T.x(sc, T.dayOf(c.from_day)) + 0.5, T.x(sc, T.dayOf(c.to_day)) - 0.5);
    assert.deepEqual(r, { since: c.since, until: c.until }, JSON.stringify(c));
    /* What the range keeps: an event dated `2020-05` or `2020` meets May. */
    const crit = core.criteria(r, { kinds: [], levels: [] });
    assert.deepEqual(crit.ignored, []);
    const [px0, px1] = T.rangePixels(sc, r.since, r.until);
    assert.ok(px0 <= T.x(sc, T.dayOf(c.from_day)) + 0.5 || px0 <= T.x(sc, T.dayOf(c.to_day)));
    assert.ok(px1 >= px0);
  }
  const may = core.criteria({ since: "2020-05", until: "2020-05" }, { kinds: [], levels: [] });
  const ev = (d, e) => { const [start, end] = core.span(d, e); return core.overlaps(start, end, may.since, may.until); };
  assert.equal(ev("2020", ""), true);
  assert.equal(ev("2020-05-21", ""), true);
  assert.equal(ev("2020-06", ""), false);
  assert.equal(ev("2020-01", "2020-05-02"), true);
});

test("the handles move by months and stay in order and on the axis", () => {
  const sc = T.scale(spansOf([["2020", ""]]), 600);
  assert.deepEqual(T.moveEdge(sc, "", "", "since", 1), { since: "2020-02", until: "2020-12" });
  assert.deepEqual(T.moveEdge(sc, "", "", "until", -100), { since: "2020-01", until: "2020-01" });
  assert.deepEqual(T.moveEdge(sc, "2020-05-20", "2020-05", "since", 3), { since: "2020-05", until: "2020-05" });
  assert.deepEqual(T.moveEdge(sc, "2020-03", "2020-06", "until", 100), { since: "2020-03", until: "2020-12" });
  assert.equal(T.wholeAxis(sc, "2020-01", "2020-12"), true);
  assert.equal(T.wholeAxis(sc, "2020-01-02", "2020-12"), false);
});

test("playback steps month by month and passes a squeezed stretch in one step", () => {
  const sc = T.scale(spansOf(cases.default_like.dates), 1200);
  const steps = T.steps(sc, 1).map(T.monthText);
  assert.equal(steps[0], "2020-01");
  assert.equal(steps[steps.length - 1], "2024-12");
  assert.equal(steps.indexOf("2020-10") + 1, steps.indexOf("2024-01"));
  assert.equal(steps.length, 10 + 12);
  const three = T.steps(sc, 3).map(T.monthText);
  assert.equal(three[three.length - 1], "2024-10");
  assert.deepEqual(T.windowAt(T.monthFromText("2020-11"), 3), { since: "2020-11", until: "2021-01" });
  assert.equal(T.monthsBetween("2020-05", "2020-07"), 3);
  assert.equal(T.monthsBetween("", "2020-07"), 1);
});

test("histogram bins count each event once, spread over its span", () => {
  const spans = spansOf([["2020", ""], ["2020-05", ""], ["2020-05-21", ""], ["2020-01", "2020-03"]]);
  const sc = T.scale(spans, 1200);
  const bins = T.bins(sc, 3);
  assert.equal(bins.length, 12);
  const from = spans.map((s) => s.from), to = spans.map((s) => s.to);
  const [all] = T.binCounts(bins, from, to, [0, 0, 0, 0], 1, null);
  const total = all.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - 4) < 1e-9, String(total));
  assert.ok(Math.abs(all[4] - (31 / 366 + 1 + 1)) < 1e-9, String(all[4]));
  const [kept] = T.binCounts(bins, from, to, [0, 0, 0, 0], 1, [0, 1, 0, 0]);
  assert.deepEqual(Array.from(kept).map((v) => +v.toFixed(6)), [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
  // Updating the counts for the events that came and went equals counting again.
  const keep = [1, 0, 1, 1];
  const moved = T.binUpdate([kept], bins, from, to, [0, 0, 0, 0], [0, 1, 2, 3], keep)[0];
  const again = T.binCounts(bins, from, to, [0, 0, 0, 0], 1, keep)[0];
  assert.deepEqual(Array.from(moved).map((v) => +v.toFixed(9)), Array.from(again).map((v) => +v.toFixed(9)));
  const wide = T.bins(T.scale(spansOf([["1900", ""], ["2020", ""]]), 400), 3);
  wide.forEach((b) => assert.ok(b.p1 - b.p0 >= 3 - 1e-9 || b === wide[wide.length - 1]));
});

test("marks in lanes never cover one another", () => {
  const lefts = [0, 10, 5, 30, 12], rights = [20, 15, 9, 40, 50];
  const lane = T.lanes(lefts, rights, 1);
  for (let i = 0; i < lefts.length; i++) {
    for (let j = i + 1; j < lefts.length; j++) {
      if (lane[i] === lane[j]) assert.ok(rights[i] + 1 <= lefts[j] || rights[j] + 1 <= lefts[i], `${i} ${j}`);
    }
  }
});

test("a range reads as months", () => {
  assert.equal(T.rangeLabel("", ""), "all dates");
  assert.equal(T.rangeLabel("2020-05", "2020-07"), "May 2020 – Jul 2020");
  assert.equal(T.rangeLabel("2020-05", "2020-05"), "May 2020");
  assert.equal(T.rangeLabel("2020-05-20", ""), "from 20 May 2020");
});

test("a selection kept up to date step by step keeps what the core's matches keeps", () => {
  // Deterministic pseudo-random events and criteria; every update is checked against a full pass.
  let seed = 7;
  const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return Math.floor(seed / 65536) % n; };
  const vocab = { kinds: ["visit", "statement"], levels: ["alleged", "reported", "confirmed"],
    places: [{ keys: ["caracas"] }, { keys: ["tehran"] }] };
  const day = (d) => T.isoOf(T.dayOf("2019-01-01") + d);
  const events = [];
  // Many start or end exactly on the first or last day of a range, where an edge is decided.
  const edges = ["2019-02-01", "2019-02-28", "2019-07-01", "2019-07-14", "2019-07-15", "2019-07-31",
    "2020-01-01", "2020-12-31", "2021-03-01", "2021-03-31", "2023-01-01", "2023-01-31"]
    .map((iso) => T.dayOf(iso) - T.dayOf("2019-01-01"));
  for (let i = 0; i < 400; i++) {
    const len = [0, 0, 30, 365, 90][rand(5)];
    const a = rand(3) ? rand(1500) : edges[rand(edges.length)] - (rand(2) ? len : 0);
    events.push({ index: i, start: day(a), end: day(a + len), kind: vocab.kinds[rand(2)],
      level: rand(3), actorKeys: [["iran"], ["venezuela"], []][rand(3)], places: [rand(2)],
      origins: rand(3) });
  }
  const sel = T.selection(events, (ev) => ev.kind);
  // Like a brush: an edge mostly moves a month or two; now and then it jumps, opens or takes a
  // day or a year.
  const months = [];
  for (let m = 0; m < 50; m++) months.push(T.monthText(T.monthOf(T.dayOf("2019-01-01")) + m));
  const odd = ["", "2019-07-15", "2020", "2021-03-31"];
  const at = { since: 0, until: 49 };
  const move = (edge) => {
    if (rand(6) === 0) return odd[rand(odd.length)];
    at[edge] = rand(8) === 0 ? rand(50) : Math.max(0, Math.min(49, at[edge] + rand(5) - 2));
    return months[at[edge]];
  };
  let options = core.emptyOptions();
  let previous = new Uint8Array(events.length);
  for (let step = 0; step < 400; step++) {
    options = Object.assign({}, options);
    const what = rand(10);
    if (what < 4) options.since = move("since");
    else if (what < 8) options.until = move("until");
    else if (what === 8) options.kind = rand(2) ? null : [vocab.kinds[rand(2)]];
    else options.confidence = ["", "reported", "confirmed"][rand(3)];
    const crit = core.criteria(options, vocab);
    const changed = sel.update(crit, core.matches);
    const want = events.map((ev) => (core.matches(ev, crit) ? 1 : 0));
    assert.deepEqual(Array.from(sel.flags), want, JSON.stringify(options));
    const flipped = want.map((f, i) => (f !== previous[i] ? i : -1)).filter((i) => i >= 0);
    assert.deepEqual(changed.slice().sort((a, b) => a - b), flipped);
    assert.equal(sel.shown(), want.reduce((a, b) => a + b, 0));
    const visits = events.filter((ev, i) => want[i] && ev.kind === "visit").length;
    assert.equal(sel.counts().visit || 0, visits);
    previous = Uint8Array.from(want);
  }
});

test("orderBy orders indexes as decode.byDate's comparator does: start, end, then index", () => {
  const decode = require("../../geomap/static/js/decode.js");
  const days = ["2020", "2020-05", "2020-05-21", "2019-12-31", "2021-01", ""];
  const events = [];
  for (let i = 0; i < 400; i++) {
    events.push({ index: i, start: days[(i * 7) % days.length], end: days[(i * 11 + 3) % days.length] });
  }
  const want = events.slice().sort(decode.byDate).map((ev) => ev.index);
  assert.deepEqual(Array.from(T.orderBy(events, ["start", "end"])), want);
  const byStart = events.slice().sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.index - b.index));
  assert.deepEqual(Array.from(T.orderBy(events, ["start"])), byStart.map((ev) => ev.index));
});

test("day and month numbers are the calendar's, as Date counts them", () => {
  for (let day = T.dayOf("1000-01-01"), end = T.dayOf("2999-12-31"); day <= end; day++) {
    const d = new Date(day * 86400000);
    assert.equal(T.dayOf(d.toISOString().slice(0, 10)), day);
    assert.equal(T.monthOf(day), d.getUTCFullYear() * 12 + d.getUTCMonth());
  }
  assert.equal(T.dayOf("1970-01-01"), 0);
  assert.equal(T.monthOf(-0.5), 1969 * 12 + 11);
});
