// Builds Luvat's committed static UI files from the npm packages in package-lock.json:
//   ui/scss/*.scss (GOV.UK Frontend restyled with Suomi.fi design tokens) -> web/static/web/*.css
//   GOV.UK Frontend's JavaScript                                          -> web/static/web/govuk/
//   the Suomi.fi icons Luvat uses, as plain SVG files                     -> web/static/web/icons/
// Run with `npm ci && npm run build`; commit the output. Nothing is fetched at run time, and
// running or testing the service needs only Python.
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const out = join(root, "src", "luvat", "web", "static", "web");

// The icons the templates show (names as in suomifi-icons' baseIcons).
const ICONS = ["IconChevronRight", "IconAlert", "IconCheckCircle", "IconInfo", "IconCalendar"];

function buildCss() {
  const dir = join(root, "ui", "scss");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".scss") && !f.startsWith("_"))) {
    const result = sass.compile(join(dir, file), {
      loadPaths: [modules],
      style: "compressed",
      sourceMap: false,
      // GOV.UK Frontend's own deprecation notices are theirs to fix, not ours.
      quietDeps: true,
    });
    const target = join(out, file.replace(/\.scss$/, ".css"));
    writeFileSync(target, result.css + "\n");
    console.log(`css   ${target.slice(root.length + 1)} (${result.css.length} bytes)`);
  }
}

function copyJs() {
  const target = join(out, "govuk");
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  copyFileSync(join(modules, "govuk-frontend", "dist", "govuk", "govuk-frontend.min.js"), join(target, "govuk-frontend.min.js"));
  copyFileSync(join(root, "ui", "js", "govuk-init.js"), join(target, "govuk-init.js"));
  console.log(`js    ${target.slice(root.length + 1)}/`);
}

// suomifi-icons ships React components; each is a static tree of <svg> and <path> elements,
// serialised here to plain SVG so that the pages need no React.
const KEEP_CASE = new Set(["viewBox", "preserveAspectRatio"]);
function toSvg(element) {
  if (element === null || element === undefined || typeof element === "boolean") return "";
  if (typeof element === "string" || typeof element === "number") return String(element);
  if (Array.isArray(element)) return element.map(toSvg).join("");
  const { type, props } = element;
  if (typeof type === "function") return toSvg(type(props));
  const attrs = [];
  for (const [key, value] of Object.entries(props)) {
    if (key === "children" || value === undefined || value === null || value === false) continue;
    const name = key === "className" ? "class" : KEEP_CASE.has(key) ? key : key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    attrs.push(`${name}="${String(value).replace(/"/g, "&quot;")}"`);
  }
  const children = toSvg(props.children);
  return `<${type}${attrs.length ? " " + attrs.join(" ") : ""}>${children}</${type}>`;
}

async function buildIcons() {
  const target = join(out, "icons");
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const React = (await import("react")).default;
  for (const name of ICONS) {
    const module = await import(join(modules, "suomifi-icons", "esm", "svgrComponents", "baseIcons", `${name}.js`));
    const svg = toSvg(React.createElement(module.default, { "aria-hidden": "true", focusable: "false" }))
      .replace(/fill="#212121"/g, 'fill="currentColor"');
    const file = name.replace(/^Icon/, "").replace(/[A-Z]/g, (c, i) => (i ? "-" : "") + c.toLowerCase());
    writeFileSync(join(target, `${file}.svg`), svg + "\n");
  }
  copyFileSync(join(modules, "suomifi-icons", "LICENSE"), join(target, "LICENSE"));
  console.log(`icons ${target.slice(root.length + 1)}/ (${ICONS.length})`);
}

buildCss();
copyJs();
await buildIcons();
