package io.skillquest.server.leaderboard;

import io.skillquest.core.leaderboard.Period;
import io.skillquest.core.leaderboard.PeriodWindow;
import io.skillquest.core.leaderboard.Ranking;
import io.skillquest.core.xp.Level;
import io.skillquest.server.http.Problem;
import io.skillquest.store.leaderboard.LeaderboardStore;
import io.skillquest.store.leaderboard.PeriodBoards;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Reads the day, week and month boards: a window whose final standings are written is served from
 * PostgreSQL; the current window (and one that ended but is still in its grace) from its live Redis
 * set, or computed from attempts in SQL while that set is missing or Redis is down.
 */
public final class PeriodLeaderboard {
  private static final Logger log = LoggerFactory.getLogger(PeriodLeaderboard.class);

  /**
   * How long a window read as not yet finalised is taken as such without asking again. Until then
   * reads use its live set, which holds the same standings (no award lands in a window after its
   * grace), so at most this long after finalisation a read comes from Redis instead of the final
   * rows: one query per window per second instead of one per read.
   */
  static final long NOT_FINAL_NANOS = 1_000_000_000L;

  /**
   * How long a page read from a live set answers further requests for the same page, as for the
   * all-time board (see {@link Leaderboard#PAGE_REUSE_NANOS}).
   */
  static final long PAGE_REUSE_NANOS = Leaderboard.PAGE_REUSE_NANOS;

  private final PeriodBoards boards;
  private final Leaderboard allTime;
  private final PeriodDao dao;
  private final Clock clock;

  /** Finalised windows (final for good) and, for the others, until when that was last read. */
  private final Map<String, Long> finality = new ConcurrentHashMap<>();

  private final AtomicReference<RecentPage> recent = new AtomicReference<>();

  /** The last page read from a live set, and when the read began (System.nanoTime). */
  private record RecentPage(
      String window,
      int limit,
      int offset,
      Ranking ranking,
      long readAt,
      List<LeaderboardEntry> entries) {}

  /**
   * @param boards the live window boards
   * @param allTime the all-time board, whose username cache and totals fill in period rows
   * @param jdbi final standings, and every read while Redis cannot answer
   * @param clock today
   */
  public PeriodLeaderboard(PeriodBoards boards, Leaderboard allTime, Jdbi jdbi, Clock clock) {
    this.boards = boards;
    this.allTime = allTime;
    this.dao = new PeriodDao(jdbi);
    this.clock = clock;
  }

  /**
   * The window of a period containing a date (today in the board's zone when null).
   *
   * @throws Problem 400 naming {@code at} for a future date or one older than retention
   */
  public PeriodWindow window(Period period, LocalDate at) {
    var settings = boards.settings();
    var now = clock.instant();
    var w =
        at == null
            ? PeriodWindow.containing(period, now, settings.zone())
            : PeriodWindow.containing(period, at, settings.zone());
    if (w.start().isAfter(now)) {
      throw Problem.invalidField("at", "must not be after today in the board's time zone");
    }
    int retention = settings.retention(period);
    if (!w.retainedAt(now, retention)) {
      throw Problem.invalidField(
          "at", "is older than the " + retention + " " + period.wireName() + " windows kept");
    }
    return w;
  }

  /** A page of a window's board. */
  public List<LeaderboardEntry> page(PeriodWindow w, int limit, int offset, Ranking ranking) {
    boolean fin = finalised(w);
    if (!fin) {
      long now = System.nanoTime();
      var last = recent.get();
      if (last != null
          && last.window().equals(w.id())
          && last.limit() == limit
          && last.offset() == offset
          && last.ranking() == ranking
          && now - last.readAt() < PAGE_REUSE_NANOS) {
        return last.entries();
      }
      try {
        var page = boards.range(w, offset, offset + limit - 1L);
        if (page.isPresent()) {
          var entries = page.get().entries();
          long[] xps = entries.stream().mapToLong(LeaderboardStore.Entry::totalXp).toArray();
          var named = named(entries, ranking.ranks(offset, page.get().usersAboveFirst(), xps));
          recent.set(new RecentPage(w.id(), limit, offset, ranking, now, named));
          return named;
        }
      } catch (JedisException e) {
        log.warn("period board from SQL, Redis is unavailable: {}", e.toString());
      }
    }
    return dao.page(w, fin, limit, offset).stream().map(r -> r.entry(ranking)).toList();
  }

