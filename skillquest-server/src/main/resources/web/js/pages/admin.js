import { api, features, focusHeading, toast } from "../app.js";
import { busy, clearErrors, field, fieldError, showErrors } from "../forms.js";
import { html, num } from "../html.js";
import { cap, DIFFICULTIES } from "./challenges.js";
import { badgeIcon } from "./progress.js";
import { adminFrame, confirmTwice, listActions } from "./admin-frame.js";
import "./admin-integrations.js";

// [path, label, element, capability the server must offer (from capabilities.js) or none]
const SECTIONS = [
  ["challenges", "Challenges", "sq-admin-challenges"],
  ["badges", "Badges", "sq-admin-badges"],
  ["clients", "API clients", "sq-admin-clients", "clients"],
  ["webhooks", "Webhooks", "sq-admin-webhooks", "webhooks"],
];

const CONDITION_HELP =
  'JSON. Types: xp {threshold}, level {level}, attempt_count {count, status?}, consecutive_days {days}, distinct_days {days}, perfect_scores {count}, tag_passed {tag, count}, all_of / any_of {conditions: [...]}.';
const QUESTIONS_HELP =
  'For a quiz: JSON, e.g. [{"id": "q1", "prompt": "Two plus two?", "choices": ["3", "4"], "answer": [1], "points": 1}]. Players never see "answer".';
const CONDITION_EXAMPLE = '{"type": "xp", "threshold": 100}';

/** The admin console: one section per resource the server offers. */
class AdminPage extends HTMLElement {
  async connectedCallback() {
    const caps = await features();
    const sections = SECTIONS.filter(([, , , needs]) => !needs || caps[needs]);
    const [path, , tag] = sections.find(([s]) => s === this.dataset.sub) ?? sections[0];
    this.innerHTML = html`<section class="stack">
      <div class="page-head"><h1 tabindex="-1">Admin</h1></div>
      <nav class="subnav" aria-label="Admin sections"><ul>
        ${sections.map(([s, label]) => html`<li><a href="#/admin/${s}" ${s === path ? html`aria-current="page"` : ""}>${label}</a></li>`)}
      </ul></nav>
      <div class="section"></div>
    </section>`.toString();
    this.querySelector(".section").append(document.createElement(tag));
    focusHeading(this);
  }
}

/** Create, edit, publish/unpublish and delete challenges. */
class AdminChallenges extends HTMLElement {
  #items = [];
  #editing = null;

