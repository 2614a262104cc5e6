// The pieces every admin section shares: the form-and-list frame and the in-place confirmation.

import { toast } from "../app.js";
import { html } from "../html.js";

/**
 * The page frame every admin section shares: the form card (fields given), the list card, and the
 * wiring of submit, cancel and the list's buttons to the section's own handlers.
 */
export function adminFrame(section, noun, plural, fields, { save, edit, act }) {
  const slug = noun.replace(/\W+/g, "-");
  section.innerHTML = html`<div class="admin-grid">
      <section class="card" aria-labelledby="${slug}-form-h">
        <h2 id="${slug}-form-h">New ${noun}</h2>
        <form class="form" novalidate>
          <p class="form-error" role="alert" tabindex="-1" hidden></p>
          ${fields}
          <div class="actions">
            <button class="button" type="submit">Create ${noun}</button>
            <button class="button ghost" type="button" data-action="cancel" hidden>Cancel</button>
          </div>
        </form>
      </section>
      <section class="card" aria-labelledby="${slug}-list-h">
        <h2 id="${slug}-list-h">All ${plural}</h2>
        <ul class="admin-list"></ul>
      </section>
    </div>`.toString();
  const form = section.querySelector("form");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    save(form);
  });
  form.querySelector("[data-action=cancel]").addEventListener("click", () => edit(null));
  section.querySelector(".admin-list").addEventListener("click", act);
}

/**
 * A list's click handler: runs the section's handler for the clicked button's action with that row's
 * item (from `items()`) and the button, and reports a failure as a toast.
 */
export function listActions(items, handlers) {
  return async (e) => {
    const button = e.target.closest("button[data-action]");
    const handler = button && handlers[button.dataset.action];
    if (!handler) return;
    const id = Number(button.closest("li").dataset.id);
    try {
      await handler(items().find((item) => item.id === id), button);
    } catch (error) {
      toast(error.message, "error");
    }
  };
}

/** A destructive button asks once more in place ("Confirm delete") instead of a modal dialog. */
export function confirmTwice(button, confirmLabel = "Confirm delete") {
  if (button.dataset.armed) return Promise.resolve(true);
  button.dataset.armed = "1";
  const label = button.textContent;
  button.textContent = confirmLabel;
  const reset = () => {
    delete button.dataset.armed;
    button.textContent = label;
  };
  button.addEventListener("blur", reset, { once: true });
  return Promise.resolve(false);
}

