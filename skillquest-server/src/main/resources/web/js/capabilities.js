// What this server offers beyond the basics, read from its published OpenAPI document, so features
// that land later (period boards, the live stream, quizzes, API clients, webhooks) appear in the
// app by themselves and never as dead controls on a server that lacks them.

let cached = null;

export function capabilities(origin = "") {
  cached ??= fetch(`${origin}/openapi.json`, { credentials: "omit" })
    .then((r) => (r.ok ? r.json() : {}))
    .catch(() => ({}))
    .then(read);
  return cached;
}

function parameterNames(doc, operation) {
  return (operation?.parameters ?? []).map((p) => {
    if (p.$ref) return doc.components?.parameters?.[p.$ref.split("/").pop()]?.name;
    return p.name;
  });
}

function read(doc) {
  const paths = doc.paths ?? {};
  const board = parameterNames(doc, paths["/api/v1/leaderboard"]?.get);
  const has = (prefix) => Object.keys(paths).some((p) => p.startsWith(prefix));
  return {
    periods: board.includes("period"),
    stream: "/api/v1/leaderboard/stream" in paths,
    quiz: Boolean(doc.components?.schemas?.Challenge?.properties?.quiz),
    clients: has("/api/v1/admin/clients"),
    webhooks: has("/api/v1/admin/webhooks"),
  };
}
