// The one module that knows how live data arrives. The leaderboard comes over a Server-Sent Event
// stream (GET /api/v1/leaderboard/stream: the rows at once, then whenever they change, at most once
// a second). EventSource reconnects by itself after a dropped connection; when the stream cannot be
// opened at all (an older server, a proxy that buffers, the server's stream cap reached) the board
// is polled every few seconds instead and the stream tried again a minute later. The signed-in
// player's own events come over GET /api/v1/events/stream, opened with a single-use ticket. Nothing
// runs while the tab is hidden: a hidden tab costs the server nothing. The contract, "onRows(rows)
// whenever the board may have changed; call the result to stop", is the same for every caller.

import { query } from "./api.js";

export const POLL_MS = 3000;
export const STREAM_RETRY_MS = 60000;

/**
 * Watches the top `limit` rows of a board. `period` is left out for the all-time board, so servers
 * without period boards are asked exactly what they understand.
 */
export function watchLeaderboard(api, { limit = 10, period = "all", onRows, onError = () => {} }) {
  const params = query({ limit, period: period === "all" ? "" : period });
  const pollRows = () => poll(async () => onRows(await api.get(`/leaderboard${params}`)), POLL_MS, onError);
  if (typeof EventSource !== "function") return pollRows();
  return whileVisible(() =>
    streamOrPoll(`${api.base}/leaderboard/stream${params}`, "leaderboard", onRows, onError, pollRows),
  );
}

/**
 * Calls onEvent(type, event) for each of the signed-in user's events of the given types while the
 * tab is visible (GET /api/v1/events/stream). EventSource cannot send the bearer token, so each
 * connection asks for a single-use ticket first, and carries the last event id over, so a reconnect
 * (after a network blip, a hidden tab, a server restart) replays what was missed. Returns stop().
 */
export function watchMyEvents(api, types, onEvent) {
  if (typeof EventSource !== "function") return () => {};
  let lastId = "";
  return whileVisible(() => {
    let source = null;
    let timer = 0;
    let stopped = false;
    const open = async () => {
      let ticket;
      try {
        ({ ticket } = await api.post("/events/tickets"));
      } catch {
        if (!stopped) timer = setTimeout(open, STREAM_RETRY_MS);
        return;
      }
      if (stopped) return;
      source = new EventSource(`${api.base}/events/stream${query({ ticket, last_event_id: lastId })}`);
      for (const type of types) {
        source.addEventListener(type, (e) => {
          lastId = e.lastEventId;
          onEvent(type, JSON.parse(e.data));
        });
      }
      source.addEventListener("error", () => {
        // a spent ticket cannot reopen the stream: close it and start over with a new one
        source.close();
        source = null;
        if (!stopped) timer = setTimeout(open, 5000);
      });
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  });
}

/**
 * Listens to `event`s of the stream at `url`; if it cannot be opened, runs `fallback()` (which
 * returns its stop function) and tries the stream again after STREAM_RETRY_MS. Returns stop().
 */
function streamOrPoll(url, event, onData, onError, fallback) {
  let source = null;
  let stopFallback = null;
  let retry = 0;
  const open = () => {
    source = new EventSource(url);
    source.addEventListener(event, (e) => {
      stopFallback?.();
      stopFallback = null;
      onData(JSON.parse(e.data));
    });
    source.addEventListener("error", () => {
      // CONNECTING: EventSource is already reconnecting by itself; CLOSED: it gave up for good
      if (source.readyState !== EventSource.CLOSED) return onError(new Error("stream interrupted"));
      source = null;
      stopFallback ??= fallback();
      retry = setTimeout(open, STREAM_RETRY_MS);
    });
  };
  open();
  return () => {
    clearTimeout(retry);
    source?.close();
    stopFallback?.();
  };
}

/** Runs `start()` (which returns its stop function) while the document is visible; returns stop(). */
function whileVisible(start) {
  let stop = document.hidden ? null : start();
  const onVisibility = () => {
    if (document.hidden) {
      stop?.();
      stop = null;
    } else if (!stop) {
      stop = start();
    }
  };
  document.addEventListener("visibilitychange", onVisibility);
  return () => {
    document.removeEventListener("visibilitychange", onVisibility);
    stop?.();
  };
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
