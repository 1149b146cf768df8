// Builds Lantern's front-end assets into lantern/foundation/static/build (not committed):
// our Sass compiled against GOV.UK Frontend and MoJ Frontend, plus their JavaScript,
// fonts and images, htmx, Cytoscape.js (the link chart) and axe-core (the last for browser tests only).
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "lantern", "foundation", "static", "build");
const modules = join(root, "node_modules");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const copies = [
  ["govuk-frontend/dist/govuk/assets", "assets"],
  ["govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk/govuk-frontend.min.js"],
  ["@ministryofjustice/frontend/moj/assets", "assets"],
  ["@ministryofjustice/frontend/moj/moj-frontend.min.js", "moj/moj-frontend.min.js"],
  ["htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"],
  ["cytoscape/dist/cytoscape.esm.min.mjs", "cytoscape/cytoscape.esm.min.js"],
  ["axe-core/axe.min.js", "axe/axe.min.js"],
];
for (const [from, to] of copies) {
  cpSync(join(modules, from), join(out, to), { recursive: true });
}

const result = sass.compile(join(root, "lantern", "foundation", "assets", "lantern.scss"), {
  loadPaths: [root, modules],
  style: "compressed",
  quietDeps: true,
  // GOV.UK and MoJ Frontend warn about their own deprecations; errors still throw.
  logger: sass.Logger.silent,
});
writeFileSync(join(out, "lantern.css"), result.css);
console.log(`built assets in ${out}`);
