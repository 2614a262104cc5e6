package io.skillquest.server.challenge;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(Challenge.class)
public interface ChallengeDao {
    String COLUMNS = "id, title, description, xp, difficulty, tags, pass_score, published, created_at, updated_at";

    /** Deleted challenges are gone for everyone; unpublished ones only for non-admins. */
    String VISIBLE = "deleted_at IS NULL AND (published OR :admin)";

    String FILTER = " AND (CAST(:difficulty AS text) IS NULL OR difficulty = :difficulty)"
            + " AND (CAST(:tag AS text) IS NULL OR tags @> ARRAY[CAST(:tag AS text)])";

    @SqlQuery("SELECT " + COLUMNS + " FROM challenges WHERE " + VISIBLE + FILTER
            + " ORDER BY id LIMIT :limit OFFSET :offset")
    List<Challenge> list(boolean admin, String difficulty, String tag, int limit, int offset);

    @SqlQuery("SELECT count(*) FROM challenges WHERE " + VISIBLE + FILTER)
    long count(boolean admin, String difficulty, String tag);

    default ChallengePage page(boolean admin, String difficulty, String tag, int limit, int offset) {
        return new ChallengePage(list(admin, difficulty, tag, limit, offset), count(admin, difficulty, tag), limit, offset);
    }

    @SqlQuery("SELECT " + COLUMNS + " FROM challenges WHERE id = :id AND " + VISIBLE)
    Optional<Challenge> find(long id, boolean admin);

    @SqlQuery("INSERT INTO challenges (title, description, xp, difficulty, tags, pass_score, published, created_by)"
            + " VALUES (:title, :description, :xp, :difficulty, CAST(:tags AS text[]), :passScore, :published, :createdBy)"
            + " RETURNING " + COLUMNS)
    Challenge insert(@BindMethods ChallengeChanges c, long createdBy);

    @SqlQuery("UPDATE challenges SET"
            + " title = COALESCE(CAST(:title AS text), title),"
            + " description = COALESCE(CAST(:description AS text), description),"
            + " xp = COALESCE(CAST(:xp AS integer), xp),"
            + " difficulty = COALESCE(CAST(:difficulty AS text), difficulty),"
            + " tags = COALESCE(CAST(:tags AS text[]), tags),"
            + " pass_score = COALESCE(CAST(:passScore AS integer), pass_score),"
            + " published = COALESCE(CAST(:published AS boolean), published),"
            + " updated_at = now()"
            + " WHERE id = :id AND deleted_at IS NULL"
            + " RETURNING " + COLUMNS)
    Optional<Challenge> update(long id, @BindMethods ChallengeChanges c);

    /** Soft delete: attempts and the XP they paid keep pointing at the row. */
    @SqlUpdate("UPDATE challenges SET deleted_at = now(), updated_at = now() WHERE id = :id AND deleted_at IS NULL")
    boolean delete(long id);
}
