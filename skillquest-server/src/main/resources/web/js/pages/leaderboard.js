import { api, features, focusHeading, session } from "../app.js";
import { html, icon, num } from "../html.js";

const PERIODS = [
  ["day", "Day"],
  ["week", "Week"],
  ["month", "Month"],
  ["all", "All time"],
];

/** The live leaderboard; period tabs appear only on servers that keep period boards. */
class LeaderboardPage extends HTMLElement {
  #period = "all";

  async connectedCallback() {
    this.innerHTML = html`<section class="stack">
      <div class="page-head">
        <h1 tabindex="-1">${icon("trophy", "", "icon lg")} Leaderboard</h1>
        <p class="muted">Live standings by XP. Updates arrive on their own.</p>
      </div>
      <div class="tabs-slot"></div>
      ${session.signedIn ? html`<p class="standing card" role="status"></p>` : ""}
      <skillquest-leaderboard limit="25" heading=""></skillquest-leaderboard>
      ${session.signedIn ? "" : html`<p class="callout">Want your name up here? <a href="#/register">Register</a> and take a <a href="#/challenges">challenge</a>.</p>`}
    </section>`.toString();
    const board = this.querySelector("skillquest-leaderboard");
    board.session = session;
    if (session.signedIn) {
      board.setAttribute("highlight", String(session.user.id));
      board.addEventListener("rows", (e) => this.#standing(e.detail));
    }
    focusHeading(this);
    if ((await features()).periods) this.#renderTabs(board);
  }

  /** The player's own place, from the board when they are on it, else asked for. */
  async #standing(rows) {
    const line = this.querySelector(".standing");
    let me = rows.find((r) => r.user_id === session.user.id);
    if (!me) {
      try {
        me = await api.get(`/leaderboard/me${this.#period === "all" ? "" : `?period=${this.#period}`}`);
      } catch {
        return;
      }
    }
    const xp = this.#period === "all" ? me.total_xp : (me.xp ?? me.total_xp);
    const text = `You are #${num(me.rank)} with ${num(xp)} XP (Level ${me.level}).`;
    if (line.textContent !== text) line.textContent = text;
  }

  #renderTabs(board) {
    const slot = this.querySelector(".tabs-slot");
    slot.innerHTML = html`<div class="tabs" role="tablist" aria-label="Period">
      ${PERIODS.map(
        ([value, label]) =>
          html`<button type="button" role="tab" data-period="${value}" aria-selected="${value === this.#period}" tabindex="${value === this.#period ? 0 : -1}">${label}</button>`,
      )}
    </div>`.toString();
    const tabs = [...slot.querySelectorAll("[role=tab]")];
    const select = (tab) => {
      this.#period = tab.dataset.period;
      for (const t of tabs) {
        t.setAttribute("aria-selected", String(t === tab));
        t.tabIndex = t === tab ? 0 : -1;
      }
      board.setAttribute("period", this.#period);
      tab.focus();
    };
    slot.addEventListener("click", (e) => {
      const tab = e.target.closest("[role=tab]");
      if (tab) select(tab);
    });
    slot.addEventListener("keydown", (e) => {
      const i = tabs.indexOf(document.activeElement);
      if (i < 0) return;
      if (e.key === "ArrowRight") select(tabs[(i + 1) % tabs.length]);
      else if (e.key === "ArrowLeft") select(tabs[(i + tabs.length - 1) % tabs.length]);
    });
  }
}

customElements.define("sq-leaderboard-page", LeaderboardPage);
