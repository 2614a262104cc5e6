// The HTTP client for the public /api/v1 routes: JSON in, JSON out, errors as ApiError carrying the
// server's RFC 9457 problem (its `errors` map names each bad field).

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The server answered ${status}`);
    this.status = status;
    this.problem = problem ?? {};
    this.errors = this.problem.errors ?? {};
  }
}

export class Api {
  /**
   * @param base the server's origin ("" for this page's own)
   * @param session supplies the bearer token and refreshes it on a 401; null for anonymous use
   */
  constructor(base = "", session = null) {
    this.origin = base.replace(/\/+$/, "");
    this.base = `${this.origin}/api/v1`;
    this.session = session;
  }

  /** `token`: undefined to use the session's, null for none, or an explicit access token. */
  async request(method, path, { body, token } = {}, retried = false) {
    const headers = { Accept: "application/json, application/problem+json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const bearer = token !== undefined ? token : await this.session?.accessToken();
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    const response = await fetch(this.base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
    if (response.status === 401 && bearer && token === undefined && !retried && this.session) {
      // an access token can expire while a tab sleeps: one refresh, one retry
      if (await this.session.refresh()) return this.request(method, path, { body }, true);
    }
    const text = await response.text();
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = { detail: text };
      }
    }
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }

  get(path, options) {
    return this.request("GET", path, options);
  }

  post(path, body, options = {}) {
    return this.request("POST", path, { ...options, body });
  }

  patch(path, body, options = {}) {
    return this.request("PATCH", path, { ...options, body });
  }

  delete(path, options) {
    return this.request("DELETE", path, options);
  }
}

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}
