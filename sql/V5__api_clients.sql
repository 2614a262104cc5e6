-- API clients: servers (graders) that call the grader routes with a secret of their own. The secret
-- is 'sq_' + key_id + '_' + 32 random bytes; only the key id and a SHA-256 hash of the whole secret
-- are kept. A high-entropy secret needs no slow hash (bcrypt): nobody can guess it from its hash,
-- and the per-request check stays a unique-index lookup plus one constant-time comparison.
CREATE TABLE api_clients (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    scopes        text[]      NOT NULL CHECK (cardinality(scopes) >= 1),
    key_id        text        NOT NULL CHECK (key_id ~ '^[0-9a-f]{16}$'),
    secret_hash   bytea       NOT NULL CHECK (length(secret_hash) = 32),
    created_by    bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- written at most about once a minute per client and server, not on every request
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE UNIQUE INDEX api_clients_key_id ON api_clients (key_id);

-- When a result a grader records actually happened (it may be reported up to 7 days late).
-- Streaks and day-based badges count an attempt on this day when it is set, on submitted_at
-- otherwise; submitted_at stays the time the server took the score, which the queue, the recovery
-- sweep and award latency are measured by.
ALTER TABLE attempts ADD COLUMN occurred_at timestamptz;
