// Lint rules for the page script and its node tests (flat config).
"use strict";

const js = require("@eslint/js");

const browser = {
  window: "readonly", document: "readonly", location: "readonly", history: "readonly",
  navigator: "readonly", requestAnimationFrame: "readonly", performance: "readonly",
  self: "readonly", L: "readonly", Supercluster: "readonly", URLSearchParams: "readonly", setTimeout: "readonly",
  clearTimeout: "readonly", matchMedia: "readonly", getComputedStyle: "readonly",
  atob: "readonly", DecompressionStream: "readonly", TextDecoder: "readonly",
  geomapCore: "readonly", geomapDecode: "readonly", geomapTime: "readonly", geomapPage: "writable",
};
const node = {
  require: "readonly", module: "writable", __dirname: "readonly", process: "readonly",
};

module.exports = [
  { ignores: ["node_modules/", ".venv/", "maps/", "benchmarks/work/"] },
  js.configs.recommended,
  {
    files: ["geomap/static/js/**/*.js"],
    languageOptions: { ecmaVersion: 2020, sourceType: "script", globals: { ...browser, ...node } },
    rules: { "no-var": "off", eqeqeq: "error", "no-implicit-globals": "error", strict: ["error", "function"] },
  },
  {
    files: ["tests/js/**/*.js", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "commonjs", globals: { ...node, Buffer: "readonly" } },
  },
];
