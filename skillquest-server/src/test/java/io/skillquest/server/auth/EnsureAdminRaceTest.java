package io.skillquest.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.http.RateLimiter;
import io.skillquest.server.testing.TestServer;
import java.util.ArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replicas of a Deployment start together against one database: each creates the first
 * administrator if missing, and the ones that lose the race must start anyway.
 */
class EnsureAdminRaceTest {
  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  @Test
  void serversCreatingTheSameAdministratorAtOnceAllStartAndOneIsCreated() throws Exception {
    int twins = 6;
    var barrier = new CyclicBarrier(twins);
    var pool = Executors.newFixedThreadPool(twins);
    try {
      var starts = new ArrayList<Future<?>>();
      for (int i = 0; i < twins; i++) {
        // one Accounts per "server", as each process builds its own
        var accounts =
            new Accounts(
                server.services(),
                new Tokens(
                    server.services().config().auth().jwtSecret(), server.services().clock()),
                new Passwords(4),
                new RateLimiter(server.redis(), server.services().metrics()));
        starts.add(
            pool.submit(
                () -> {
                  barrier.await(10, TimeUnit.SECONDS);
                  accounts.ensureAdmin("twin-admin", "twin-admin-password");
                  return null;
                }));
      }
      for (var start : starts) {
        start.get(30, TimeUnit.SECONDS); // throws if any of them failed
      }
    } finally {
      pool.shutdownNow();
    }
    int admins =
        server
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT count(*) FROM users WHERE username = 'twin-admin' AND role = 'admin'")
                        .mapTo(Integer.class)
                        .one());
    assertThat(admins).isEqualTo(1);
    assertThat(server.login("twin-admin", "twin-admin-password").access()).isNotBlank();
  }
}
