// Copies the icons Attune uses (tools/icons/icons.json) from lucide-static, restored by npm, into
// one SVG sprite of <symbol>s: src/Attune/wwwroot/lib/icons.svg. Run by the build (Attune.csproj,
// target AttuneIcons) after `npm ci`; by hand: `node tools/icons/build.mjs`. Each symbol keeps the
// shapes only: stroke, width and caps come from the .icon class in site.css, colour from the text.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const lucide = join(root, "node_modules", "lucide-static");
const out = join(root, "src", "Attune", "wwwroot", "lib", "icons.svg");
const wanted = JSON.parse(readFileSync(join(root, "tools", "icons", "icons.json"), "utf8"));
const version = JSON.parse(readFileSync(join(lucide, "package.json"), "utf8")).version;

const symbols = [];
for (const [name, source] of Object.entries(wanted)) {
  if (name.startsWith("_")) continue;
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`icons.json: "${name}" is not a plain lower-case name`);
  const svg = readFileSync(join(lucide, "icons", `${source}.svg`), "utf8");
  const viewBox = /viewBox="([^"]+)"/.exec(svg)?.[1];
  const body = /<svg[^>]*>([\s\S]*)<\/svg>/.exec(svg)?.[1];
  if (!viewBox || body === undefined) throw new Error(`lucide-static ${source}.svg: no viewBox or body`);
  const shapes = body.split("\n").map(l => l.trim()).filter(Boolean).join("");
  symbols.push(`<symbol id="${name}" viewBox="${viewBox}">${shapes}</symbol>`);
}

// A comment may not hold "--": the licence's rule lines become "=" of the same length.
const license = readFileSync(join(lucide, "LICENSE"), "utf8").replace(/-{2,}/g, m => "=".repeat(m.length)).trim();
const sprite = `<svg xmlns="http://www.w3.org/2000/svg">
<!-- Icons from lucide-static ${version} (https://lucide.dev), copied by tools/icons/build.mjs.
${license}
-->
${symbols.join("\n")}
</svg>
`;
mkdirSync(dirname(out), { recursive: true });
let before = null;
try { before = readFileSync(out, "utf8"); } catch { /* first build */ }
if (before !== sprite) writeFileSync(out, sprite);
console.log(`icons: ${symbols.length} from lucide-static ${version} in src/Attune/wwwroot/lib/icons.svg`);
