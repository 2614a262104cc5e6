// What every page shares: the session, the API client bound to it, what the server can do, and
// small helpers for messages and navigation.

import { Api } from "./api.js";
import { capabilities } from "./capabilities.js";
import { Session } from "./session.js";

export const session = new Session("");
export const api = new Api("", session);
export const features = () => capabilities("");

export function navigate(route) {
  location.hash = `#/${route}`;
}

/** A short message read out by screen readers and shown for a few seconds. */
export function toast(text, kind = "info") {
  const host = document.getElementById("toasts");
  const note = document.createElement("p");
  note.className = `toast ${kind}`;
  note.textContent = text;
  host.append(note);
  while (host.children.length > 3) host.firstElementChild.remove();
  setTimeout(() => note.remove(), 6000);
}

/** Moves focus to a page's heading once it has rendered, so the new page is announced. */
export function focusHeading(page) {
  page.querySelector("h1")?.focus();
}
