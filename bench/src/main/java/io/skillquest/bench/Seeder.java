package io.skillquest.bench;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skillquest.core.Keys;
import io.skillquest.core.badge.Condition;
import io.skillquest.core.badge.Conditions;
import io.skillquest.core.leaderboard.Period;
import io.skillquest.core.leaderboard.PeriodWindow;
import io.skillquest.core.leaderboard.RankCodec;
import io.skillquest.core.xp.Level;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import redis.clients.jedis.JedisPooled;

/**
 * Fills a SkillQuest database and leaderboard with a realistic population, fast: users through
 * PostgreSQL COPY (one precomputed bcrypt hash for all of them), the sorted set through pipelined
 * the leaderboard written in its Redis layout ({@link RankCodec}), challenges and badges through
 * plain SQL.
 *
 * <p>Idempotent per population size: users named {@code bench_u<n>} that already exist are kept, so
 * a re-run against the same database only tops up.
 */
final class Seeder {

  static final String PASSWORD = "bench-password-1";
  static final String USER_PREFIX = "bench_u";
  static final String CHALLENGE_PREFIX = "Bench challenge ";
  static final String BADGE_PREFIX = "bench-badge-";

  private final Connection db;
  private final JedisPooled redis;
  private final String leaderboardKey;
  private final String membersKey;
  private final ObjectMapper json = new ObjectMapper();

  Seeder(Connection db, JedisPooled redis, String leaderboardKey, String membersKey) {
    this.db = db;
    this.redis = redis;
    this.leaderboardKey = leaderboardKey;
    this.membersKey = membersKey;
  }

  static String username(long n) {
    return String.format("%s%07d", USER_PREFIX, n);
  }

  /** COPYs users {@code bench_u0000001..n} that do not exist yet; returns how many were added. */
  long users(long n, int bcryptCost) throws Exception {
    long existing = scalar("SELECT count(*) FROM users WHERE username LIKE 'bench\\_u%'");
    if (existing >= n) {
      return 0;
    }
    String hash =
        new String(
            BCrypt.withDefaults().hash(bcryptCost, PASSWORD.toCharArray()), StandardCharsets.UTF_8);
    var random = new Random(20261125L);
    long epoch = Instant.parse("2025-01-01T00:00:00Z").getEpochSecond();
    long span = Instant.now().getEpochSecond() - 3600 - epoch;
    CopyIn copy =
        ((PGConnection) db.unwrap(PGConnection.class))
            .getCopyAPI()
            .copyIn(
                "COPY users (username, email, password_hash, total_xp, level, xp_reached_at, created_at) FROM STDIN");
    var sb = new StringBuilder(1 << 20);
    for (long i = existing + 1; i <= n; i++) {
      // skewed like real engagement: a tenth never scored, most have little, a few have a lot
      double u = random.nextDouble();
      long xp = u < 0.1 ? 0 : (long) (150_000 * Math.pow(random.nextDouble(), 4));
      long reached = epoch + (long) (random.nextDouble() * span);
      String at = Instant.ofEpochSecond(reached).toString();
      String name = username(i);
      sb.append(name)
          .append('\t')
          .append(name)
          .append("@bench.test\t")
          .append(hash)
          .append('\t')
          .append(xp)
          .append('\t')
          .append(Level.levelFor(xp))
          .append('\t')
          .append(at)
          .append('\t')
          .append(at)
          .append('\n');
      if (sb.length() > (1 << 20) - 512) {
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(b, 0, b.length);
        sb.setLength(0);
      }
    }
    byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
    copy.writeToCopy(b, 0, b.length);
    long rows = copy.endCopy();
    try (var st = db.createStatement()) {
      st.execute("ANALYZE users");
    }
    return rows;
  }

  /**
   * Writes every user into the leaderboard (score = XP, member = {@link RankCodec} member, plus the
   * user-to-member hash) over the same total_xp and xp_reached_at the database holds, replacing
   * whatever the keys held. Streams the rows with COPY TO so a million users never sit in memory at
   * once.
   */
  long leaderboard() throws Exception {
    return rank(
        "COPY (SELECT id, total_xp, floor(extract(epoch FROM xp_reached_at) * 1000)::bigint FROM users) TO STDOUT",
        leaderboardKey,
        membersKey);
  }

