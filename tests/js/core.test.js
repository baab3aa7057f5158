/* The page's core on the shared JSON cases (tests/cases/), which Python's tests read too. */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const core = require("../../geomap/static/js/core.js");

const CASES = path.join(__dirname, "..", "cases");
const load = (name) => JSON.parse(fs.readFileSync(path.join(CASES, name), "utf8"));

test("fold of typed text equals Python's fold", () => {
  for (const [typed, key] of load("fold.json").cases) {
    assert.equal(core.fold(typed), key, JSON.stringify(typed));
  }
});

test("partial dates become their first and last day", () => {
  for (const [text, first, last] of load("dates.json").parse) {
    const parsed = core.parseDate(text);
    if (first === null) assert.equal(parsed, null, text);
    else assert.deepEqual([parsed.first, parsed.last], [first, last], text);
  }
});

test("a month's last day is the calendar's, leap years included", () => {
  for (let year = 1000; year <= 2999; year++) {
    for (let month = 1; month <= 12; month++) {
      const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
      const text = year + "-" + String(month).padStart(2, "0");
      assert.equal(core.parseDate(text).last, text + "-" + days, text);
      assert.equal(core.parseDate(text + "-" + (days + 1)), null, text);
    }
  }
});

test("since/until keep an event whose span overlaps (the CLI's rule)", () => {
  for (const c of load("dates.json").overlap) {
    const [start, end] = core.span(c.date, c.end_date);
    const crit = core.criteria({ since: c.since, until: c.until }, { kinds: [], levels: [] });
    assert.deepEqual(crit.ignored, []);
    assert.equal(core.overlaps(start, end, crit.since, crit.until), c.kept, JSON.stringify(c));
  }
});

const address = load("address.json");

test("the address reads the CLI's option names and the old keys", () => {
  for (const c of address.parse) {
    const want = Object.assign(core.emptyOptions(), c.options);
    assert.deepEqual(core.parseAddress(c.hash), want, c.hash);
  }
});

test("the address is written with the CLI's option names and reads back", () => {
  for (const c of address.write) {
    const options = Object.assign(core.emptyOptions(), c.options);
    const hash = core.writeAddress(options);
    assert.equal(hash, c.hash);
    assert.deepEqual(core.parseAddress("#" + hash), options);
  }
});

test("the address reads a bounded number of bounded values", () => {
  const { values, length } = address.limits;
  assert.equal(core.LIMITS.values, values);
  assert.equal(core.LIMITS.length, length);
  const many = Array.from({ length: 20000 }, (_, i) => "actor=a" + i).join("&");
  assert.equal(core.parseAddress("#" + many).actor.length, values);
  const long = "x".repeat(length + 1);
  assert.deepEqual(core.parseAddress("#actor=" + long + "&actor=ok").actor, ["ok"]);
  assert.deepEqual(core.parseAddress("#actor=" + "x".repeat(length)).actor, ["x".repeat(length)]);
  const huge = "#" + "actor=y&".repeat(10) + "z".repeat(1e6);
  assert.deepEqual(core.parseAddress(huge).actor, ["y"]);
});

test("map views parse and write", () => {
  for (const [text, view] of address.views) assert.deepEqual(core.parseView(text), view, text);
  assert.equal(core.writeView(5, 10.5, -66.9), "5/10.5000/-66.9000");
});

const filters = load("filters.json");
const places = filters.places.map((p) => ({
  id: p.id, keys: [...new Set([p.id, p.name, ...p.aliases].map(core.fold))],
}));
const areaNames = filters.areas.map((a) => a.name);
const vocab = {
  kinds: ["shipment", "flight", "visit", "seizure", "statement", "agreement", "payment",
    "appointment"],
  levels: ["alleged", "reported", "confirmed"],
  places,
  areas: filters.areas,
  attributes: filters.attribute_names,
};
const placeRow = (id) => filters.places.find((p) => p.id === id);
const events = filters.events.map((e) => {
  const [start, end] = core.span(e.date, e.end_date);
  const stops = e.places.map(placeRow);
  return {
    id: e.id, start, end, kind: e.kind, level: vocab.levels.indexOf(e.confidence),
    actorKeys: e.actors.map(core.fold),
    places: e.places.map((id) => places.findIndex((p) => p.id === id)), origins: e.origins,
    coords: stops.map((p) => [p.lat, p.lon]),
    areas: [...new Set(stops.flatMap((p) => p.areas.map((a) => areaNames.indexOf(a))))],
    attributeKeys: e.attributes.map(core.fold),
  };
});

