/* Decoding the payload's columns, the feature grouping and the event list's search. */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const decode = require("../../geomap/static/js/decode.js");

const doc = {
  version: 3,
  kinds: [{ id: "flight", label: "Flight", color: "#000", mark: "triangle", count: 2 },
    { id: "visit", label: "Visit", color: "#111", mark: "circle", count: 1 }],
  levels: ["alleged", "reported", "confirmed"],
  precisions: ["exact", "city", "region"],
  names: ["Mahan Air", "Straße Corp", "Caracas", "Tehrān"],
  name_keys: ["mahan air", "strasse corp", "caracas", "tehran"],
  places: [{ id: "caracas", name: "Caracas", keys: ["caracas"] },
    { id: "tehran", name: "Tehrān", keys: ["tehran", "teheran"] }],
  sources: [{ id: "s", title: "Tankers arrive", outlet: "Example News", author: "", url: "" }],
  geoms: [{ t: "L", c: [[[51.4, 35.7], [-66.9, 10.5]]] }, { t: "P", c: [-66.9, 10.5] }],
  events: {
    id: ["a", "b", "c"], kind: [0, 0, 1], title: ["Air bridge", "Second flight", "A visit"],
    date: ["2020-05", "2020-04", "2021"], end_date: ["", "", ""],
    date_label: ["May 2020", "April 2020", "2021"],
    start: ["2020-05-01", "2020-04-01", "2021-01-01"], end: ["2020-05-31", "2020-04-30", "2021-12-31"],
    summary: ["Flights to Caracas", "", "Straße Corp visits"], carrier: ["Mahan Air", "", ""],
    evidence: ["", "", ""], confidence: [1, 1, 2], precision: [1, 1, 1],
    actors: [[0], [0], [1]], stops: [[3, 2], [3, 2], [2]], places: [[1, 0], [1, 0], [0]],
    sources: [[0], [0], []], geom: [0, 0, 1], travel: [null, null, 0],
  },
};

test("columns become events with names, keys and sources", () => {
  const events = decode.decode(doc);
  assert.equal(events.length, 3);
  assert.deepEqual(events[0].actors, ["Mahan Air"]);
  assert.deepEqual(events[2].actorKeys, ["strasse corp"]);
  assert.equal(events[0].kind, "flight");
  assert.equal(events[2].confidence, "confirmed");
  assert.equal(events[2].level, 2);
  assert.deepEqual(events[0].stops, ["Tehrān", "Caracas"]);
  assert.equal(events[0].sources[0].outlet, "Example News");
});

test("a payload of another version is refused", () => {
  assert.throws(() => decode.decode(Object.assign({}, doc, { version: 2 })), /version 3/);
});

test("only events with the same geometry, origin and style share a feature", () => {
  const [a, b, c] = decode.decode(doc);
  assert.equal(decode.featureKey(a), decode.featureKey(b));
  assert.notEqual(decode.featureKey(a), decode.featureKey(c));
  const withoutTravel = Object.assign({}, c, { travel: null });
  assert.notEqual(decode.featureKey(c), decode.featureKey(withoutTravel));
  const alleged = Object.assign({}, a, { confidence: "alleged" });
  assert.notEqual(decode.featureKey(a), decode.featureKey(alleged));
});

test("search looks in titles, summaries, actors, places, carriers and sources", () => {
  const events = decode.decode(doc);
  const ids = (q) => events.filter((e) => decode.found(e, doc, q)).map((e) => e.id);
  assert.deepEqual(ids(""), ["a", "b", "c"]);
  assert.deepEqual(ids("bridge"), ["a"]);            // title
  assert.deepEqual(ids("flights caracas"), ["a"]);   // summary, every word
  assert.deepEqual(ids("STRASSE"), ["c"]);           // actor, folded
  assert.deepEqual(ids("teheran"), ["a", "b"]);      // a place's alias
  assert.deepEqual(ids("mahan"), ["a", "b"]);        // carrier and actor
  assert.deepEqual(ids("example news"), ["a", "b"]); // source
  assert.deepEqual(ids("nothing like this"), []);
  // A searcher answers the same, and is null when the query has no words (nothing to test).
  assert.equal(decode.searcher(doc, ""), null);
  assert.equal(decode.searcher(doc, "   "), null);
  const test = decode.searcher(doc, "flights caracas");
  assert.deepEqual(events.filter(test).map((e) => e.id), ["a"]);
});

test("events sort by date, actors by how often they appear, years span every event", () => {
  const events = decode.decode(doc);
  assert.deepEqual(events.slice().sort(decode.byDate).map((e) => e.id), ["b", "a", "c"]);
  assert.deepEqual(decode.actorIndex(events).list.map((a) => [a.name, a.count]),
    [["Mahan Air", 2], ["Straße Corp", 1]]);
  assert.deepEqual(decode.yearRange(events), [2020, 2021]);
});

/* The packed payload (tests/cases/packed.json, also read by tests/test_packing.py). */
const packed = require("../cases/packed.json");

test("the packed case unpacks to its document", async () => {
  const got = await decode.unpack(packed.chunks);
  assert.deepStrictEqual(got, packed.doc);
  assert.deepStrictEqual(got.geoms[2].c[0][2], [183.123456, -3.5]);
  assert.deepStrictEqual(got.geoms[5].c[0], [[-2000, 0], [2000, 0.5], [-2000, 1], [2147, -1]]);
});

test("a damaged stream is refused, not drawn", async () => {
  const chunks = packed.chunks.map((c) => Object.assign({}, c));
  const bytes = Buffer.from(chunks.filter((c) => c.stream === 0).map((c) => c.text).join(""), "base64");
  bytes[bytes.length - 1] ^= 0xff;
  const text = bytes.toString("base64");
  const damaged = [{ stream: 0, kind: "geoms", text: text }].concat(chunks.filter((c) => c.stream !== 0));
  await assert.rejects(decode.unpack(damaged));
});

test("a geometry stream of the wrong length is refused", () => {
  const bytes = new Uint8Array(16);
  bytes[0] = 1;
  assert.throws(() => decode.geometries(bytes), /geometry stream of 16 bytes/);
});

test("the packed case unpacks alike with and without a native base64 decoder", async () => {
  const native = Object.getOwnPropertyDescriptor(Uint8Array, "fromBase64");
  try {
    for (const fromBase64 of [undefined, (text) => new Uint8Array(Buffer.from(text, "base64"))]) {
      Object.defineProperty(Uint8Array, "fromBase64", { value: fromBase64, configurable: true });
      assert.deepStrictEqual(await decode.unpack(packed.chunks), packed.doc);
    }
  } finally {
    delete Uint8Array.fromBase64;
    if (native) Object.defineProperty(Uint8Array, "fromBase64", native);
  }
});