  connectedCallback() {
    adminFrame(this, "challenge", "challenges", html`
          ${field({ label: "Title", name: "title", attrs: html`required maxlength="200"` })}
          ${field({ label: "Description", name: "description", type: "textarea", attrs: html`rows="3"` })}
          <div class="row">
            ${field({ label: "XP", name: "xp", type: "number", value: "100", attrs: html`min="0" required` })}
            ${field({ label: "Pass score", name: "pass_score", type: "number", value: "60", attrs: html`min="0" max="100"` })}
          </div>
          ${field({ label: "Difficulty", name: "difficulty", type: "select", value: "easy", options: DIFFICULTIES.map((d) => [d, cap(d)]) })}
          ${field({ label: "Tags", name: "tags", hint: "Separated by commas, e.g. java, basics." })}
          ${field({ label: "Scoring", name: "scoring", type: "select", value: "self", options: [["self", "Self (the player enters a score)"], ["quiz", "Quiz (the server scores answers)"], ["external", "External (a grader scores it)"]] })}
          ${field({ label: "Questions", name: "questions", type: "textarea", hint: QUESTIONS_HELP, attrs: html`rows="5" spellcheck="false" class="code"` })}
          ${field({ label: "Published", name: "published", type: "checkbox", value: true })}`, {
      save: (form) => this.#save(form),
      edit: (item) => this.#edit(item),
      act: listActions(() => this.#items, {
        edit: (challenge) => this.#edit(challenge),
        publish: (challenge) => this.#togglePublished(challenge),
        delete: (challenge, button) => this.#delete(challenge, button),
      }),
    });
    this.#load();
  }

  async #load() {
    const page = await api.get("/challenges?limit=100");
    this.#items = page.items;
    const list = this.querySelector(".admin-list");
    list.innerHTML = this.#items.length
      ? this.#items
          .map(
            (c) => html`<li data-id="${c.id}">
              <div class="item-main">
                <p class="name" id="c-${c.id}">${c.title}</p>
                <p class="meta"><span class="difficulty ${c.difficulty}">${cap(c.difficulty)}</span>
                  <span>${num(c.xp)} XP</span>
                  <span class="state ${c.published ? "published" : "draft"}">${c.published ? "Published" : "Draft"}</span>
                  ${c.tags.map((t) => html`<span class="tag">#${t}</span>`)}</p>
              </div>
              <div class="item-actions">
                <button class="button small ghost" type="button" data-action="edit" aria-describedby="c-${c.id}">Edit</button>
                <button class="button small ghost" type="button" data-action="publish" aria-describedby="c-${c.id}">${c.published ? "Unpublish" : "Publish"}</button>
                <button class="button small danger" type="button" data-action="delete" aria-describedby="c-${c.id}">Delete</button>
              </div>
            </li>`,
          )
          .join("")
      : html`<li class="empty">No challenges yet. Create the first one.</li>`.toString();
  }

  #edit(challenge) {
    this.#editing = challenge;
    const form = this.querySelector("form");
    clearErrors(form);
    form.reset();
    this.querySelector("#challenge-form-h").textContent = challenge ? `Edit “${challenge.title}”` : "New challenge";
    form.querySelector("[type=submit]").textContent = challenge ? "Save changes" : "Create challenge";
    form.querySelector("[data-action=cancel]").hidden = !challenge;
    if (challenge) {
      form.elements.title.value = challenge.title;
      form.elements.description.value = challenge.description ?? "";
      form.elements.xp.value = challenge.xp;
      form.elements.pass_score.value = challenge.pass_score;
      form.elements.difficulty.value = challenge.difficulty;
      form.elements.tags.value = challenge.tags.join(", ");
      form.elements.published.checked = challenge.published;
      form.elements.scoring.value = challenge.scoring ?? "self";
      form.elements.questions.value = challenge.questions?.length ? JSON.stringify(challenge.questions, null, 2) : "";
      form.elements.title.focus();
    }
  }

  async #save(form) {
    const body = {
      title: form.elements.title.value,
      description: form.elements.description.value,
      xp: number(form.elements.xp.value),
      pass_score: number(form.elements.pass_score.value),
      difficulty: form.elements.difficulty.value,
      tags: form.elements.tags.value.split(",").map((t) => t.trim()).filter(Boolean),
      published: form.elements.published.checked,
      scoring: form.elements.scoring.value,
    };
    if (body.scoring === "quiz") {
      try {
        body.questions = JSON.parse(form.elements.questions.value);
      } catch (e) {
        clearErrors(form);
        fieldError(form, "questions", `is not valid JSON (${e.message})`);
        return;
      }
    }
    try {
      const saved = await busy(form, () =>
        this.#editing ? api.patch(`/challenges/${this.#editing.id}`, body) : api.post("/challenges", body),
      );
      toast(this.#editing ? `Saved “${saved.title}”.` : `Created “${saved.title}”.`);
      this.#edit(null);
      await this.#load();
    } catch (error) {
      showErrors(form, error);
    }
  }

  async #togglePublished(challenge) {
    await api.patch(`/challenges/${challenge.id}`, { published: !challenge.published });
    toast(`${challenge.published ? "Unpublished" : "Published"} “${challenge.title}”.`);
    await this.#load();
  }

  async #delete(challenge, button) {
    if (!(await confirmTwice(button))) return;
    await api.delete(`/challenges/${challenge.id}`);
    toast(`Deleted “${challenge.title}”.`);
    if (this.#editing?.id === challenge.id) this.#edit(null);
    await this.#load();
  }
}

