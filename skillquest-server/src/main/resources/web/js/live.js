// The one module that knows how live data arrives. Today the leaderboard is polled every few
// seconds while the page is visible (a hidden tab costs the server nothing). When the server
// offers GET /api/v1/leaderboard/stream, only watchLeaderboard changes (to an EventSource on that
// URL): its contract, "onRows(rows) whenever the board may have changed; call the result to stop",
// stays the same for every caller.

import { query } from "./api.js";

export const POLL_MS = 3000;

/**
 * Watches the top `limit` rows of a board. `period` is left out for the all-time board, so servers
 * without period boards are asked exactly what they understand.
 */
export function watchLeaderboard(api, { limit = 10, period = "all", onRows, onError }) {
  const path = `/leaderboard${query({ limit, period: period === "all" ? "" : period })}`;
  return poll(async () => onRows(await api.get(path)), POLL_MS, onError);
}

/** Runs `task` now and then every `interval` ms while the document is visible; returns stop(). */
export function poll(task, interval, onError = () => {}) {
  let timer = 0;
  let stopped = false;
  let running = false;
  const tick = async () => {
    clearTimeout(timer);
    if (stopped || running || document.hidden) return;
    running = true;
    try {
      await task();
    } catch (e) {
      onError(e);
    } finally {
      running = false;
      if (!stopped && !document.hidden) timer = setTimeout(tick, interval);
    }
  };
  const onVisibility = () => {
    if (!document.hidden) tick();
  };
  document.addEventListener("visibilitychange", onVisibility);
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener("visibilitychange", onVisibility);
  };
}
