package io.skillquest.worker;

import io.skillquest.core.badge.AttemptStatus;
import io.skillquest.core.badge.Facts;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * Reads everything badge conditions can ask about, for one user or a chunk of users, in exactly one
 * query whatever the number of users or badges (SPEC 3: badge evaluation cost independent of the
 * number of badges).
 */
final class BadgeFacts {

  /**
   * A user whose facts are wanted; the zone decides which calendar day a passed attempt falls on.
   */
  record Subject(long userId, long totalXp, ZoneId zone) {}

  private BadgeFacts() {}

  static Map<Long, Facts> read(Handle h, List<Subject> subjects) {
    if (subjects.isEmpty()) return Map.of();
    var ids = new ArrayList<Long>(subjects.size());
    var zones = new ArrayList<String>(subjects.size());
    var byStatus = new HashMap<Long, Map<AttemptStatus, Integer>>();
    var perfect = new HashMap<Long, Integer>();
    var tags = new HashMap<Long, Map<String, Integer>>();
    var days = new HashMap<Long, SortedSet<LocalDate>>();
    for (var s : subjects) {
      ids.add(s.userId());
      zones.add(s.zone().getId());
    }

    // one round trip: three aggregates told apart by their first column. Zones come validated from
    // Java (zoneOf), so a bad users.time_zone can never fail an award.
    h.createQuery(
            """
                        SELECT 'status' AS kind, user_id, status AS key, count(*) AS n,
                               count(*) FILTER (WHERE score = 100 AND status IN ('passed', 'failed')) AS perfect
                        FROM attempts WHERE user_id = ANY(:ids) GROUP BY user_id, status
                        UNION ALL
                        SELECT 'tag', a.user_id, t.tag, count(*), 0
                        FROM attempts a
                        JOIN challenges c ON c.id = a.challenge_id
                        CROSS JOIN LATERAL unnest(c.tags) AS t(tag)
                        WHERE a.user_id = ANY(:ids) AND a.status = 'passed'
                        GROUP BY a.user_id, t.tag
                        UNION ALL
                        SELECT 'day', d.user_id, d.day::text, 1, 0
                        FROM (SELECT DISTINCT z.user_id, (a.submitted_at AT TIME ZONE z.zone)::date AS day
                              FROM unnest(:ids, :zones) AS z(user_id, zone)
                              JOIN attempts a ON a.user_id = z.user_id AND a.status = 'passed') d""")
        .bindArray("ids", Long.class, ids)
        .bindArray("zones", String.class, zones)
        .map(
            (rs, ctx) -> {
              long user = rs.getLong("user_id");
              String key = rs.getString("key");
              switch (rs.getString("kind")) {
                case "status" -> {
                  byStatus
                      .computeIfAbsent(user, u -> new EnumMap<>(AttemptStatus.class))
                      .put(AttemptStatus.fromWire(key), rs.getInt("n"));
                  perfect.merge(user, rs.getInt("perfect"), Integer::sum);
                }
                case "tag" ->
                    tags.computeIfAbsent(user, u -> new HashMap<>()).put(key, rs.getInt("n"));
                default ->
                    days.computeIfAbsent(user, u -> new TreeSet<>()).add(LocalDate.parse(key));
              }
              return user;
            })
        .list();

    var facts = new HashMap<Long, Facts>();
    for (var s : subjects) {
      long u = s.userId();
      facts.put(
          u,
          new Facts(
              s.totalXp(),
              byStatus.getOrDefault(u, Map.of()),
              perfect.getOrDefault(u, 0),
              tags.getOrDefault(u, Map.of()),
              days.getOrDefault(u, new TreeSet<>())));
    }
    return facts;
  }

  /**
   * The user's zone, or UTC when the stored id is not an IANA region Java knows. Bare offsets fall
   * back too: PostgreSQL reads '+01:00' with the POSIX sign, the opposite of Java's.
   */
  static ZoneId zoneOf(String timeZone) {
    try {
      ZoneId zone = ZoneId.of(timeZone);
      // SystemV/* ids exist only in Java: PostgreSQL's AT TIME ZONE would fail the whole award on
      // them
      return zone instanceof java.time.ZoneOffset || timeZone.startsWith("SystemV/") ? UTC : zone;
    } catch (RuntimeException e) {
      return UTC;
    }
  }

  private static final ZoneId UTC = ZoneId.of("UTC");
}
