/* Prints the page's fold of every code point, one JSON list (compared with Python's by
 * tests/test_page_js.py). Not a test file of its own. */
"use strict";

const core = require("../../geomap/static/js/core.js");

const out = [];
for (let cp = 0; cp < 0x110000; cp++) {
  if (cp >= 0xd800 && cp < 0xe000) continue;
  out.push(core.fold(String.fromCodePoint(cp)));
}
process.stdout.write(JSON.stringify(out));
