package io.skillquest.server.attempt;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

@RegisterConstructorMapper(Attempt.class)
public interface AttemptDao {
    String COLUMNS = "id, challenge_id, user_id, status, score, xp_awarded, started_at, submitted_at, processed_at";

    /** Starts an attempt on a challenge the caller can see; empty when there is no such challenge for them. */
    @SqlQuery("INSERT INTO attempts (user_id, challenge_id)"
            + " SELECT :userId, c.id FROM challenges c"
            + " WHERE c.id = :challengeId AND c.deleted_at IS NULL AND (c.published OR :admin)"
            + " RETURNING " + COLUMNS)
    Optional<Attempt> start(long userId, long challengeId, boolean admin);

    /** The one transition the server makes; empty when the attempt is not the caller's or not {@code started}. */
    // the challenge must still be there and visible to the caller: a deleted or unpublished one pays nothing
    @SqlQuery("UPDATE attempts SET status = 'submitted', score = :score, submitted_at = now()"
            + " WHERE id = :id AND user_id = :userId AND status = 'started'"
            + " AND EXISTS (SELECT 1 FROM challenges c WHERE c.id = challenge_id AND c.deleted_at IS NULL"
            + " AND (c.published OR :admin))"
            + " RETURNING " + COLUMNS)
    Optional<Attempt> submit(long id, long userId, int score, boolean admin);

    @SqlQuery("SELECT " + COLUMNS + " FROM attempts WHERE id = :id AND user_id = :userId")
    Optional<Attempt> find(long id, long userId);

    @SqlQuery("SELECT " + COLUMNS + " FROM attempts"
            + " WHERE user_id = :userId AND (CAST(:status AS text) IS NULL OR status = :status)"
            + " ORDER BY id DESC LIMIT :limit OFFSET :offset")
    List<Attempt> list(long userId, String status, int limit, int offset);

    @SqlQuery("SELECT count(*) FROM attempts"
            + " WHERE user_id = :userId AND (CAST(:status AS text) IS NULL OR status = :status)")
    long count(long userId, String status);

    default AttemptPage page(long userId, String status, int limit, int offset) {
        return new AttemptPage(list(userId, status, limit, offset), count(userId, status), limit, offset);
    }
}
