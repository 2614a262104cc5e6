import { api, focusHeading } from "../app.js";
import { day, html, icon, num, when } from "../html.js";
import { poll } from "../live.js";

const REFRESH_MS = 5000;

// The icon a badge gets from the kind of condition it has (icon_url is shown only when it is on
// this server: the page may load images from its own origin only).
const ICONS = {
  xp: "star",
  level: "crown",
  consecutive_days: "flame",
  distinct_days: "calendar",
  attempt_count: "target",
  perfect_scores: "target",
  tag_passed: "tag",
};

export function badgeIcon(badge, condition) {
  if (badge.icon_url) {
    try {
      const url = new URL(badge.icon_url, location.href);
      if (url.origin === location.origin) return html`<img class="badge-icon" src="${url.pathname}" alt="" width="48" height="48">`;
    } catch {
      // not a URL: fall through to the built-in icon
    }
  }
  return icon(ICONS[condition?.type] ?? "medal", "", "badge-icon");
}

/** Level, XP, rank, streaks, badges and attempt history of the signed-in player; kept fresh. */
class ProgressPage extends HTMLElement {
  #stop = null;
  #titles = new Map();
  #conditions = new Map();
  #last = "";

  connectedCallback() {
    this.innerHTML = html`<section class="stack">
      <div class="page-head"><h1 tabindex="-1">My progress</h1></div>
      <div class="summary"></div>
      <section class="card" aria-labelledby="badges-h"><h2 id="badges-h">Badges</h2><ul class="badges"></ul></section>
      <section class="card" aria-labelledby="history-h"><h2 id="history-h">Attempt history</h2><div class="history"></div></section>
    </section>`.toString();
    focusHeading(this);
    this.#stop = poll(() => this.#load(), REFRESH_MS, (e) => {
      this.querySelector(".summary").textContent = `Progress cannot be loaded: ${e.message}`;
    });
  }

  disconnectedCallback() {
    this.#stop?.();
  }

  async #load() {
    const [progress, attempts] = await Promise.all([
      api.get("/users/me/progress"),
      api.get("/attempts?limit=50"),
      this.#lookups(),
    ]);
    // re-render only what changed, so focus and reading position survive the refresh
    const state = JSON.stringify([progress, attempts.items]);
    if (state === this.#last) return;
    this.#last = state;
    this.#summary(progress);
    this.#badges(progress.badges);
    this.#history(attempts.items);
  }

  /** Challenge titles and badge conditions, read once per visit. */
  async #lookups() {
    if (this.#titles.size) return;
    const [challenges, badges] = await Promise.all([api.get("/challenges?limit=100"), api.get("/badges")]);
    for (const c of challenges.items) this.#titles.set(c.id, c.title);
    for (const b of badges) this.#conditions.set(b.id, b.condition);
  }

  #summary(p) {
    // level L starts at (L-1)^2 * 100 XP
    const base = (p.level - 1) ** 2 * 100;
    const span = Math.max(1, p.next_level_xp - base);
    const done = Math.min(span, Math.max(0, p.total_xp - base));
    const percent = Math.round((done / span) * 100);
    const freezes = p.streak_freezes === undefined ? "" : html`<p class="sub">${p.streak_freezes} streak freeze${p.streak_freezes === 1 ? "" : "s"} held</p>`;
    const summary = this.querySelector(".summary");
    summary.innerHTML = html`<div class="card level-card">
        <div class="level-line">
          <p class="level" id="level-label">Level ${p.level}</p>
          <p class="muted">${num(p.xp_to_next_level)} XP to Level ${p.level + 1}</p>
        </div>
        <div class="bar" role="progressbar" aria-labelledby="level-label" aria-valuemin="0" aria-valuemax="${span}" aria-valuenow="${done}" aria-valuetext="${num(done)} of ${num(span)} XP toward Level ${p.level + 1}">
          <div class="fill"></div>
        </div>
        <p class="muted small">${num(p.total_xp)} XP total · next level at ${num(p.next_level_xp)} XP</p>
      </div>
      <div class="stats">
        <div class="card stat">${icon("star")}<p class="value" data-stat="xp">${num(p.total_xp)}</p><p class="label">Total XP</p></div>
        <div class="card stat">${icon("trophy")}<p class="value" data-stat="rank">#${num(p.rank)}</p><p class="label">Rank</p></div>
        <div class="card stat">${icon("flame")}<p class="value" data-stat="streak">${p.current_streak} day${p.current_streak === 1 ? "" : "s"}</p><p class="label">Streak (best ${p.longest_streak})</p>${freezes}</div>
        <div class="card stat">${icon("target")}<p class="value">${p.attempts.passed}/${p.attempts.passed + p.attempts.failed}</p><p class="label">Passed</p></div>
      </div>`.toString();
    summary.querySelector(".fill").style.width = `${percent}%`;
  }

  #badges(badges) {
    const list = this.querySelector(".badges");
    list.innerHTML = badges.length
      ? badges
          .map(
            (b) => html`<li class="badge">
              ${badgeIcon(b, this.#conditions.get(b.id))}
              <div><p class="name">${b.name}</p>
              ${b.description ? html`<p class="muted small">${b.description}</p>` : ""}
              <p class="small">Earned <time datetime="${b.awarded_at}">${day(b.awarded_at)}</time></p></div>
            </li>`,
          )
          .join("")
      : html`<li class="empty">No badges yet. They are awarded as you play.</li>`.toString();
  }

  #history(attempts) {
    const box = this.querySelector(".history");
    if (!attempts.length) {
      box.innerHTML = html`<p class="empty">No attempts yet. <a href="#/challenges">Take a challenge</a>.</p>`.toString();
      return;
    }
    box.innerHTML = html`<div class="table-wrap"><table class="table">
      <thead><tr><th scope="col">Challenge</th><th scope="col">Status</th><th scope="col" class="num">Score</th><th scope="col" class="num">XP</th><th scope="col">Started</th></tr></thead>
      <tbody>${attempts.map(
        (a) => html`<tr>
          <td>${this.#titles.get(a.challenge_id) ?? `Challenge ${a.challenge_id}`}</td>
          <td><span class="status ${a.status}">${a.status}</span></td>
          <td class="num">${a.score ?? "–"}</td>
          <td class="num">${a.status === "passed" || a.status === "failed" ? `+${num(a.xp_awarded)}` : "–"}</td>
          <td><time datetime="${a.started_at}">${when(a.started_at)}</time></td>
        </tr>`,
      )}</tbody></table></div>`.toString();
  }
}

customElements.define("sq-progress-page", ProgressPage);
