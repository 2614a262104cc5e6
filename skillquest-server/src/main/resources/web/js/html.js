// Markup from template literals with every interpolated value escaped, so user-supplied text
// (usernames, titles, server messages) is always inert; nested html`` results pass through as-is.

class Markup {
  constructor(text) {
    this.text = text;
  }

  toString() {
    return this.text;
  }
}

const ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escape(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

function render(value) {
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false) return "";
  return escape(value);
}

export function html(strings, ...values) {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new Markup(out);
}

let ids = 0;

/** A document-unique id for label/field pairs. */
export function uid(prefix = "f") {
  ids += 1;
  return `${prefix}-${ids}`;
}

const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat("en", { dateStyle: "medium" });
const number = new Intl.NumberFormat("en");

export function when(iso) {
  return iso ? dateTime.format(new Date(iso)) : "";
}

export function day(iso) {
  return iso ? dateOnly.format(new Date(iso)) : "";
}

export function num(n) {
  return number.format(n ?? 0);
}

/** An icon from /web/icons, decorative unless given a label. */
export function icon(name, label = "", cls = "icon") {
  const src = new URL(`../icons/${name}.svg`, import.meta.url).pathname;
  return html`<img class="${cls}" src="${src}" alt="${label}" width="24" height="24">`;
}
