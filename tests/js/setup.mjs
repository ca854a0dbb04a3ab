// A browser page for the kit's tests: jsdom's window as the globals the modules use, and a fetch
// that answers from a list the test gives. Import this before any kit module.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { JSDOM } = require(process.env.JSDOM_PATH || "jsdom");

export const dom = new JSDOM('<!doctype html><html lang="nb"><body></body></html>', { url: "http://127.0.0.1/members/" });
for (const name of ["window", "document", "Node", "HTMLElement", "CustomEvent", "CSS", "location", "sessionStorage"]) {
  globalThis[name] = name === "window" ? dom.window : dom.window[name];
}
if (!globalThis.CSS || !globalThis.CSS.escape) globalThis.CSS = { escape: (value) => String(value).replace(/["\\]/g, "\\$&") };

export const requests = [];
let answers = [];

/** The next fetches answer these ({status, body}), in order; every request is kept in `requests`. */
export function answer(...list) {
  answers = list;
  requests.length = 0;
}

globalThis.fetch = async (path, init = {}) => {
  requests.push({ path, ...init, body: init.body ? JSON.parse(init.body) : undefined });
  const next = answers.shift() || { status: 500, body: null };
  if (next.wait) await next.wait;
  return new Response(next.body === null ? "" : JSON.stringify(next.body), { status: next.status });
};

/** Put markup in the page and return its first element. */
export function html(markup) {
  document.body.innerHTML = markup;
  return document.body.firstElementChild;
}

export const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
