// <skillquest-leaderboard api="SERVER" limit="10" period="week" highlight="42">: the live
// top N of a SkillQuest server, usable on any page (see embed.js). Its markup and styles live in a
// shadow root, so a host page's CSS cannot break it and it cannot break the host page.

import { Api } from "./api.js";
import { html, num } from "./html.js";
import { watchLeaderboard } from "./live.js";

const STYLES = new URL("../leaderboard.css", import.meta.url).href;
const OWN_ORIGIN = new URL(import.meta.url).origin;

export class SkillQuestLeaderboard extends HTMLElement {
  static observedAttributes = ["api", "limit", "period", "highlight", "heading"];

  #stop = null;
  #previous = new Map();
  #api = null;

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    root.innerHTML = `${html`<link rel="stylesheet" href="${STYLES}">`}
      <section class="board">
        <h2 id="heading" part="heading">Leaderboard</h2>
        <table aria-label="Leaderboard">
          <thead><tr>
            <th scope="col" class="rank">Rank</th><th scope="col">Player</th>
            <th scope="col" class="level">Level</th><th scope="col" class="xp">XP</th>
          </tr></thead>
          <tbody></tbody>
        </table>
        <p class="status" role="status"></p>
      </section>`;
  }

  /** The session (from the app) whose token reads the board; hosts leave it unset. */
  set session(session) {
    this._session = session;
    if (this.#stop) this.#restart();
  }

  connectedCallback() {
    // after the current task, so properties set right after insertion are seen by the first read
    queueMicrotask(() => this.#restart());
  }

  disconnectedCallback() {
    this.#stop?.();
    this.#stop = null;
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue) return;
    if (name === "heading") {
      this.#renderHeading();
    } else if (name === "highlight") {
      this.#highlight();
    } else if (this.isConnected) {
      this.#restart();
    }
  }

  #renderHeading() {
    const heading = this.shadowRoot.getElementById("heading");
    const text = this.getAttribute("heading");
    heading.textContent = text || "Leaderboard";
    heading.hidden = text === "";
    this.shadowRoot.querySelector("table").setAttribute("aria-label", text || "Leaderboard");
  }

  #restart() {
    if (!this.isConnected) return;
    this.#stop?.();
    this.#previous.clear();
    this.#renderHeading();
    this.#api = new Api(this.getAttribute("api") || OWN_ORIGIN, this._session ?? null);
    const limit = Math.min(100, Math.max(1, Number(this.getAttribute("limit")) || 10));
    const period = this.getAttribute("period") || "all";
    this.#status("Loading…");
    this.#stop = watchLeaderboard(this.#api, {
      limit,
      period,
      onRows: (rows) => this.#render(rows, period),
      onError: () => this.#status("The leaderboard cannot be reached right now; retrying."),
    });
  }

  #status(text) {
    this.shadowRoot.querySelector(".status").textContent = text;
  }

  #render(rows, period) {
    const body = this.shadowRoot.querySelector("tbody");
    body.innerHTML = rows
      .map((row) => {
        const xp = period === "all" ? row.total_xp : (row.xp ?? row.total_xp);
        const before = this.#previous.get(row.user_id);
        const moved = before !== undefined && (before.xp !== xp || before.rank !== row.rank);
        const podium = row.rank <= 3 ? `podium p${row.rank}` : "";
        return html`<tr data-user="${row.user_id}" class="${moved ? "moved" : ""}">
          <td class="rank"><span class="${podium}">${row.rank}</span></td>
          <td class="name"><span class="username">${row.username}</span><span class="you"> (you)</span></td>
          <td class="level">${row.level}</td>
          <td class="xp">${num(xp)}</td>
        </tr>`;
      })
      .join("");
    this.#previous = new Map(rows.map((r) => [r.user_id, { xp: period === "all" ? r.total_xp : r.xp, rank: r.rank }]));
    this.#highlight();
    this.#status(rows.length === 0 ? "No players yet." : "");
    this.dispatchEvent(new CustomEvent("rows", { detail: rows }));
  }

  #highlight() {
    const me = this.getAttribute("highlight");
    for (const tr of this.shadowRoot.querySelectorAll("tbody tr")) {
      const mine = me !== null && tr.dataset.user === me;
      tr.classList.toggle("me", mine);
      if (mine) tr.setAttribute("aria-current", "true");
      else tr.removeAttribute("aria-current");
    }
  }
}

if (!customElements.get("skillquest-leaderboard")) {
  customElements.define("skillquest-leaderboard", SkillQuestLeaderboard);
}
