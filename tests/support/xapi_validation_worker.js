// Validate xAPI statements with the npm package `xapi-validation`
// (Learning Locker's validator).  Protocol: one JSON document per input line
// (a statement or a list of statements); one JSON line back per input: a list
// of readable warning strings, empty when every statement is valid.
"use strict";
const path = require("path");
const readline = require("readline");

const nodeModules = process.env.CCM_NODE_MODULES || path.join(__dirname, "..", "..", "node_modules");
const validate = require(path.join(nodeModules, "xapi-validation")).default;

function check(document) {
  const statements = Array.isArray(document) ? document : [document];
  const out = [];
  statements.forEach((statement, index) => {
    for (const w of validate(statement)) {
      const where = (w.path || []).join(".");
      const kind = w.typeName ? `${w.name} (${w.typeName})` : w.name;
      let data;
      try { data = JSON.stringify(w.data); } catch (e) { data = String(w.data); }
      if (data && data.length > 200) data = data.slice(0, 200) + "...";
      out.push(`[${index}] ${where}: ${kind}${w.message && w.message !== "Validation Error" ? " " + w.message : ""}; got ${data}`);
    }
  });
  return out;
}

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", (line) => {
  if (!line.trim()) return;
  let result;
  try {
    result = check(JSON.parse(line));
  } catch (e) {
    result = [`validator failure: ${e && e.message}`];
  }
  process.stdout.write(JSON.stringify(result) + "\n");
});