  /**
   * The caller's standing on a window's board with {@code around} neighbours each side.
   *
   * @throws NoSuchElementException when the user does not exist
   */
  public MyStanding standing(PeriodWindow w, long userId, int around, Ranking ranking) {
    boolean fin = finalised(w);
    if (!fin) {
      try {
        var place = boards.placeAndTotal(w, userId);
        if (place.isPresent()) {
          if (place.get().isEmpty()) {
            var user = allTime.namesAndTotals(List.of(userId)).get(userId);
            return unranked(w, userId, user != null ? user : sqlUser(userId));
          }
          var p = place.get().get().place();
          Long total = place.get().get().allTimeXp();
          long position = p.entry().position();
          long rank = ranking == Ranking.COMPETITION ? p.usersAbove() + 1 : position + 1;
          // the name never changes and the total is the all-time board's: no database read
          // unless the user is not on that board (being rebuilt) or their name is not cached
          String name = total == null ? null : allTime.username(userId);
          var user = name != null ? new PeriodDao.User(name, total) : sqlUser(userId);
          List<LeaderboardEntry> neighbours;
          if (around == 0) {
            neighbours =
                List.of(
                    new LeaderboardEntry(
                        rank,
                        userId,
                        user.username(),
                        p.entry().totalXp(),
                        user.totalXp(),
                        Level.levelFor(user.totalXp())));
          } else {
            long start = Math.max(0, position - around);
            var range = boards.range(w, start, position + around);
            if (range.isEmpty()) {
              return fromSql(w, false, userId, around, ranking);
            }
            var entries = range.get().entries();
            long[] xps = entries.stream().mapToLong(LeaderboardStore.Entry::totalXp).toArray();
            neighbours = named(entries, ranking.ranks(start, range.get().usersAboveFirst(), xps));
          }
          return new MyStanding(
              w.period().wireName(),
              w.id(),
              rank,
              userId,
              user.username(),
              p.entry().totalXp(),
              user.totalXp(),
              Level.levelFor(user.totalXp()),
              neighbours);
        }
      } catch (JedisException e) {
        log.warn("period board from SQL, Redis is unavailable: {}", e.toString());
      }
    }
    return fromSql(w, fin, userId, around, ranking);
  }

  /**
   * The user's final places in finished windows of a period, newest first.
   *
   * @param userId the user
   * @param period week or month (or day)
   * @param limit at most this many windows
   * @return the history; windows in which the user earned nothing are absent
   */
  public List<RankHistoryEntry> history(long userId, Period period, int limit) {
    return dao.history(userId, period.wireName(), limit);
  }

  /**
   * The user's ordinal rank on the current week's board, or null when they earned nothing this
   * week.
   *
   * @param userId the user
   * @return the rank or null
   */
  public Long currentWeekRank(long userId) {
    return standing(window(Period.WEEK, null), userId, 0, Ranking.ORDINAL).rank();
  }

  private MyStanding fromSql(
      PeriodWindow w, boolean fin, long userId, int around, Ranking ranking) {
    var rows = dao.around(w, fin, userId, around);
    Optional<PeriodDao.Row> me = rows.stream().filter(r -> r.userId() == userId).findFirst();
    if (me.isEmpty()) {
      return unranked(w, userId, sqlUser(userId));
    }
    var row = me.get();
    return new MyStanding(
        w.period().wireName(),
        w.id(),
        row.entry(ranking).rank(),
        userId,
        row.username(),
        row.xp(),
        row.totalXp(),
        Level.levelFor(row.totalXp()),
        rows.stream().map(r -> r.entry(ranking)).toList());
  }

  private PeriodDao.User sqlUser(long userId) {
    return dao.user(userId).orElseThrow(() -> noSuchUser(userId));
  }

  private MyStanding unranked(PeriodWindow w, long userId, PeriodDao.User user) {
    return new MyStanding(
        w.period().wireName(),
        w.id(),
        null,
        userId,
        user.username(),
        0,
        user.totalXp(),
        Level.levelFor(user.totalXp()),
        List.of());
  }

  private boolean finalised(PeriodWindow w) {
    long now = System.nanoTime();
    Long until = finality.get(w.id());
    if (until != null && (until == Long.MAX_VALUE || now - until < 0)) {
      return until == Long.MAX_VALUE;
    }
    boolean fin = dao.finalised(w);
    if (finality.size() > 10_000) {
      finality.clear(); // a few windows per period are ever read; this only bounds abuse
    }
    finality.put(w.id(), fin ? Long.MAX_VALUE : now + NOT_FINAL_NANOS);
    return fin;
  }

  private static NoSuchElementException noSuchUser(long userId) {
    return new NoSuchElementException("no such user: " + userId);
  }

  /**
   * Entries with names and all-time totals, from the all-time board's cache and set, and from SQL
   * for users missing there; a user deleted since the set was written is skipped.
   */
  private List<LeaderboardEntry> named(List<LeaderboardStore.Entry> entries, long[] ranks) {
    if (entries.isEmpty()) {
      return List.of();
    }
    var ids = entries.stream().map(LeaderboardStore.Entry::userId).toList();
    var users = new HashMap<>(allTime.namesAndTotals(ids));
    var missing = ids.stream().filter(id -> !users.containsKey(id)).toList();
    if (!missing.isEmpty()) {
      users.putAll(dao.users(missing));
    }
    var out = new ArrayList<LeaderboardEntry>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      var e = entries.get(i);
      var u = users.get(e.userId());
      if (u != null) {
        out.add(
            new LeaderboardEntry(
                ranks[i],
                e.userId(),
                u.username(),
                e.totalXp(),
                u.totalXp(),
                Level.levelFor(u.totalXp())));
      }
    }
    return out;
  }
}
