import { readFileSync, writeFileSync } from "node:fs";
import { stringify, parse } from "yaml";
if (process.argv[2] === "make") {
  const gh = JSON.parse(readFileSync("node_modules/@octokit/openapi/generated/api.github.com.json", "utf8"));
  const keys = Object.keys(gh.paths);
  const n = Number(process.argv[3]);
  writeFileSync("/tmp/bench-apps/big.yml", stringify({ ...gh, paths: Object.fromEntries(keys.slice(0, n).map(k => [k, gh.paths[k]])), components: { schemas: Object.fromEntries(Object.entries(gh.components.schemas).slice(0, n)) } }));
} else {
  const text = readFileSync("/tmp/bench-apps/big.yml", "utf8");
  const t0 = performance.now(); const d = parse(text, { merge: true, uniqueKeys: false, maxAliasCount: 100 });
  console.log((text.length/1048576).toFixed(2), "MB ok in", (performance.now()-t0)|0, "ms");
}
