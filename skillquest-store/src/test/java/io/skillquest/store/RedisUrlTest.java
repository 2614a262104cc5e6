package io.skillquest.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skillquest.store.RedisUrl.Kind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

class RedisUrlTest {

  @Test
  void oneServerKeepsItsUrl() {
    var url = RedisUrl.parse("rediss://:secret@cache.internal:6380/2");
    assertThat(url.kind()).isEqualTo(Kind.SERVER);
    assertThat(url.tls()).isTrue();
    assertThat(url.serverUri().getPort()).isEqualTo(6380);
    assertThat(url.toString()).doesNotContain("secret").contains("cache.internal:6380/2");
    assertThat(RedisUrl.parse("redis://localhost").kind()).isEqualTo(Kind.SERVER);
  }

  @Test
  void aClusterIsAListOfSeedNodesWithOptionalCredentialsAndTls() {
    var url = RedisUrl.parse("redis-cluster://app:p%40ss@10.0.0.1:7000,10.0.0.2:7001, node-3");
    assertThat(url.kind()).isEqualTo(Kind.CLUSTER);
    assertThat(url.tls()).isFalse();
    assertThat(url.nodes())
        .containsExactly(
            new HostAndPort("10.0.0.1", 7000),
            new HostAndPort("10.0.0.2", 7001),
            new HostAndPort("node-3", 6379));
    assertThat(url.user()).isEqualTo("app");
    assertThat(url.password()).isEqualTo("p@ss");
    assertThat(url.toString()).doesNotContain("p@ss").doesNotContain("p%40ss");
    assertThat(RedisUrl.parse("rediss-cluster://[::1]:7000/").tls()).isTrue();
    assertThat(RedisUrl.parse("rediss-cluster://[::1]:7000/").nodes())
        .containsExactly(new HostAndPort("::1", 7000));
    assertThat(RedisUrl.parse("redis-cluster://:only-password@h:1").user()).isNull();
  }

  @Test
  void aSentinelGroupNamesItsSentinelsAndTheMaster() {
    var url = RedisUrl.parse("redis-sentinel://s1:26379,s2,s3:26380/mymaster");
    assertThat(url.kind()).isEqualTo(Kind.SENTINEL);
    assertThat(url.masterName()).isEqualTo("mymaster");
    assertThat(url.nodes())
        .extracting(HostAndPort::getPort)
        .isEqualTo(List.of(26379, 26379, 26380));
  }

  @Test
  void sentinelsHaveTheirOwnCredentialsOnlyWhenTheUrlSaysSo() {
    var plain = RedisUrl.parse("redis-sentinel://:master-pw@s1/main");
    assertThat(plain.password()).isEqualTo("master-pw");
    assertThat(plain.sentinelPassword()).isNull();
    var own =
        RedisUrl.parse("redis-sentinel://:m@s1/main?sentinel-password=s%26pw&sentinel-user=sen");
    assertThat(own.masterName()).isEqualTo("main");
    assertThat(own.sentinelPassword()).isEqualTo("s&pw");
    assertThat(own.sentinelUser()).isEqualTo("sen");
    assertThatThrownBy(() -> RedisUrl.parse("redis-sentinel://s1/main?password=x"))
        .hasMessageContaining("sentinel-password");
    var config =
        new StoreConfig(
            "jdbc:postgresql://db/sq",
            "",
            "",
            "redis-sentinel://:m-pw@s1/main?sentinel-password=s-pw",
            null);
    assertThat(config.toString()).doesNotContain("m-pw").doesNotContain("s-pw");
  }

  @Test
  void malformedUrlsSayWhatIsWrong() {
    Map.of(
            "http://h:6379", "must start with redis://",
            "redis-cluster://", "empty host",
            "redis-cluster://h:1,,h:2", "empty host",
            "redis-cluster://h:99999", "not 1-65535",
            "redis-cluster://h:1/0", "takes no database",
            "redis-sentinel://s:26379", "master group's name",
            "redis-sentinel://s:26379/", "master group's name",
            "redis://h1:6379,h2:6379", "redis-cluster:// or redis-sentinel://",
            "redis://h:6379/abc", "database number",
            "redis-cluster://h_bad!:1", "malformed host")
        .forEach(
            (url, message) ->
                assertThatThrownBy(() -> RedisUrl.parse(url))
                    .as(url)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(message));
  }

  @Test
  void errorsNeverQuoteThePassword() {
    assertThatThrownBy(() -> RedisUrl.parse("redis-cluster://u:hunter2@h:notaport"))
        .message()
        .doesNotContain("hunter2");
  }
}
