// The admin sections for what talks to SkillQuest from outside: API clients (graders) and webhooks.
// Both hand out a secret exactly once, so both show it in a panel that stays until dismissed.

import { api, toast } from "../app.js";
import { busy, clearErrors, field, showErrors } from "../forms.js";
import { html, num, when } from "../html.js";
import { adminFrame, confirmTwice, listActions } from "./admin-frame.js";

const SCOPES = [["grade", "grade — score external challenges and record results"]];
const EVENT_TYPES = ["attempt.processed", "level.reached", "badge.awarded"];
const REFRESH_MS = 2000;

/** A fieldset of checkboxes named `name`, with the error slot the server's `errors` map fills. */
function checkboxes(legend, name, options, checked = []) {
  return html`<fieldset class="field choices">
    <legend>${legend}</legend>
    ${options.map(
      ([value, label]) => html`<label class="check"><input type="checkbox" name="${name}" value="${value}" ${checked.includes(value) ? html`checked` : ""}> ${label}</label>`,
    )}
    <p class="error" data-error-for="${name}" hidden></p>
  </fieldset>`;
}

function checkedValues(form, name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
}

/** Shows a secret the server returns only once, until the admin dismisses it. */
function showSecretOnce(host, what, secret) {
  host.querySelector(".secret-once")?.remove();
  const panel = document.createElement("section");
  panel.className = "card secret-once";
  panel.setAttribute("aria-labelledby", "secret-h");
  panel.innerHTML = html`<h2 id="secret-h" tabindex="-1">Copy the ${what} secret now</h2>
    <p>It is shown only this once; SkillQuest keeps no readable copy. If it is lost, create a new one.</p>
    <p><code class="secret" data-secret>${secret}</code></p>
    <div class="actions">
      <button class="button" type="button" data-action="copy">Copy</button>
      <button class="button ghost" type="button" data-action="dismiss">I have stored it</button>
    </div>`.toString();
  panel.addEventListener("click", async (e) => {
    const action = e.target.closest("button")?.dataset.action;
    if (action === "dismiss") {
      panel.remove();
    } else if (action === "copy") {
      try {
        await navigator.clipboard.writeText(secret);
        toast("Secret copied.");
      } catch {
        // clipboard access needs a secure context: select the text so Ctrl-C works
        getSelection().selectAllChildren(panel.querySelector("[data-secret]"));
        toast("Press Ctrl-C (or ⌘-C) to copy the selected secret.");
      }
    }
  });
  host.prepend(panel);
  panel.querySelector("h2").focus();
}

function items(response) {
  return Array.isArray(response) ? response : (response?.items ?? []);
}

/** Create and revoke API clients (server-to-server callers such as graders). */
class AdminClients extends HTMLElement {
  #items = [];

  connectedCallback() {
    adminFrame(this, "API client", "API clients", html`
          ${field({ label: "Name", name: "name", hint: "Who calls with it, e.g. “code-runner grader”.", attrs: html`required maxlength="100"` })}
          ${checkboxes("Scopes", "scopes", SCOPES, ["grade"])}`, {
      save: (form) => this.#save(form),
      edit: () => {},
      act: listActions(() => this.#items, { revoke: (client, button) => this.#revoke(client, button) }),
    });
    this.#load();
  }

  async #load() {
    this.#items = items(await api.get("/admin/clients"));
    const list = this.querySelector(".admin-list");
    list.innerHTML = this.#items.length
      ? this.#items
          .map((c) => {
            const revoked = Boolean(c.revoked_at ?? c.revoked);
            return html`<li data-id="${c.id}">
              <div class="item-main">
                <p class="name" id="k-${c.id}">${c.name}</p>
                <p class="meta">${c.scopes.map((s) => html`<span class="tag">${s}</span>`)}
                  <span class="state ${revoked ? "draft" : "published"}">${revoked ? "Revoked" : "Active"}</span></p>
                <p class="muted small">Created ${when(c.created_at)} · ${c.last_used_at ? html`last used ${when(c.last_used_at)}` : "never used"}</p>
              </div>
              <div class="item-actions">
                ${revoked ? "" : html`<button class="button small danger" type="button" data-action="revoke" aria-describedby="k-${c.id}">Revoke</button>`}
              </div>
            </li>`;
          })
          .join("")
      : html`<li class="empty">No API clients yet.</li>`.toString();
  }

