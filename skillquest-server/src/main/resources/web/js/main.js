// The app shell: the header's navigation and account area, and a hash router that swaps one page
// element into <main> and moves focus to its heading (so screen readers announce the new page).

import { api, session, toast, navigate } from "./app.js";
import { html } from "./html.js";
import { watchMyEvents } from "./live.js";
import "./leaderboard-element.js";
import "./pages/leaderboard.js";
import "./pages/account.js";
import "./pages/challenges.js";
import "./pages/progress.js";
import "./pages/admin.js";

const ROUTES = {
  "": { tag: "sq-leaderboard-page", title: "Leaderboard" },
  signin: { tag: "sq-signin-page", title: "Sign in" },
  register: { tag: "sq-register-page", title: "Register" },
  challenges: { tag: "sq-challenges-page", title: "Challenges" },
  me: { tag: "sq-progress-page", title: "My progress", user: true },
  admin: { tag: "sq-admin-page", title: "Admin", admin: true },
};

function current() {
  const path = location.hash.replace(/^#\/?/, "");
  const [head, ...rest] = path.split("/");
  return { name: head in ROUTES ? head : "", sub: rest.join("/") };
}

function renderNav(active) {
  const links = [
    ["", "Leaderboard"],
    ["challenges", "Challenges"],
    ...(session.signedIn ? [["me", "My progress"]] : []),
    ...(session.admin ? [["admin", "Admin"]] : []),
  ];
  document.getElementById("nav").innerHTML = links
    .map(
      ([route, label]) =>
        html`<li><a href="#/${route}" ${route === active ? html`aria-current="page"` : ""}>${label}</a></li>`,
    )
    .join("");
  const account = document.getElementById("account");
  if (session.signedIn) {
    account.innerHTML = html`<span class="who">Signed in as <strong>${session.user.username}</strong></span>
      <button type="button" class="button ghost" id="sign-out">Sign out</button>`.toString();
    account.querySelector("#sign-out").addEventListener("click", async () => {
      await session.signOut();
      toast("Signed out.");
      navigate("");
    });
  } else {
    account.innerHTML = html`<a class="button ghost" href="#/signin">Sign in</a>
      <a class="button" href="#/register">Register</a>`.toString();
  }
}

function route() {
  const { name, sub } = current();
  const spec = ROUTES[name];
  renderNav(name);
  const main = document.getElementById("main");
  if ((spec.user || spec.admin) && !session.signedIn) {
    main.replaceChildren(document.createElement("sq-signin-page"));
    main.firstElementChild.dataset.next = name;
    document.title = "Sign in · SkillQuest";
    return;
  }
  if (spec.admin && !session.admin) {
    main.innerHTML = html`<section><h1 tabindex="-1">Admin</h1><p>This area is for administrators.</p></section>`.toString();
    document.title = "Admin · SkillQuest";
    main.querySelector("h1").focus();
    return;
  }
  const page = document.createElement(spec.tag);
  page.dataset.sub = sub;
  main.replaceChildren(page);
  document.title = `${spec.title} · SkillQuest`;
}

/** The player's own level-ups and badges, announced as they are awarded (on any page). */
let stopEvents = null;
function announceEvents() {
  stopEvents?.();
  stopEvents = null;
  if (!session.signedIn) return;
  stopEvents = watchMyEvents(api, ["level.reached", "badge.awarded"], (type, event) => {
    // an admin's stream carries everyone's events: announce only the player's own
    if (event.data.user_id !== session.user?.id) return;
    if (type === "level.reached") toast(`Level ${event.data.level} reached!`);
    else toast(`Badge earned: ${event.data.name}`);
  });
}

window.addEventListener("hashchange", route);
session.addEventListener("change", route);
session.addEventListener("change", announceEvents);
route();
announceEvents();
