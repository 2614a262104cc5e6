package io.skillquest.server.challenge;

import io.skillquest.server.testing.TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders shared by the resource tests. */
public final class Fixtures {
  private Fixtures() {}

  /** A map that keeps insertion order and accepts null values (Map.of does not). */
  public static Map<String, Object> json(Object... keyValues) {
    var map = new LinkedHashMap<String, Object>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return map;
  }

  /** Creates a challenge as admin and returns its id. */
  public static long challenge(
      TestServer server,
      String title,
      int xp,
      int passScore,
      boolean published,
      List<String> tags) {
    var r =
        server.post(
            "/challenges",
            json(
                "title",
                title,
                "xp",
                xp,
                "difficulty",
                "medium",
                "pass_score",
                passScore,
                "published",
                published,
                "tags",
                tags),
            server.adminToken());
    if (r.status() != 201) {
      throw new AssertionError("create challenge: " + r);
    }
    return r.get("id").asLong();
  }

  public static long publishedChallenge(TestServer server, int xp) {
    return challenge(server, "challenge worth " + xp, xp, 60, true, List.of());
  }
}