  async #save(form) {
    const body = { name: form.elements.name.value, scopes: checkedValues(form, "scopes") };
    try {
      const created = await busy(form, () => api.post("/admin/clients", body));
      clearErrors(form);
      form.reset();
      showSecretOnce(this, `“${created.name}”`, created.secret);
      await this.#load();
    } catch (error) {
      showErrors(form, error);
    }
  }

  async #revoke(client, button) {
    if (!(await confirmTwice(button, "Confirm revoke"))) return;
    await api.delete(`/admin/clients/${client.id}`);
    toast(`Revoked “${client.name}”: its secret no longer works.`);
    await this.#load();
  }
}

/** Webhook endpoints: create, edit, pause, delete, and each one's delivery log with re-send. */
class AdminWebhooks extends HTMLElement {
  #items = [];
  #editing = null;
  #refresh = 0;

  connectedCallback() {
    adminFrame(this, "webhook", "webhooks", html`
          ${field({ label: "URL", name: "url", type: "url", hint: "An https:// address that answers 2xx within 10 s. Deliveries are signed (SkillQuest-Signature).", attrs: html`required` })}
          ${checkboxes("Events", "events", EVENT_TYPES.map((t) => [t, t]), EVENT_TYPES)}
          ${field({ label: "Enabled", name: "enabled", type: "checkbox", value: true })}`, {
      save: (form) => this.#save(form),
      edit: (item) => this.#edit(item),
      act: listActions(() => this.#items, {
        edit: (hook) => this.#edit(hook),
        toggle: (hook) => this.#toggleEnabled(hook),
        deliveries: (hook) => this.#showDeliveries(hook),
        delete: (hook, button) => this.#delete(hook, button),
      }),
    });
    const log = document.createElement("section");
    log.className = "card deliveries";
    log.hidden = true;
    log.setAttribute("aria-live", "polite");
    this.append(log);
    log.addEventListener("click", (e) => this.#onDeliveryAction(e));
    this.#load();
  }

