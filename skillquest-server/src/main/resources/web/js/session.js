// The signed-in user's tokens, kept in memory only (never localStorage or cookies: a script that
// got in could read those, and nothing must outlive the tab). The access token is refreshed
// shortly before it expires; signing out revokes both tokens on the server and forgets them here.

import { Api, ApiError } from "./api.js";

const RETRY_MS = 10_000;

export class Session extends EventTarget {
  #auth;
  #access = null;
  #refresh = null;
  #timer = 0;
  #refreshing = null;

  /** The signed-in user ({id, username, role, ...}) or null. */
  user = null;

  constructor(base = "") {
    super();
    this.#auth = new Api(base);
  }

  get signedIn() {
    return this.user !== null;
  }

  get admin() {
    return this.user?.role === "admin";
  }

  async register(username, email, password) {
    return this.#auth.post("/auth/register", { username, email, password }, { token: null });
  }

  async signIn(username, password) {
    const pair = await this.#auth.post("/auth/login", { username, password }, { token: null });
    this.#accept(pair);
    try {
      this.user = await this.#auth.get("/auth/me", { token: pair.access_token });
    } catch (e) {
      this.#clear();
      throw e;
    }
    this.#changed();
  }

  async signOut() {
    clearTimeout(this.#timer);
    const token = this.#access;
    this.#clear();
    if (token) {
      try {
        await this.#auth.post("/auth/logout", undefined, { token });
      } catch {
        // the tokens are forgotten here whatever the server said; they expire on their own
      }
    }
    this.#changed();
  }

  /** The current access token, waiting for a refresh in flight. */
  async accessToken() {
    if (this.#refreshing) await this.#refreshing;
    return this.#access;
  }

  /** Exchanges the refresh token for a new pair; false (and signed out) when the server refuses. */
  refresh() {
    if (!this.#refresh) return Promise.resolve(false);
    this.#refreshing ??= this.#doRefresh().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #doRefresh() {
    try {
      const pair = await this.#auth.post(
        "/auth/refresh",
        { refresh_token: this.#refresh },
        { token: null },
      );
      this.#accept(pair);
      return true;
    } catch (e) {
      if (e instanceof ApiError) {
        this.#clear();
        this.#changed();
        return false;
      }
      // offline for a moment: keep the tokens and try again soon
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.refresh(), RETRY_MS);
      return false;
    }
  }

  #accept(pair) {
    this.#access = pair.access_token;
    this.#refresh = pair.refresh_token;
    clearTimeout(this.#timer);
    const lifetime = Math.max(1, pair.expires_in) * 1000;
    const margin = Math.min(60_000, lifetime / 5);
    this.#timer = setTimeout(() => this.refresh(), Math.max(1000, lifetime - margin));
  }

  #clear() {
    clearTimeout(this.#timer);
    this.#access = null;
    this.#refresh = null;
    this.user = null;
  }

  #changed() {
    this.dispatchEvent(new Event("change"));
  }
}
