package io.skillquest.server.user;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/** What the caller can read about themselves. Progress is three queries, however many badges or attempts. */
public interface MyDao {

    record Summary(long totalXp, String timeZone, long started, long submitted, long passed, long failed) {
    }

    /** Everything progress needs from the database, read from one snapshot. */
    record Facts(Summary summary, List<EarnedBadge> badges, List<LocalDate> passedDays) {
    }

    @SqlQuery("SELECT b.id, b.name, b.description, b.icon_url, ub.awarded_at"
            + " FROM user_badges ub JOIN badges b ON b.id = ub.badge_id"
            + " WHERE ub.user_id = :userId ORDER BY ub.awarded_at DESC, b.id DESC")
    @RegisterConstructorMapper(EarnedBadge.class)
    List<EarnedBadge> badges(long userId);

    @SqlQuery("SELECT u.total_xp, u.time_zone,"
            + " count(a.id) FILTER (WHERE a.status = 'started') AS started,"
            + " count(a.id) FILTER (WHERE a.status = 'submitted') AS submitted,"
            + " count(a.id) FILTER (WHERE a.status = 'passed') AS passed,"
            + " count(a.id) FILTER (WHERE a.status = 'failed') AS failed"
            + " FROM users u LEFT JOIN attempts a ON a.user_id = u.id"
            + " WHERE u.id = :userId GROUP BY u.id")
    @RegisterConstructorMapper(Summary.class)
    Optional<Summary> summary(long userId);

    /** Calendar days, in the user's own time zone, on which they passed at least one attempt. */
    @SqlQuery("SELECT DISTINCT (a.submitted_at AT TIME ZONE u.time_zone)::date AS day"
            + " FROM attempts a JOIN users u ON u.id = a.user_id"
            + " WHERE a.user_id = :userId AND a.status = 'passed' ORDER BY day")
    List<LocalDate> passedDays(long userId);

    @Transaction(value = TransactionIsolationLevel.REPEATABLE_READ, readOnly = true)
    default Optional<Facts> facts(long userId) {
        return summary(userId).map(s -> new Facts(s, badges(userId), passedDays(userId)));
    }
}