/** Create, edit and delete badges; the condition is JSON checked by the server. */
class AdminBadges extends HTMLElement {
  #items = [];
  #editing = null;

  connectedCallback() {
    adminFrame(this, "badge", "badges", html`
          ${field({ label: "Name", name: "name", attrs: html`required` })}
          ${field({ label: "Description", name: "description" })}
          ${field({ label: "Condition", name: "condition", type: "textarea", value: CONDITION_EXAMPLE, hint: CONDITION_HELP, attrs: html`rows="5" spellcheck="false" class="code" required` })}
          ${field({ label: "Icon URL", name: "icon_url", type: "url", hint: "Optional. Images on this server are shown; others fall back to a built-in icon." })}`, {
      save: (form) => this.#save(form),
      edit: (item) => this.#edit(item),
      act: listActions(() => this.#items, {
        edit: (badge) => this.#edit(badge),
        delete: (badge, button) => this.#delete(badge, button),
      }),
    });
    this.#load();
  }

  async #load() {
    this.#items = await api.get("/badges");
    const list = this.querySelector(".admin-list");
    list.innerHTML = this.#items.length
      ? this.#items
          .map(
            (b) => html`<li data-id="${b.id}">
              ${badgeIcon(b, b.condition)}
              <div class="item-main">
                <p class="name" id="b-${b.id}">${b.name}</p>
                ${b.description ? html`<p class="muted small">${b.description}</p>` : ""}
                <code class="condition">${JSON.stringify(b.condition)}</code>
              </div>
              <div class="item-actions">
                <button class="button small ghost" type="button" data-action="edit" aria-describedby="b-${b.id}">Edit</button>
                <button class="button small danger" type="button" data-action="delete" aria-describedby="b-${b.id}">Delete</button>
              </div>
            </li>`,
          )
          .join("")
      : html`<li class="empty">No badges yet.</li>`.toString();
  }

  #edit(badge) {
    this.#editing = badge;
    const form = this.querySelector("form");
    clearErrors(form);
    form.reset();
    this.querySelector("#badge-form-h").textContent = badge ? `Edit “${badge.name}”` : "New badge";
    form.querySelector("[type=submit]").textContent = badge ? "Save changes" : "Create badge";
    form.querySelector("[data-action=cancel]").hidden = !badge;
    if (badge) {
      form.elements.name.value = badge.name;
      form.elements.description.value = badge.description ?? "";
      form.elements.condition.value = JSON.stringify(badge.condition, null, 2);
      form.elements.icon_url.value = badge.icon_url ?? "";
      form.elements.name.focus();
    }
  }

  async #save(form) {
    let condition;
    try {
      condition = JSON.parse(form.elements.condition.value);
    } catch (e) {
      fieldError(form, "condition", `is not valid JSON (${e.message})`);
      return;
    }
    const body = { name: form.elements.name.value, description: form.elements.description.value, condition };
    const icon = form.elements.icon_url.value.trim();
    if (icon || this.#editing) body.icon_url = icon || null;
    try {
      const saved = await busy(form, () =>
        this.#editing ? api.patch(`/badges/${this.#editing.id}`, body) : api.post("/badges", body),
      );
      toast(this.#editing ? `Saved “${saved.name}”.` : `Created “${saved.name}”.`);
      this.#edit(null);
      await this.#load();
    } catch (error) {
      showErrors(form, error);
    }
  }

  async #delete(badge, button) {
    if (!(await confirmTwice(button))) return;
    await api.delete(`/badges/${badge.id}`);
    toast(`Deleted “${badge.name}”.`);
    if (this.#editing?.id === badge.id) this.#edit(null);
    await this.#load();
  }
}

function number(raw) {
  return raw.trim() === "" ? undefined : Number(raw);
}

customElements.define("sq-admin-page", AdminPage);
customElements.define("sq-admin-challenges", AdminChallenges);
customElements.define("sq-admin-badges", AdminBadges);
