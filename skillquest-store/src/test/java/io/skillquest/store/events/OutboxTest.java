package io.skillquest.store.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.store.testing.RealStores;
import io.skillquest.store.testing.StoreFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(RealStores.class)
class OutboxTest {

  private final StoreFixture stores;
  private final EventStore events;

  OutboxTest(StoreFixture stores) {
    this.stores = stores;
    this.events = new EventStore(stores.jdbi);
  }

  private static List<Outbox.LevelReached> level(long user, int level) {
    return List.of(new Outbox.LevelReached(user, level, level * 100L));
  }

  private static void write(Handle h, long user, int level) {
    Outbox.write(h, List.of(), level(user, level), List.of());
  }

  @Test
  void aWriterThatCommitsLaterNeverTakesASmallerIdThanOneAReaderAlreadySaw() throws Exception {
    long user = stores.user();
    long before = events.latestId();
    try (Handle a = stores.jdbi.open();
        Handle b = stores.jdbi.open()) {
      a.begin();
      write(a, user, 2);

      // B starts writing while A is still open: it waits for A's commit instead of drawing an id
      b.begin();
      var bWritten = CompletableFuture.runAsync(() -> write(b, user, 3));
      StoreFixture.eventually(
          Duration.ofSeconds(10),
          () ->
              assertThat(
                      stores.count(
                          "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))
                  .isOne());
      assertThat(bWritten).isNotDone();
      assertThat(events.after(before, null, 10)).isEmpty();

      a.commit();
      bWritten.get(10, TimeUnit.SECONDS);
      // B has drawn its id but not committed: a reader sees A's event and nothing below it is
      // missing later
      var seen = events.after(before, null, 10);
      assertThat(seen).extracting(Event::data).containsExactly(levelData(user, 2));
      long cursor = seen.get(0).id();

      b.commit();
      var next = events.after(cursor, null, 10);
      assertThat(next).extracting(Event::data).containsExactly(levelData(user, 3));
      assertThat(next.get(0).id()).isGreaterThan(cursor);
    }
  }

  @Test
  void aRolledBackWriteLeavesNoEventAndWakesNobody() throws Exception {
    long user = stores.user();
    try (Handle listener = stores.jdbi.open()) {
      listener.execute("LISTEN " + Outbox.CHANNEL);
      var pg = listener.getConnection().unwrap(PGConnection.class);
      long before = events.latestId();

      stores.jdbi.useTransaction(
          h -> {
            write(h, user, 4);
            h.rollback();
          });
      assertThat(events.after(before, null, 10)).isEmpty();
      assertThat(pg.getNotifications(300)).isNullOrEmpty();

      stores.jdbi.useTransaction(
          h ->
              Outbox.write(
                  h,
                  List.of(),
                  List.of(
                      new Outbox.LevelReached(user, 5, 500), new Outbox.LevelReached(user, 6, 600)),
                  List.of()));
      var written = events.after(before, null, 10);
      assertThat(written).hasSize(2);
      // one notification for the transaction, carrying its largest event id
      var notes = new ArrayList<String>();
      StoreFixture.eventually(
          Duration.ofSeconds(5),
          () -> {
            org.postgresql.PGNotification[] got;
            try {
              got = pg.getNotifications(100);
            } catch (java.sql.SQLException e) {
              throw new IllegalStateException(e);
            }
            if (got != null) {
              for (var n : got) {
                notes.add(n.getName() + ":" + n.getParameter());
              }
            }
            assertThat(notes).isNotEmpty();
          });
      assertThat(notes).containsExactly(Outbox.CHANNEL + ":" + written.get(1).id());
    }
  }

  @Test
  void writingOutsideATransactionIsRefused() {
    long user = stores.user();
    stores.jdbi.useHandle(
        h ->
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> write(h, user, 2))
                .isInstanceOf(IllegalStateException.class));
  }

  @Test
  void eachTypeIsWrittenWithItsPayloadInOrder() {
    long user = stores.user();
    long challenge = stores.challenge(100, 60);
    long attempt = stores.submitted(user, challenge, 80);
    long badge = stores.badge("outbox-order", "{\"type\":\"xp\",\"threshold\":1}");
    stores.jdbi.useHandle(
        h -> h.execute("INSERT INTO user_badges (user_id, badge_id) VALUES (?, ?)", user, badge));
    long before = events.latestId();
    stores.jdbi.useTransaction(
        h ->
            Outbox.write(
                h,
                List.of(new Outbox.Processed(attempt, user, challenge, 80, "passed", 80, 80, 1)),
                level(user, 2),
                List.of(new Outbox.BadgeAwarded(user, badge))));
    var written = events.after(before, user, 10);
    assertThat(written)
        .extracting(Event::type)
        .containsExactly(
            EventTypes.ATTEMPT_PROCESSED, EventTypes.LEVEL_REACHED, EventTypes.BADGE_AWARDED);
    assertThat(written.get(0).data())
        .isEqualTo(
            "{\"level\": 1, \"score\": 80, \"status\": \"passed\", \"user_id\": "
                + user
                + ", \"total_xp\": 80, \"attempt_id\": "
                + attempt
                + ", \"xp_awarded\": 80, \"challenge_id\": "
                + challenge
                + "}");
    assertThat(written.get(2).data())
        .contains("\"name\": \"outbox-order\"", "\"badge_id\": " + badge)
        .containsPattern("\"awarded_at\": \"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z\"");
  }

  @Test
  void aBadgeNamedWithItsAttemptMakesAnEventOnlyForTheRowThatAttemptInserted() {
    long user = stores.user();
    long challenge = stores.challenge(100, 60);
    long mine = stores.submitted(user, challenge, 80);
    long other = stores.submitted(user, challenge, 90);
    long given = stores.badge("outbox-given", "{\"type\":\"xp\",\"threshold\":1}");
    long earned = stores.badge("outbox-earned", "{\"type\":\"xp\",\"threshold\":1}");
    // one row given earlier by another writer, one by this attempt's award
    stores.jdbi.useHandle(
        h -> {
          h.execute(
              "INSERT INTO user_badges (user_id, badge_id, attempt_id) VALUES (?, ?, ?)",
              user,
              given,
              other);
          h.execute(
              "INSERT INTO user_badges (user_id, badge_id, attempt_id) VALUES (?, ?, ?)",
              user,
              earned,
              mine);
        });
    long before = events.latestId();
    int written =
        stores.jdbi.inTransaction(
            h ->
                Outbox.write(
                    h,
                    List.of(),
                    List.of(),
                    List.of(
                        new Outbox.BadgeAwarded(user, given, mine),
                        new Outbox.BadgeAwarded(user, earned, mine))));
    assertThat(written).isOne();
    assertThat(events.after(before, user, 10))
        .singleElement()
        .extracting(Event::data)
        .asString()
        .contains("\"badge_id\": " + earned)
        .doesNotContain("\"badge_id\": " + given);
  }

  @Test
  void readersSeeEveryoneOrOneUserInPagesOldestFirst() {
    long one = stores.user();
    long two = stores.user();
    long before = events.latestId();
    for (int i = 2; i < 7; i++) {
      int level = i;
      stores.jdbi.useTransaction(h -> write(h, level % 2 == 0 ? one : two, level));
    }
    var all = events.after(before, null, 1000);
    assertThat(all).extracting(Event::id).isSorted().hasSize(5);
    assertThat(events.after(before, one, 2)).extracting(Event::userId).containsExactly(one, one);
    assertThat(events.after(all.get(3).id(), null, 10)).containsExactly(all.get(4));
    assertThat(events.after(before, two, 100)).hasSize(2);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> events.after(0, null, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pruningDeletesOnlyEventsPastRetentionInBoundedBatches() {
    long user = stores.user();
    long before = events.latestId();
    for (int i = 2; i < 9; i++) {
      int level = i;
      stores.jdbi.useTransaction(h -> write(h, user, level));
    }
    var written = events.after(before, user, 100);
    // the first five are 40 days old
    stores.jdbi.useHandle(
        h ->
            h.execute(
                "UPDATE events SET created_at = now() - interval '40 days' WHERE id > ? AND id <= ?",
                before,
                written.get(4).id()));
    long deleted = events.prune(Duration.ofDays(30), 2, Instant.now());
    assertThat(deleted).isEqualTo(5);
    assertThat(events.after(before, user, 100))
        .extracting(Event::id)
        .containsExactly(written.get(5).id(), written.get(6).id());
    assertThat(events.prune(Duration.ofDays(30), 2, Instant.now())).isZero();
  }

  private static String levelData(long user, int level) {
    return "{\"level\": "
        + level
        + ", \"user_id\": "
        + user
        + ", \"total_xp\": "
        + level * 100
        + "}";
  }
}
