package io.skillquest.server.docs;

import io.javalin.http.Context;
import io.skillquest.server.http.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The hand-maintained OpenAPI document (src/main/resources/openapi.json, kept honest by a test
 * comparing it with the registered routes) and a Swagger UI page served from the swagger-ui webjar,
 * so /docs works offline and without the annotation processor.
 */
public final class ApiDocs {
  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
  private static final Map<String, String> ASSETS =
      Map.of(
          "swagger-ui.css", "text/css; charset=utf-8",
          "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
          "swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8",
          "favicon-32x32.png", "image/png");
  private static final String PAGE =
      """
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>SkillQuest API</title>
              <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
              <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
            </head>
            <body>
            <div id="swagger-ui"></div>
            <script src="/docs/assets/swagger-ui-bundle.js"></script>
            <script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
            <script>
              window.ui = SwaggerUIBundle({
                url: "/openapi.json",
                dom_id: "#swagger-ui",
                deepLinking: true,
                presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
                layout: "StandaloneLayout"
              });
            </script>
            </body>
            </html>
            """;

  private final byte[] openApi;
  private final String webjarVersion;

  public ApiDocs() {
    this.openApi = resource("openapi.json");
    this.webjarVersion = swaggerUiVersion();
  }

  public void openApi(Context ctx) {
    ctx.contentType("application/json").result(openApi);
  }

  public void ui(Context ctx) {
    ctx.html(PAGE);
  }

  public void asset(Context ctx) {
    var name = ctx.pathParam("file");
    var type = ASSETS.get(name);
    if (type == null) {
      throw Problem.notFound("no such asset: " + name);
    }
    ctx.header("Cache-Control", "public, max-age=86400")
        .contentType(type)
        .result(resource(WEBJAR + webjarVersion + "/" + name));
  }

  private static byte[] resource(String name) {
    try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String swaggerUiVersion() {
    var props = new Properties();
    try (InputStream in =
        ApiDocs.class
            .getClassLoader()
            .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the org.webjars:swagger-ui jar is not on the classpath");
      }
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return props.getProperty("version");
  }
}
