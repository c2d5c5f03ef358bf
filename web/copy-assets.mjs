// Copy the Swagger UI files /docs uses into the Python package, so the API docs work offline.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, "node_modules", "swagger-ui-dist");
const out = join(here, "..", "src", "rasd", "web", "static", "swagger");
mkdirSync(out, { recursive: true });
for (const f of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"]) {
  copyFileSync(join(src, f), join(out, f));
  console.log(`copied ${f}`);
}
