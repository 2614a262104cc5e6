-- The outbox: every effect the worker commits (an attempt processed, a level reached, a badge
-- awarded) writes its event row in the same transaction, so an event exists exactly when its effect
-- does. Readers page through it with "after <id>", so ids must become visible in id order.
--
-- A sequence hands out ids when a row is inserted, not when its transaction commits: writer A could
-- take id 5, writer B id 6 and commit first, and a reader that saw 6 would skip 5 for ever. Writers
-- therefore take one transaction-scoped advisory lock just before their first event insert and hold
-- it to commit (io.skillquest.store.events.Outbox): the next writer can take ids only after the
-- previous one is visible, so "id > last seen" misses nothing. The other classic fix, storing
-- pg_current_xact_id() and reading only rows older than the oldest running transaction, is not
-- enough here: a transaction's xid is assigned at its first write (the attempt update), not at the
-- event insert, so xid order is not id order; and any long transaction anywhere in the database
-- would stall every reader. The lock is held only for the event inserts and the commit, which
-- NOTIFY serialises across notifying transactions anyway.
CREATE TABLE events (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type        text        NOT NULL CHECK (type IN ('attempt.processed', 'level.reached', 'badge.awarded')),
    -- whose event it is: users read only their own; a deleted user's events go with them
    user_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    data        jsonb       NOT NULL
);
-- a user's "after <id>" page, and the cascade from users
CREATE INDEX events_by_user ON events (user_id, id);
-- retention: the worker deletes events older than the retention period in bounded batches
CREATE INDEX events_by_created_at ON events (created_at);