/* The CLI's option names (plural where Python's from_options says so) as the page's. */
function pageOptions(o) {
  return {
    year: o.years, since: o.since, until: o.until, actor: o.actors, kind: o.kinds,
    confidence: o.confidence, place: o.places, origins: o.origins, near: o.near, bbox: o.bbox,
    within: o.within, where: o.where,
  };
}

test("every filter keeps what Python's filters keep", () => {
  for (const c of filters.cases) {
    const crit = core.criteria(pageOptions(c.options), vocab);
    assert.deepEqual(crit.ignored, [], c.name);
    const kept = events.filter((e) => core.matches(e, crit)).map((e) => e.id);
    assert.deepEqual(kept, c.expected, c.name);
  }
});

test("values the CLI refuses are ignored by the page, and listed", () => {
  for (const [option, value] of filters.refused) {
    const repeated = option === "within" || option === "where";
    const crit = core.criteria({ [option]: repeated ? [value] : value }, vocab);
    assert.deepEqual(crit.ignored, [[option, value]], option + "=" + value);
    const kept = events.filter((e) => core.matches(e, crit)).map((e) => e.id);
    assert.deepEqual(kept, filters.events.map((e) => e.id), option + "=" + value);
  }
});

test("an event's spatial and column fields come from the payload's columns", () => {
  const doc = {
    attribute_key_table: ["kyiv city", "kyiv", ""],
    events: { coords: [[[50.45, 30.52]], []], areas: [[164], []],
      attribute_keys: [[0, 1], [2, 2]] },
  };
  assert.deepEqual(core.filterFields(doc, 0),
    { coords: [[50.45, 30.52]], areas: [164], attributeKeys: ["kyiv city", "kyiv"] });
  assert.deepEqual(core.filterFields(doc, 1), { coords: [], areas: [], attributeKeys: ["", ""] });
  assert.deepEqual(core.filterFields({ events: {} }, 0),
    { coords: [], areas: [], attributeKeys: [] });  // a payload without them filters on nothing
});

test("haversine and the box are the CLI's formulas", () => {
  // geomap.filters.haversine_km's doctest: Caracas to Tehran.
  assert.equal(Math.round(core.haversineKm(10.4806, -66.9036, 35.6892, 51.389)), 11765);
  assert.equal(core.haversineKm(1, 2, 1, 2), 0);
  assert.ok(core.inBbox(179, 0, [170, -1, -170, 1]));
  assert.ok(core.inBbox(-175, 0, [170, -1, -170, 1]));
  assert.ok(!core.inBbox(0, 0, [170, -1, -170, 1]));
  assert.ok(core.inBbox(170, 1, [170, -1, -170, 1]));  // edges are inside, as in Python
});

test("the current view becomes a --bbox value, across the antimeridian too", () => {
  for (const [bounds, text] of load("address.json").view_boxes) {
    assert.equal(core.viewBox(...bounds), text, JSON.stringify(bounds));
    assert.notEqual(core.parseBbox(text), null, text);
  }
});

test("values the page cannot use are reported, not applied", () => {
  const crit = core.criteria({
    year: ["20", "2021-2020"], since: "2020-13", until: "", kind: ["tank"], confidence: "sure",
    place: ["Atlantis"],
  }, vocab);
  assert.deepEqual(crit.ignored, [["year", "20"], ["year", "2021-2020"], ["since", "2020-13"],
    ["kind", "tank"], ["confidence", "sure"], ["place", "Atlantis"]]);
  assert.equal(events.filter((e) => core.matches(e, crit)).length, 0);  // no kind is left
  const before = core.criteria({ since: "2021", until: "2020" }, vocab);
  assert.deepEqual(before.ignored, [["until", "2020"]]);
});

