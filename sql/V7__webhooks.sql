-- Webhook endpoints and their delivery log. The worker delivers each endpoint's events in event
-- order, at least once: it copies the endpoint's next events from the outbox into deliveries
-- (advancing the endpoint's cursor in the same transaction) and sends the oldest pending delivery
-- until it succeeds or runs out of tries. One worker at a time holds an endpoint's lease.
CREATE TABLE webhooks (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url           text        NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    events        text[]      NOT NULL CHECK (cardinality(events) >= 1),
    enabled       boolean     NOT NULL DEFAULT true,
    -- the HMAC key, stored as given so the worker can sign with it; shown to the admin only once
    secret        text        NOT NULL,
    -- the last outbox id this endpoint has taken into deliveries (or skipped as not subscribed)
    cursor        bigint      NOT NULL DEFAULT 0,
    disabled_reason text,
    -- which worker delivers for this endpoint, until when; renewed while it works
    lease_owner   text,
    lease_until   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_id       bigint      NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    -- no reference: the outbox is pruned, the delivery log keeps the body it sends
    event_id         bigint      NOT NULL,
    event_type       text        NOT NULL,
    event_created_at timestamptz NOT NULL,
    body             text        NOT NULL,
    status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts         integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_status_code integer,
    last_error       text,
    next_attempt_at  timestamptz,
    duration_ms      integer,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (webhook_id, event_id)
);
-- the endpoint's queue: its oldest pending delivery first
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (webhook_id, event_id) WHERE status = 'pending';
-- the delivery log, newest first
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (webhook_id, id DESC);
