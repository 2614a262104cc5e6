package io.skillquest.bench;

import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The limit beside every HTTP read: a bare Javalin route returning fixed bytes (the body SkillQuest
 * answered for the top 10), on the same Javalin and Jetty as the server, in its own JVM with the
 * server's heap. Whatever a SkillQuest read costs above this is SkillQuest's own work.
 *
 * <p>{@code java -cp skillquest-bench.jar io.skillquest.bench.BareRoute <port> <body file>}; serves
 * {@code GET /bare} on 127.0.0.1 until killed.
 */
public final class BareRoute {

  private BareRoute() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    byte[] body = Files.readAllBytes(Path.of(args[1]));
    Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.routes.get("/bare", ctx -> ctx.contentType("application/json").result(body));
            })
        .start("127.0.0.1", port);
  }
}
