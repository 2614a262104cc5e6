-- Who may score a challenge: its owner (self, the original honour system), the server from a quiz's
-- answer key (quiz), or only a trusted grader (external). Every existing challenge stays self.
ALTER TABLE challenges
    ADD COLUMN scoring text NOT NULL DEFAULT 'self' CHECK (scoring IN ('self', 'quiz', 'external')),
    -- the current quiz with its answer key (never sent to a non-admin), and its version
    ADD COLUMN questions jsonb,
    ADD COLUMN quiz_version integer CHECK (quiz_version >= 1),
    ADD CONSTRAINT challenges_quiz_has_questions CHECK ((scoring = 'quiz') = (questions IS NOT NULL)),
    ADD CONSTRAINT challenges_questions_versioned CHECK (questions IS NULL OR quiz_version IS NOT NULL);

-- Every version a quiz ever had: an attempt is scored against the version it started on, so an
-- admin's edit never changes the rules of an attempt already under way.
CREATE TABLE challenge_quiz_versions (
    challenge_id  bigint      NOT NULL REFERENCES challenges (id),
    version       integer     NOT NULL CHECK (version >= 1),
    questions     jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (challenge_id, version)
);

-- the quiz version an attempt started on; NULL for attempts of challenges that were not quizzes
ALTER TABLE attempts ADD COLUMN quiz_version integer;
