// Form fields with labels, and the server's problem+json `errors` shown next to the field they
// name ("condition.threshold" goes under the Condition field).

import { html, uid } from "./html.js";
import { ApiError } from "./api.js";

/**
 * A labelled field. `type` "textarea" and "select" (with `options` [[value, text]]) are supported;
 * `attrs` are extra attributes as a markup string built with html``.
 */
export function field({ label, name, type = "text", value = "", hint = "", options = [], attrs = "", wide = false }) {
  const id = uid(name);
  const describedBy = [hint ? `${id}-hint` : "", `${id}-error`].filter(Boolean).join(" ");
  let control;
  if (type === "textarea") {
    control = html`<textarea id="${id}" name="${name}" aria-describedby="${describedBy}" ${attrs}>${value}</textarea>`;
  } else if (type === "select") {
    control = html`<select id="${id}" name="${name}" aria-describedby="${describedBy}" ${attrs}>
      ${options.map(([v, text]) => html`<option value="${v}" ${String(v) === String(value) ? html`selected` : ""}>${text}</option>`)}
    </select>`;
  } else if (type === "checkbox") {
    return html`<div class="field check">
      <input type="checkbox" id="${id}" name="${name}" ${value ? html`checked` : ""} aria-describedby="${describedBy}" ${attrs}>
      <label for="${id}">${label}</label>
      <p class="error" id="${id}-error" data-error-for="${name}" hidden></p>
    </div>`;
  } else {
    control = html`<input id="${id}" name="${name}" type="${type}" value="${value}" aria-describedby="${describedBy}" ${attrs}>`;
  }
  return html`<div class="field${wide ? " wide" : ""}">
    <label for="${id}">${label}</label>
    ${control}
    <p class="error" id="${id}-error" data-error-for="${name}" hidden></p>
    ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ""}
  </div>`;
}

/** Clears the errors shown on `form`. */
export function clearErrors(form) {
  for (const p of form.querySelectorAll(".error, .form-error")) {
    p.hidden = true;
    p.textContent = "";
  }
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

/**
 * Shows `error` on `form`: each entry of a problem's `errors` next to its field, anything else in
 * the form's own message area. Focuses the first bad field.
 */
export function showErrors(form, error) {
  clearErrors(form);
  const general = [];
  let first = null;
  const errors = error instanceof ApiError ? error.errors : {};
  for (const [key, message] of Object.entries(errors)) {
    const name = key.split(/[.[]/)[0];
    const slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
    if (!slot) {
      general.push(`${key} ${message}`);
      continue;
    }
    const control = form.elements.namedItem(name);
    const rest = key.slice(name.length);
    // "condition.threshold" reads "threshold ...", "questions[2].answer[0]" reads "[2].answer[0] ..."
    const text = key === name ? message : `${rest.startsWith(".") ? rest.slice(1) : rest} ${message}`;
    slot.textContent = slot.textContent ? `${slot.textContent}; ${text}` : text;
    slot.hidden = false;
    if (control instanceof Element) {
      control.setAttribute("aria-invalid", "true");
      first ??= control;
    }
  }
  if (Object.keys(errors).length === 0 || general.length) {
    general.unshift(error.message || "Something went wrong.");
  }
  const box = form.querySelector(".form-error");
  if (box && general.length) {
    box.textContent = general.join(" ");
    box.hidden = false;
  }
  (first ?? box)?.focus?.();
}

/** Disables the form's submit button while `work` runs. */
export async function busy(form, work) {
  const buttons = form.querySelectorAll("button");
  buttons.forEach((b) => (b.disabled = true));
  try {
    return await work();
  } finally {
    buttons.forEach((b) => (b.disabled = false));
  }
}

/** Shows one client-side message next to field `name` and focuses it. */
export function fieldError(form, name, message) {
  clearErrors(form);
  const slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
  slot.textContent = message;
  slot.hidden = false;
  const control = form.elements.namedItem(name);
  control.setAttribute("aria-invalid", "true");
  control.focus();
}
