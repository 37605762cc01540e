// Copy the front-end's third-party files from node_modules into
// marsad/serve/static/vendor so that `marsad serve` works offline and a pip
// install needs no npm. The copied files are committed; run this after
// changing a version in package.json:
//
//   cd web && npm ci && node build.mjs          # copy
//   cd web && npm ci && node build.mjs --check  # fail if vendor/ is stale
//
// Only the files the page loads are copied (no source maps, no demos), each
// package with its licence, and vendor/VERSIONS.json records what was copied.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const vendor = join(here, "..", "marsad", "serve", "static", "vendor");

// package -> [file in the package, name under vendor/<package>/]
const FILES = {
  leaflet: [
    ["dist/leaflet.js", "leaflet.js"],
    ["dist/leaflet.css", "leaflet.css"],
    ["dist/images/layers.png", "images/layers.png"],
    ["dist/images/layers-2x.png", "images/layers-2x.png"],
    ["dist/images/marker-icon.png", "images/marker-icon.png"],
    ["dist/images/marker-icon-2x.png", "images/marker-icon-2x.png"],
    ["dist/images/marker-shadow.png", "images/marker-shadow.png"],
    ["LICENSE", "LICENSE"],
  ],
  "leaflet.markercluster": [
    ["dist/leaflet.markercluster.js", "leaflet.markercluster.js"],
    ["dist/MarkerCluster.css", "MarkerCluster.css"],
    ["dist/MarkerCluster.Default.css", "MarkerCluster.Default.css"],
    ["MIT-LICENCE.txt", "LICENSE"],
  ],
  "topojson-client": [
    ["dist/topojson-client.min.js", "topojson-client.min.js"],
    ["LICENSE", "LICENSE"],
  ],
  // Natural Earth 1:50m admin-0 outlines (public domain) as TopoJSON: the offline basemap.
  "world-atlas": [
    ["countries-50m.json", "countries-50m.json"],
    ["LICENSE", "LICENSE"],
  ],
  // The OpenAPI page (/docs) without a CDN.
  "swagger-ui-dist": [
    ["swagger-ui-bundle.js", "swagger-ui-bundle.js"],
    ["swagger-ui.css", "swagger-ui.css"],
    ["favicon-32x32.png", "favicon-32x32.png"],
    ["LICENSE", "LICENSE"],
  ],
};

const sha256 = (path) => createHash("sha256").update(readFileSync(path)).digest("hex");

function manifest() {
  const out = {};
  for (const [pkg, files] of Object.entries(FILES)) {
    const meta = JSON.parse(readFileSync(join(modules, pkg, "package.json"), "utf8"));
    out[pkg] = {
      version: meta.version,
      license: meta.license,
      files: Object.fromEntries(files.map(([src, dst]) => [dst, sha256(join(modules, pkg, src))])),
    };
  }
  return out;
}

if (!existsSync(modules)) {
  console.error("web/node_modules is missing: run `npm ci` in web/ first");
  process.exit(2);
}
const wanted = manifest();
const text = JSON.stringify(wanted, null, 2) + "\n";

if (process.argv.includes("--check")) {
  const stale = [];
  for (const [pkg, { files }] of Object.entries(wanted)) {
    for (const [dst, digest] of Object.entries(files)) {
      const path = join(vendor, pkg, dst);
      if (!existsSync(path) || sha256(path) !== digest) stale.push(`${pkg}/${dst}`);
    }
  }
  const current = existsSync(join(vendor, "VERSIONS.json")) ? readFileSync(join(vendor, "VERSIONS.json"), "utf8") : "";
  if (current !== text) stale.push("VERSIONS.json");
  if (stale.length) {
    console.error(`vendor/ is stale (${stale.join(", ")}): run \`node web/build.mjs\` and commit`);
    process.exit(1);
  }
  console.log("vendor/ matches node_modules");
  process.exit(0);
}

rmSync(vendor, { recursive: true, force: true });
for (const [pkg, files] of Object.entries(FILES)) {
  for (const [src, dst] of files) {
    const target = join(vendor, pkg, dst);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(modules, pkg, src), target);
  }
}
writeFileSync(join(vendor, "VERSIONS.json"), text);
console.log(`copied ${Object.keys(FILES).length} packages into ${vendor}`);
