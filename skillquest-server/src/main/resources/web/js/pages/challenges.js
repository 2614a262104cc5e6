import { api, focusHeading, session, toast } from "../app.js";
import { query } from "../api.js";
import { busy, field, fieldError, showErrors } from "../forms.js";
import { html, num } from "../html.js";

export const DIFFICULTIES = ["easy", "medium", "hard", "expert"];
const PAGE = 50;

/** Published challenges with filters; a signed-in player starts one and submits a score. */
class ChallengesPage extends HTMLElement {
  #open = new Map(); // challenge id -> the player's started attempt
  #shown = new Map(); // challenge id -> the challenge as listed

  connectedCallback() {
    this.innerHTML = html`<section class="stack">
      <div class="page-head">
        <h1 tabindex="-1">Challenges</h1>
        <p class="muted">Score 0 to 100 on a challenge to earn up to its XP. Retries only add what beats your best.</p>
      </div>
      <form class="filters" role="search" aria-label="Filter challenges">
        ${field({ label: "Difficulty", name: "difficulty", type: "select", options: [["", "Any"], ...DIFFICULTIES.map((d) => [d, cap(d)])] })}
        ${field({ label: "Tag", name: "tag", attrs: html`list="known-tags" autocomplete="off"` })}
        <datalist id="known-tags"></datalist>
        <div class="actions"><button class="button ghost" type="submit">Filter</button></div>
      </form>
      <p class="count muted" role="status"></p>
      <ul class="cards" aria-label="Challenges"></ul>
    </section>`.toString();
    const filters = this.querySelector(".filters");
    filters.addEventListener("submit", (e) => {
      e.preventDefault();
      this.#load();
    });
    filters.difficulty.addEventListener("change", () => this.#load());
    this.querySelector(".cards").addEventListener("click", (e) => this.#onClick(e));
    this.querySelector(".cards").addEventListener("submit", (e) => this.#onSubmit(e));
    focusHeading(this);
    this.#load();
  }

  async #load() {
    const filters = this.querySelector(".filters");
    const params = { difficulty: filters.difficulty.value, tag: filters.tag.value.trim(), limit: PAGE };
    const count = this.querySelector(".count");
    try {
      const [page, started] = await Promise.all([
        api.get(`/challenges${query(params)}`),
        session.signedIn ? api.get("/attempts?status=started&limit=100") : { items: [] },
      ]);
      this.#open = new Map(started.items.map((a) => [a.challenge_id, a]));
      const visible = page.items.filter((c) => c.published);
      this.#shown = new Map(visible.map((c) => [c.id, c]));
      count.textContent = `${visible.length} challenge${visible.length === 1 ? "" : "s"}`;
      this.#renderTags(visible);
      this.querySelector(".cards").innerHTML = visible.length
        ? visible.map((c) => this.#card(c)).join("")
        : html`<li class="empty">No challenges match. Try another difficulty or tag.</li>`.toString();
    } catch (error) {
      count.textContent = `Challenges cannot be loaded: ${error.message}`;
    }
  }

  #renderTags(challenges) {
    const list = this.querySelector("#known-tags");
    const tags = [...new Set(challenges.flatMap((c) => c.tags))].sort();
    list.innerHTML = tags.map((t) => html`<option value="${t}"></option>`).join("");
  }

  #card(c) {
    const attempt = this.#open.get(c.id);
    return html`<li class="card challenge" data-id="${c.id}">
      <div class="card-head">
        <h2 id="challenge-${c.id}">${c.title}</h2>
        <span class="xp-pill">${num(c.xp)} XP</span>
      </div>
      <p class="meta"><span class="difficulty ${c.difficulty}">${cap(c.difficulty)}</span>
        <span>Pass at ${c.pass_score}</span>
        ${c.tags.map((t) => html`<span class="tag">#${t}</span>`)}</p>
      ${c.description ? html`<p class="description">${c.description}</p>` : ""}
      <div class="play">${this.#play(c, attempt)}</div>
    </li>`;
  }

  #play(c, attempt) {
    if (!session.signedIn) {
      return html`<p class="muted"><a href="#/signin">Sign in</a> to take this challenge.</p>`;
    }
    if (!attempt) {
      return html`<button class="button" type="button" data-action="start" aria-describedby="challenge-${c.id}">Start</button>`;
    }
    if (c.scoring === "external") {
      return html`<p class="muted" role="status">Started. A grader scores this challenge; your XP arrives when they do.</p>`;
    }
    if (c.scoring === "quiz") {
      return this.#quiz(c, attempt);
    }
    return html`<form class="submit-score" data-attempt="${attempt.id}" novalidate>
      <p class="form-error" role="alert" tabindex="-1" hidden></p>
      ${field({ label: "Score", name: "score", type: "number", hint: "Your result, 0 to 100.", attrs: html`min="0" max="100" step="1" inputmode="numeric" required` })}
      <div class="actions"><button class="button" type="submit" aria-describedby="challenge-${c.id}">Submit</button></div>
    </form>`;
  }

  /** A quiz as a form: one group of choices per question; the server scores the answers. */
  #quiz(c, attempt) {
    const questions = c.questions ?? [];
    return html`<form class="submit-quiz" data-attempt="${attempt.id}" novalidate>
      <p class="form-error" role="alert" tabindex="-1" hidden></p>
      ${questions.map(
        (q, n) => html`<fieldset class="question" data-question="${q.id}">
          <legend>${n + 1}. ${q.prompt}</legend>
          ${q.choices.map(
            (choice, i) => html`<div class="field check">
              <input type="checkbox" id="q-${attempt.id}-${n}-${i}" name="${q.id}" value="${i}">
              <label for="q-${attempt.id}-${n}-${i}">${choice}</label>
            </div>`,
          )}
        </fieldset>`,
      )}
      <div class="actions"><button class="button" type="submit" aria-describedby="challenge-${c.id}">Submit</button></div>
    </form>`;
  }

  async #onClick(e) {
    const button = e.target.closest("[data-action=start]");
    if (!button) return;
    const card = button.closest(".challenge");
    const id = Number(card.dataset.id);
    button.disabled = true;
    try {
      const attempt = await api.post("/attempts", { challenge_id: id });
      this.#open.set(id, attempt);
      const slot = card.querySelector(".play");
      slot.innerHTML = this.#play(this.#shown.get(id) ?? { id }, attempt).toString();
      slot.querySelector("input, button, p")?.focus();
    } catch (error) {
      button.disabled = false;
      toast(`Could not start: ${error.message}`, "error");
    }
  }

  async #onSubmit(e) {
    const quiz = e.target.closest(".submit-quiz");
    if (quiz) {
      e.preventDefault();
      await this.#submitQuiz(quiz);
      return;
    }
    const form = e.target.closest(".submit-score");
    if (!form) return;
    e.preventDefault();
    const raw = form.score.value.trim();
    const score = Number(raw);
    if (raw === "" || !Number.isInteger(score) || score < 0 || score > 100) {
      fieldError(form, "score", "Enter a whole number from 0 to 100.");
      return;
    }
    const card = form.closest(".challenge");
    try {
      const attempt = await busy(form, () => api.post(`/attempts/${form.dataset.attempt}/submit`, { score }));
      this.#open.delete(Number(card.dataset.id));
      const slot = card.querySelector(".play");
      slot.innerHTML = html`<p class="result" role="status">Submitted a score of ${score}. Your XP is on its way.</p>
        <button class="button ghost" type="button" data-action="start" aria-describedby="challenge-${card.dataset.id}">Start</button>`.toString();
      this.#follow(attempt.id, slot.querySelector(".result"));
    } catch (error) {
      showErrors(form, error);
    }
  }

  async #submitQuiz(form) {
    const answers = {};
    for (const group of form.querySelectorAll(".question")) {
      answers[group.dataset.question] = [...group.querySelectorAll("input:checked")].map((i) => Number(i.value));
    }
    const card = form.closest(".challenge");
    try {
      const attempt = await busy(form, () => api.post(`/attempts/${form.dataset.attempt}/submit`, { answers }));
      this.#open.delete(Number(card.dataset.id));
      const slot = card.querySelector(".play");
      slot.innerHTML = html`<p class="result" role="status">Answers sent: you scored ${attempt.score}. Your XP is on its way.</p>
        <button class="button ghost" type="button" data-action="start" aria-describedby="challenge-${card.dataset.id}">Start</button>`.toString();
      this.#follow(attempt.id, slot.querySelector(".result"));
    } catch (error) {
      showErrors(form, error);
    }
  }

  /** Shows the outcome once the worker has processed the attempt (usually well under a second). */
  async #follow(id, line) {
    for (let i = 0; i < 20 && line.isConnected; i += 1) {
      await new Promise((r) => setTimeout(r, 500));
      try {
        const a = await api.get(`/attempts/${id}`);
        if (a.status === "passed" || a.status === "failed") {
          line.textContent = `${a.status === "passed" ? "Passed" : "Not passed this time"} with ${a.score}: +${num(a.xp_awarded)} XP.`;
          line.classList.add(a.status);
          return;
        }
      } catch {
        return;
      }
    }
  }
}

export function cap(s) {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

customElements.define("sq-challenges-page", ChallengesPage);