test("a value may be as long as the longest name in the data, no longer", () => {
  const name = "n".repeat(5000);
  assert.deepEqual(core.parseAddress("#actor=" + name).actor, []);
  assert.deepEqual(core.parseAddress("#actor=" + name, 5000).actor, [name]);
  assert.deepEqual(core.parseAddress("#actor=" + name + "n", 5000).actor, []);
});

test("filters are written before names, so a cut address keeps them", () => {
  const options = Object.assign(core.emptyOptions(), {
    actor: Array.from({ length: 400 }, (_, i) => "actor " + i), kind: ["visit"],
    confidence: "reported",
  });
  const back = core.parseAddress("#" + core.writeAddress(options));
  assert.deepEqual(back.kind, ["visit"]);
  assert.equal(back.confidence, "reported");
  assert.equal(back.actor.length, core.LIMITS.values - 2);
});

/* ---- Strokes hidden under others ---- */

const line = (...xy) => Float64Array.from(xy);
const call = (width, covers, ...items) => ({ width, covers, items });
const BOX = [0, 0, 100, 100];

test("a stroke wholly under three later solid strokes is hidden, under two it is not", () => {
  const under = call(3, true, [line(20, 50, 80, 50)]);
  const over = () => call(9, true, [line(10, 50, 90, 50)]);
  assert.deepEqual(core.occluded([under, over(), over(), over()], BOX, 3)[0], [true]);
  assert.deepEqual(core.occluded([under, over(), over()], BOX, 3)[0], [false]);
  /* The top strokes themselves stay. */
  assert.deepEqual(core.occluded([under, over(), over(), over()], BOX, 3).slice(1),
    [[false], [false], [false]]);
});

test("strokes of one call cover a pixel once, dashed ones not at all", () => {
  const under = call(3, true, [line(20, 50, 80, 50)]);
  const wide = [line(10, 50, 90, 50)];
  assert.deepEqual(core.occluded([under, call(9, true, wide, wide, wide)], BOX, 3)[0], [false]);
  assert.deepEqual(core.occluded([under, call(9, false, wide), call(9, true, wide),
    call(9, true, wide)], BOX, 3)[0], [false]);
});

test("a stroke reaching out from under the others is not covered", () => {
  const over = () => call(9, true, [line(10, 50, 90, 50)]);
  /* Its flat end lies a pixel past theirs. */
  assert.deepEqual(core.occluded([call(3, true, [line(20, 50, 91.5, 50)]), over(), over(), over()],
    BOX, 3)[0], [false]);
  /* Beside them: its edge is 2 px from theirs. */
  assert.deepEqual(core.occluded([call(3, true, [line(20, 53, 80, 53)]), over(), over(), over()],
    BOX, 3)[0], [false]);
});

test("a stroke's corners cover nothing near them, where its outline crosses itself", () => {
  const under = (x, y) => call(2, true, [line(x, y, x + 1, y)]);
  const vee = () => call(10, true, [line(20, 20, 50, 80, 80, 20)]);
  /* Along an arm, away from the corner, it is covered; at the corner it is not. */
  assert.deepEqual(core.occluded([under(34.5, 50), vee(), vee(), vee()], BOX, 3)[0], [true]);
  assert.deepEqual(core.occluded([under(49.5, 76), vee(), vee(), vee()], BOX, 3)[0], [false]);
});

test("a stroke drawing nothing in the box is hidden; one part inside keeps it", () => {
  assert.deepEqual(core.occluded([call(3, false, [line(-50, -50, -20, -20)])], BOX, 3)[0], [true]);
  assert.deepEqual(core.occluded([call(3, false, [line(-50, -50, -20, -20), line(5, 5, 20, 5)])],
    BOX, 3)[0], [false]);
});

test("overdraw is the strokes' paint over the area they reach", () => {
  /* 80 px by 10 px wide, twice, over the 92 x 12 px they may touch (half their width and a
   * pixel's half diagonal all round, rounded outwards). */
  const calls = [call(10, true, [line(10, 50, 90, 50)]), call(10, true, [line(10, 50, 90, 50)])];
  assert.ok(Math.abs(core.overdraw(calls, BOX) - 1600 / (92 * 12)) < 1e-9, core.overdraw(calls, BOX));
  /* What lies outside the box is not counted. */
  assert.equal(core.overdraw([call(3, true, [line(-50, -50, -20, -20)])], BOX), 0);
});