  async #load() {
    this.#items = items(await api.get("/admin/webhooks"));
    const list = this.querySelector(".admin-list");
    list.innerHTML = this.#items.length
      ? this.#items
          .map(
            (w) => html`<li data-id="${w.id}">
              <div class="item-main">
                <p class="name" id="w-${w.id}">${w.url}</p>
                <p class="meta">${w.events.map((t) => html`<span class="tag">${t}</span>`)}
                  <span class="state ${w.enabled ? "published" : "draft"}">${w.enabled ? "Enabled" : "Disabled"}</span></p>
              </div>
              <div class="item-actions">
                <button class="button small ghost" type="button" data-action="deliveries" aria-describedby="w-${w.id}">Deliveries</button>
                <button class="button small ghost" type="button" data-action="edit" aria-describedby="w-${w.id}">Edit</button>
                <button class="button small ghost" type="button" data-action="toggle" aria-describedby="w-${w.id}">${w.enabled ? "Disable" : "Enable"}</button>
                <button class="button small danger" type="button" data-action="delete" aria-describedby="w-${w.id}">Delete</button>
              </div>
            </li>`,
          )
          .join("")
      : html`<li class="empty">No webhooks yet.</li>`.toString();
  }

  #edit(hook) {
    this.#editing = hook;
    const form = this.querySelector("form");
    clearErrors(form);
    form.reset();
    this.querySelector("#webhook-form-h").textContent = hook ? "Edit webhook" : "New webhook";
    form.querySelector("[type=submit]").textContent = hook ? "Save changes" : "Create webhook";
    form.querySelector("[data-action=cancel]").hidden = !hook;
    if (hook) {
      form.elements.url.value = hook.url;
      form.elements.enabled.checked = hook.enabled;
      for (const box of form.querySelectorAll('input[name="events"]')) box.checked = hook.events.includes(box.value);
      form.elements.url.focus();
    }
  }

  async #save(form) {
    const body = { url: form.elements.url.value.trim(), events: checkedValues(form, "events"), enabled: form.elements.enabled.checked };
    try {
      const saved = await busy(form, () =>
        this.#editing ? api.patch(`/admin/webhooks/${this.#editing.id}`, body) : api.post("/admin/webhooks", body),
      );
      if (this.#editing) {
        toast("Saved the webhook.");
      } else {
        showSecretOnce(this, "signing", saved.secret);
      }
      this.#edit(null);
      await this.#load();
    } catch (error) {
      showErrors(form, error);
    }
  }

  async #toggleEnabled(hook) {
    await api.patch(`/admin/webhooks/${hook.id}`, { enabled: !hook.enabled });
    toast(`${hook.enabled ? "Disabled" : "Enabled"} ${hook.url}.`);
    await this.#load();
  }

  async #delete(hook, button) {
    if (!(await confirmTwice(button))) return;
    await api.delete(`/admin/webhooks/${hook.id}`);
    toast(`Deleted ${hook.url}.`);
    if (this.#editing?.id === hook.id) this.#edit(null);
    const log = this.querySelector(".deliveries");
    if (Number(log.dataset.hook) === hook.id) log.hidden = true;
    await this.#load();
  }

  async #showDeliveries(hook, { focus = true } = {}) {
    clearTimeout(this.#refresh);
    const log = this.querySelector(".deliveries");
    const rows = items(await api.get(`/admin/webhooks/${hook.id}/deliveries`));
    log.dataset.hook = hook.id;
    log.hidden = false;
    log.innerHTML = html`<h2 id="deliveries-h" tabindex="-1">Deliveries to ${hook.url}</h2>
      ${rows.length
        ? html`<div class="table-wrap"><table class="table" aria-labelledby="deliveries-h">
          <thead><tr><th>Event</th><th>Status</th><th class="num">Tries</th><th class="num">Code</th><th>Error</th><th>Next try</th><th>Action</th></tr></thead>
          <tbody>${rows.map(
            (d) => html`<tr data-id="${d.id}">
              <td>#${d.event_id} ${d.event_type ?? ""}</td>
              <td><span class="status ${d.status}">${d.status}</span></td>
              <td class="num">${num(d.attempts)}</td>
              <td class="num">${d.last_status_code ?? "—"}</td>
              <td>${d.last_error ?? ""}</td>
              <td>${d.status === "pending" ? when(d.next_attempt_at) : ""}</td>
              <td>${d.status === "pending" ? "" : html`<button class="button small ghost" type="button" data-action="resend">Re-send</button>`}</td>
            </tr>`,
          )}</tbody></table></div>`
        : html`<p class="muted">No deliveries yet: they appear as events of the chosen types happen.</p>`}`.toString();
    if (focus) log.querySelector("h2").focus();
    // the worker delivers in the background: follow pending rows (and an empty log) until they settle
    if (!rows.length || rows.some((d) => d.status === "pending")) {
      this.#refresh = setTimeout(() => {
        if (this.isConnected && !log.hidden && log.dataset.hook === String(hook.id)) {
          this.#showDeliveries(hook, { focus: false }).catch(() => {});
        }
      }, REFRESH_MS);
    }
  }

  disconnectedCallback() {
    clearTimeout(this.#refresh);
  }

  async #onDeliveryAction(e) {
    const button = e.target.closest("button[data-action=resend]");
    if (!button) return;
    const log = this.querySelector(".deliveries");
    const hook = this.#items.find((w) => w.id === Number(log.dataset.hook));
    try {
      await api.post(`/admin/webhooks/${hook.id}/deliveries/${button.closest("tr").dataset.id}/resend`);
      toast("Queued for re-sending.");
      await this.#showDeliveries(hook);
    } catch (error) {
      toast(error.message, "error");
    }
  }
}

customElements.define("sq-admin-clients", AdminClients);
customElements.define("sq-admin-webhooks", AdminWebhooks);
