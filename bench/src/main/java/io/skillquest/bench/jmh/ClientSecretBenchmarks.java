package io.skillquest.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-process part of authenticating an API client, as the server does it per request: the
 * secret ({@code sq_} + 16 hex key id + {@code _} + 32 random bytes in base64url) parsed for its
 * key id, hashed with SHA-256 and compared in constant time with the stored hash. The rest of the
 * cost is one Redis round trip (revocation marker and rate limit together), which GraderRun
 * measures over HTTP. Secrets cycle through a table so nothing folds to a constant.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ClientSecretBenchmarks {
  private static final int N = 256;
  private final String[] secrets = new String[N];
  private final byte[][] hashes = new byte[N][];
  private int i;

  @Setup
  public void setUp() throws Exception {
    var random = new SecureRandom();
    for (int k = 0; k < N; k++) {
      var id = new byte[8];
      var secret = new byte[32];
      random.nextBytes(id);
      random.nextBytes(secret);
      secrets[k] =
          "sq_"
              + HexFormat.of().formatHex(id)
              + "_"
              + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
      hashes[k] =
          MessageDigest.getInstance("SHA-256").digest(secrets[k].getBytes(StandardCharsets.UTF_8));
    }
  }

  @Benchmark
  public boolean clientSecretParseHashAndCompare() throws Exception {
    int k = i++ & (N - 1);
    String secret = secrets[k];
    String keyId = secret.substring(3, 19);
    if (secret.charAt(19) != '_' || keyId.isEmpty()) {
      return false;
    }
    byte[] hash =
        MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    return MessageDigest.isEqual(hash, hashes[k]);
  }
}
