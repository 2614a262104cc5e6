package io.skillquest.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeysTest {

  @Test
  void defaultPrefixIsSkillquestColon() {
    assertThat(new Keys().prefix()).isEqualTo("skillquest:");
    assertThat(new Keys().queue()).isEqualTo("skillquest:queue:awards");
  }

  @Test
  void everyKeyIsUnderThePrefix() {
    var keys = new Keys("t1:");
    assertThat(keys.queue()).isEqualTo("t1:queue:awards");
    assertThat(keys.deadLetters()).isEqualTo("{t1:queue:awards}:dead");
    assertThat(keys.legacyDeadLetters()).isEqualTo("t1:queue:dead");
    assertThat(keys.leaderboard()).isEqualTo("t1:{lb}:board");
    assertThat(keys.leaderboardMembers()).isEqualTo("t1:{lb}:board:members");
    assertThat(keys.leaderboardLock()).isEqualTo("t1:{lb}:rebuild-lock");
    assertThat(keys.periodBoard("week:2026-W49")).isEqualTo("t1:{lb}:period:week:2026-W49");
    assertThat(keys.periodBoardMembers("day:2026-11-30"))
        .isEqualTo("t1:{lb}:period:day:2026-11-30:members");
    assertThat(keys.revokedToken("abc")).isEqualTo("t1:revoked:abc");
    assertThat(keys.rateLimit("login", "alice")).isEqualTo("t1:ratelimit:login:alice");
    assertThat(keys.lock("backfill")).isEqualTo("t1:lock:backfill");
  }

  @Test
  void everyLeaderboardKeySharesOneRedisClusterHashTag() {
    var keys = new Keys("t1:");
    for (var key :
        java.util.List.of(
            keys.leaderboard(),
            keys.leaderboardMembers(),
            keys.leaderboardLock(),
            keys.periodBoard("day:2026-11-30"),
            keys.periodBoardMembers("month:2026-11"))) {
      // Redis hashes only the text between the first '{' and the next '}'
      int open = key.indexOf('{');
      assertThat(key.substring(open, key.indexOf('}', open) + 1)).as(key).isEqualTo("{lb}");
    }
  }

  @Test
  void theDeadLetterListIsTaggedWithTheQueuesWholeName() {
    // a key without a tag hashes whole, so a tag equal to the queue's name selects the queue's slot
    var keys = new Keys("t1:");
    String dead = keys.deadLetters();
    assertThat(dead.substring(dead.indexOf('{') + 1, dead.indexOf('}'))).isEqualTo(keys.queue());
    assertThat(keys.queue()).doesNotContain("{").doesNotContain("}");
  }

  @Test
  void aPrefixWithBracesIsRefused() {
    assertThatThrownBy(() -> new Keys("{sq}:"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hash tags");
    assertThatThrownBy(() -> new Keys("a}b:")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyPrefixIsAllowed() {
    assertThat(new Keys("").leaderboard()).isEqualTo("{lb}:board");
  }

  @Test
  void nullPrefixOrPartsAreRejected() {
    assertThatThrownBy(() -> new Keys(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Keys().revokedToken(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Keys().rateLimit("ip", null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Keys().lock(null)).isInstanceOf(NullPointerException.class);
  }
}