  /**
   * Gives every user who has XP one passed attempt processed today (XP skewed like the totals,
   * never more than the user's total), then writes the day and week boards (the windows containing
   * now, in UTC, the boards' default zone) in their Redis layout from those attempts, exactly as
   * the worker's rebuild would: score = XP earned in the window, member = {@link RankCodec} member
   * of when the user reached that sum. Skips the inserts when today's attempts exist already.
   *
   * @return the users on the week board
   */
  long periodBoards(Keys keys) throws Exception {
    Instant now = Instant.now();
    var day = PeriodWindow.containing(Period.DAY, now, ZoneOffset.UTC);
    var week = PeriodWindow.containing(Period.WEEK, now, ZoneOffset.UTC);
    // processed between the day's start and a minute ago: inside both windows
    long spanMillis = Math.max(1, now.toEpochMilli() - 60_000 - day.start().toEpochMilli());
    boolean seeded;
    try (var ps =
        db.prepareStatement(
            "SELECT count(*) FROM attempts WHERE processed_at >= ? AND xp_awarded > 0")) {
      ps.setObject(1, java.time.OffsetDateTime.ofInstant(day.start(), ZoneOffset.UTC));
      try (var rs = ps.executeQuery()) {
        rs.next();
        seeded = rs.getLong(1) > 0;
      }
    }
    if (!seeded) {
      // a challenge of their own: the scenarios' challenges stay unscored, so an award on one of
      // them still pays its full XP (the end-to-end scenario waits for exactly that total)
      long challenge;
      try (var st = db.createStatement()) {
        st.execute(
            "INSERT INTO challenges (title, description, xp, difficulty, tags, pass_score, published) "
                + "SELECT 'Bench period seed', 'XP earned today, for the period boards.', 1000, 'easy', "
                + "ARRAY['bench'], 60, false WHERE NOT EXISTS "
                + "(SELECT 1 FROM challenges WHERE title = 'Bench period seed')");
        try (var rs =
            st.executeQuery("SELECT id FROM challenges WHERE title = 'Bench period seed'")) {
          rs.next();
          challenge = rs.getLong(1);
        }
        st.execute("SELECT setseed(0.2026)");
      }
      try (var ps =
          db.prepareStatement(
              """
              INSERT INTO attempts (user_id, challenge_id, status, score, xp_awarded, started_at,
                                    submitted_at, processed_at)
              SELECT u.id, ?, 'passed', 100,
                     least(u.total_xp, 1 + floor(3000 * random() ^ 3))::int, t.at, t.at, t.at
              FROM users u
              CROSS JOIN LATERAL (SELECT ?::timestamptz + random() * ? * interval '1 millisecond'
                                  + u.id * interval '0 second' AS at) t
              WHERE u.total_xp > 0""")) {
        ps.setLong(1, challenge);
        ps.setObject(2, java.time.OffsetDateTime.ofInstant(day.start(), ZoneOffset.UTC));
        ps.setLong(3, spanMillis);
        ps.executeUpdate();
      }
      try (var st = db.createStatement()) {
        st.execute("ANALYZE attempts");
      }
    }
    long onWeek = 0;
    for (var w : List.of(day, week)) {
      long n =
          rank(
              "COPY (SELECT user_id, sum(xp_awarded), floor(extract(epoch FROM max(processed_at)) * 1000)::bigint "
                  + "FROM attempts WHERE processed_at >= '"
                  + w.start()
                  + "' AND processed_at < '"
                  + w.end()
                  + "' AND xp_awarded > 0 GROUP BY user_id) TO STDOUT",
              keys.periodBoard(w.id()),
              keys.periodBoardMembers(w.id()));
      if (w == week) {
        onWeek = n;
      }
    }
    return onWeek;
  }

  /**
   * Replaces a board with the rows of {@code copyOut} (user id, XP, reached at in epoch
   * milliseconds), streamed so a million users never sit in memory at once.
   */
  private long rank(String copyOut, String board, String members) throws Exception {
    var api = ((PGConnection) db.unwrap(PGConnection.class)).getCopyAPI();
    var pipeIn = new PipedInputStream(1 << 20);
    var pipeOut = new PipedOutputStream(pipeIn);
    var failure = new Exception[1];
    var producer =
        new Thread(
            () -> {
              try (pipeOut) {
                api.copyOut(copyOut, pipeOut);
              } catch (Exception e) {
                failure[0] = e;
              }
            },
            "seed-copy-out");
    producer.start();
    long count = 0;
    redis.unlink(board, members);
    try (var reader =
            new BufferedReader(new InputStreamReader(pipeIn, StandardCharsets.UTF_8), 1 << 16);
        var pipeline = redis.pipelined()) {
      var batch = new HashMap<String, Double>(2048);
      var owners = new HashMap<String, String>(2048);
      String line;
      while ((line = reader.readLine()) != null) {
        int a = line.indexOf('\t');
        int b = line.indexOf('\t', a + 1);
        long xp = Long.parseLong(line, a + 1, b, 10);
        long at = Long.parseLong(line, b + 1, line.length(), 10);
        long id = Long.parseLong(line, 0, a, 10);
        String member = RankCodec.member(id, Instant.ofEpochMilli(at));
        batch.put(member, (double) xp);
        owners.put(Long.toString(id), member);
        if (batch.size() == 1000) {
          pipeline.zadd(board, batch);
          pipeline.hset(members, owners);
          batch = new HashMap<>(2048);
          owners = new HashMap<>(2048);
        }
        if (++count % 50_000 == 0) {
          pipeline.sync();
        }
      }
      if (!batch.isEmpty()) {
        pipeline.zadd(board, batch);
        pipeline.hset(members, owners);
      }
      pipeline.sync();
    }
    producer.join();
    if (failure[0] != null) {
      throw failure[0];
    }
    return count;
  }

