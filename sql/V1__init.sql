-- SkillQuest schema. The database is the source of truth: constraints here make corrupt
-- states (negative XP, a badge held twice, an attempt scored before it was submitted) impossible.

CREATE TABLE users (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username       text        NOT NULL CHECK (username ~ '^[A-Za-z0-9_.-]{3,32}$'),
    email          text        NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND email LIKE '%_@_%'),
    password_hash  text        NOT NULL,
    role           text        NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    time_zone      text        NOT NULL DEFAULT 'UTC',
    total_xp       bigint      NOT NULL DEFAULT 0 CHECK (total_xp >= 0),
    level          integer     NOT NULL DEFAULT 1 CHECK (level >= 1),
    -- when total_xp last changed: the leaderboard's tie-breaker (earlier wins)
    xp_reached_at  timestamptz NOT NULL DEFAULT now(),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_key ON users (lower(username));
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_ranking ON users (total_xp DESC, xp_reached_at, id);
-- the worker republishes leaderboard scores of users whose XP changed recently (crash healing)
CREATE INDEX users_xp_reached_at ON users (xp_reached_at);

CREATE TABLE challenges (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title        text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description  text        NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
    xp           integer     NOT NULL CHECK (xp BETWEEN 0 AND 1000000),
    difficulty   text        NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard', 'expert')),
    tags         text[]      NOT NULL DEFAULT '{}',
    pass_score   integer     NOT NULL DEFAULT 60 CHECK (pass_score BETWEEN 0 AND 100),
    published    boolean     NOT NULL DEFAULT false,
    created_by   bigint      REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    -- deleting keeps the row: attempts and the XP they paid must stay consistent
    deleted_at   timestamptz
);
CREATE INDEX challenges_listing ON challenges (id) WHERE deleted_at IS NULL;
CREATE INDEX challenges_tags ON challenges USING gin (tags);

CREATE TABLE attempts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    challenge_id  bigint      NOT NULL REFERENCES challenges (id),
    status        text        NOT NULL DEFAULT 'started'
                              CHECK (status IN ('started', 'submitted', 'passed', 'failed')),
    score         integer     CHECK (score BETWEEN 0 AND 100),
    xp_awarded    integer     NOT NULL DEFAULT 0 CHECK (xp_awarded >= 0),
    started_at    timestamptz NOT NULL DEFAULT now(),
    submitted_at  timestamptz,
    processed_at  timestamptz,
    CHECK ((status = 'started') = (score IS NULL)),
    CHECK ((status = 'started') = (submitted_at IS NULL)),
    CHECK ((status IN ('passed', 'failed')) = (processed_at IS NOT NULL)),
    CHECK (status IN ('passed', 'failed') OR xp_awarded = 0)
);
CREATE INDEX attempts_by_user ON attempts (user_id, id DESC);
CREATE INDEX attempts_by_user_challenge ON attempts (user_id, challenge_id) WHERE status IN ('passed', 'failed');
CREATE INDEX attempts_pending ON attempts (submitted_at) WHERE status = 'submitted';

CREATE TABLE badges (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description  text        NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    condition    jsonb       NOT NULL,
    icon_url     text        CHECK (length(icon_url) <= 2000),
    -- bumped whenever the condition changes; the worker's backfill pass awards the badge
    -- retroactively until backfilled_revision catches up
    revision             integer NOT NULL DEFAULT 1,
    backfilled_revision  integer NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX badges_name_key ON badges (lower(name));
CREATE INDEX badges_pending_backfill ON badges (id) WHERE backfilled_revision < revision;

CREATE TABLE user_badges (
    user_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    badge_id    bigint      NOT NULL REFERENCES badges (id) ON DELETE CASCADE,
    awarded_at  timestamptz NOT NULL DEFAULT now(),
    -- the attempt whose processing earned it; NULL when awarded by a retroactive pass
    attempt_id  bigint      REFERENCES attempts (id) ON DELETE SET NULL,
    PRIMARY KEY (user_id, badge_id)
);
CREATE INDEX user_badges_by_badge ON user_badges (badge_id);

-- Refresh tokens by jti. A family is one login; rotating spends a token and issues its successor
-- in the same family; presenting a spent token again revokes the whole family.
CREATE TABLE refresh_tokens (
    jti         uuid        PRIMARY KEY,
    family_id   uuid        NOT NULL,
    user_id     bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    issued_at   timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    spent_at    timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_by_user ON refresh_tokens (user_id);

-- One row whose version moves whenever a badge appears, disappears or changes its condition. Workers keep
-- the parsed catalogue in memory and reload it only when this moves, so an award reads one tiny row
-- instead of every badge's condition: its cost does not grow with the number of badges.
CREATE TABLE badge_catalogue (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version    bigint  NOT NULL DEFAULT 0
);
INSERT INTO badge_catalogue DEFAULT VALUES;

CREATE FUNCTION bump_badge_catalogue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE badge_catalogue SET version = version + 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER badges_catalogue_changed
    AFTER INSERT OR DELETE OR UPDATE OF condition, revision ON badges
    FOR EACH STATEMENT EXECUTE FUNCTION bump_badge_catalogue();
