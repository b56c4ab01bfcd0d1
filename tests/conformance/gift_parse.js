// Parse a GIFT file with gift-pegjs (an independent GIFT grammar, installed by `npm ci`)
// and print its questions as JSON, for tests/test_conformance.py.
"use strict";
const fs = require("fs");
const path = require("path");
const { parse } = require(path.join(__dirname, "..", "..", "node_modules", "gift-pegjs"));

const text = fs.readFileSync(process.argv[2], "utf8");
process.stdout.write(JSON.stringify(parse(text)));