  /**
   * Creates published challenges {@code Bench challenge 1..n} that are missing; returns all their
   * ids.
   */
  List<Long> challenges(int n) throws SQLException {
    long existing = scalar("SELECT count(*) FROM challenges WHERE title LIKE 'Bench challenge %'");
    if (existing < n) {
      var random = new Random(7);
      String[] difficulties = {"easy", "medium", "hard", "expert"};
      int[] xps = {50, 100, 200, 300, 500, 1000};
      try (var ps =
          db.prepareStatement(
              "INSERT INTO challenges (title, description, xp, difficulty, tags, pass_score, published) "
                  + "VALUES (?, ?, ?, ?, ?, 60, true)")) {
        for (long i = existing + 1; i <= n; i++) {
          var tags = new ArrayList<String>();
          int k = 1 + random.nextInt(3);
          while (tags.size() < k) {
            String t = Fixtures.TAGS.get(random.nextInt(Fixtures.TAGS.size()));
            if (!tags.contains(t)) {
              tags.add(t);
            }
          }
          ps.setString(1, CHALLENGE_PREFIX + i);
          ps.setString(2, "A generated challenge for load tests, number " + i + ".");
          ps.setInt(3, xps[random.nextInt(xps.length)]);
          ps.setString(4, difficulties[random.nextInt(difficulties.length)]);
          ps.setArray(5, db.createArrayOf("text", tags.toArray()));
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    var ids = new ArrayList<Long>();
    try (var st = db.createStatement();
        var rs =
            st.executeQuery(
                "SELECT id FROM challenges WHERE title LIKE 'Bench challenge %' AND deleted_at IS NULL ORDER BY id")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  /**
   * Makes exactly {@code n} bench badges exist (mixed condition types, same catalogue as the JMH
   * benchmark). Inserted as already back-filled: this measures per-award evaluation, not a
   * retroactive pass over a million users.
   */
  void badges(int n) throws Exception {
    try (var ps =
        db.prepareStatement(
            "DELETE FROM badges WHERE name LIKE 'bench-badge-%' AND "
                + "substring(name FROM 13)::int > ?")) {
      ps.setInt(1, n);
      ps.executeUpdate();
    }
    Map<Long, Condition> catalogue = Fixtures.badges(n, 7);
    try (var ps =
        db.prepareStatement(
            "INSERT INTO badges (name, description, condition, revision, backfilled_revision) "
                + "VALUES (?, ?, ?::jsonb, 1, 1) ON CONFLICT DO NOTHING")) {
      for (var e : catalogue.entrySet()) {
        ps.setString(1, BADGE_PREFIX + e.getKey());
        ps.setString(2, "Generated badge " + e.getKey());
        ps.setString(3, json.writeValueAsString(Conditions.render(e.getValue())));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Ids of users by name. */
  Map<String, Long> userIds(List<String> names) throws SQLException {
    var ids = new HashMap<String, Long>();
    try (var ps = db.prepareStatement("SELECT username, id FROM users WHERE username = ANY(?)")) {
      ps.setArray(1, db.createArrayOf("text", names.toArray()));
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return ids;
  }

  record NewAttempt(long id, long userId, long challengeId) {}

  /**
   * Inserts attempts in one statement; {@code submitted} rows get a score and submitted_at = now().
   */
  List<NewAttempt> attempts(long[] users, long[] challenges, int[] scoresOrNull)
      throws SQLException {
    var out = new ArrayList<NewAttempt>(users.length);
    String sql =
        scoresOrNull == null
            ? "INSERT INTO attempts (user_id, challenge_id) SELECT * FROM unnest(?::bigint[], ?::bigint[]) "
                + "RETURNING id, user_id, challenge_id"
            : "INSERT INTO attempts (user_id, challenge_id, status, score, submitted_at) "
                + "SELECT u, c, 'submitted', s, now() FROM unnest(?::bigint[], ?::bigint[], ?::int[]) AS t(u, c, s) "
                + "RETURNING id, user_id, challenge_id";
    try (var ps = db.prepareStatement(sql)) {
      ps.setArray(1, longs(users));
      ps.setArray(2, longs(challenges));
      if (scoresOrNull != null) {
        var boxed = new Integer[scoresOrNull.length];
        for (int i = 0; i < boxed.length; i++) {
          boxed[i] = scoresOrNull[i];
        }
        ps.setArray(3, db.createArrayOf("int4", boxed));
      }
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new NewAttempt(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
        }
      }
    }
    return out;
  }

  private Array longs(long[] values) throws SQLException {
    var boxed = new Long[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return db.createArrayOf("int8", boxed);
  }

  long scalar(String sql) throws SQLException {
    try (var st = db.createStatement();
        var rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
