package io.skillquest.server.web;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.skillquest.server.testing.TestServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web app driven in Debian's Chromium through Debian's chromedriver (nothing is downloaded): a
 * player's and an admin's journeys, an axe-core scan and a 390 px phone check of every page, the
 * embeddable leaderboard on a page of another origin, and no request leaving the server's origin.
 * Screenshots of every page go to target/screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebAppIT {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SHOTS = Path.of("target", "screenshots");
  private static final String MARKUP_DESCRIPTION =
      "Streams & <em>lambdas</em> <img src=x onerror=\"window.__injected = true\">";

  private static HttpServer hostPage;
  private static TestServer server;
  private static ChromeDriver driver;
  private static String base;
  private static String axeSource;
  private static final List<String> axeFailures = new ArrayList<>();
  private static final List<String> phoneFailures = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    assertThat(Path.of(CHROMIUM)).as("Debian's chromium (apt-get install chromium)").exists();
    assertThat(Path.of(CHROMEDRIVER))
        .as("Debian's chromedriver (apt-get install chromium-driver)")
        .exists();
    hostPage = startHostPage();
    var hostOrigin = "http://127.0.0.1:" + hostPage.getAddress().getPort();
    server = TestServer.builder().env("SKILLQUEST_CORS_ORIGINS", hostOrigin).start();
    base = server.baseUrl();
    axeSource = classpathText("META-INF/resources/webjars/axe-core/4.6.3/axe.min.js");
    Files.createDirectories(SHOTS);

    // a published challenge, a draft, and a rival with 50 XP for the new player to overtake
    var admin = server.adminToken();
    createChallenge(admin, "Java basics", 100, "easy", List.of("java"), true);
    createChallenge(admin, "Streams in depth", 200, "hard", List.of("java", "streams"), true);
    createChallenge(admin, "Unreleased draft", 50, "medium", List.of("draft"), false);
    // text from the API is shown as text, never parsed as markup
    var patched =
        server.patch(
            "/challenges/2", Map.of("description", MARKUP_DESCRIPTION), server.adminToken());
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    var bob = server.registerAndLogin("bob");
    submit(bob.access(), 1, 50);
    awaitXp("bob", 50);
    var badge =
        server.post(
            "/badges",
            Map.of(
                "name",
                "First steps",
                "description",
                "Finish one attempt",
                "condition",
                Map.of("type", "attempt_count", "count", 1)),
            admin);
    assertThat(badge.status()).as(badge.toString()).isEqualTo(201);

    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
    var options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--window-size=1280,900",
        "--user-data-dir=" + Files.createTempDirectory("skillquest-chromium"));
    var logging = new LoggingPreferences();
    logging.enable(LogType.PERFORMANCE, Level.ALL);
    logging.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logging);
    var service =
        new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() throws IOException {
    if (driver != null) {
      // kept beside the screenshots: the first place to look when a journey fails
      var console = new StringBuilder();
      for (var e : driver.manage().logs().get(LogType.BROWSER)) {
        console.append(e.getLevel()).append(' ').append(e.getMessage()).append('\n');
      }
      Files.writeString(SHOTS.resolve("console.log"), console);
      driver.quit();
    }
    if (server != null) {
      server.close();
    }
    if (hostPage != null) {
      hostPage.stop(0);
    }
  }

  @Test
  @Order(1)
  void servesTheAppWithAStrictContentSecurityPolicy() throws IOException {
    var page = server.call("GET", "/", null, null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.header("Content-Security-Policy"))
        .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")
        .doesNotContain("unsafe-inline");
    assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(page.text()).contains("<script type=\"module\" src=\"/web/js/main.js\">");

    try (var jar = new ZipFile(System.getProperty("skillquest.server.jar"))) {
      assertThat(jar.getEntry("web/index.html")).as("the app ships in the jar").isNotNull();
      assertThat(jar.getEntry("web/embed.js")).isNotNull();
    }

    var script = server.call("GET", "/web/js/main.js", null, null);
    assertThat(script.status()).isEqualTo(200);
    assertThat(script.header("Content-Type")).startsWith("text/javascript");
    var revalidated =
        server.send(
            "GET",
            "/web/js/main.js",
            java.net.http.HttpRequest.BodyPublishers.noBody(),
            Map.of("If-None-Match", script.header("ETag")));
    assertThat(revalidated.status()).as("an unchanged file is not sent again").isEqualTo(304);
    var icon = server.call("GET", "/web/icons/medal.svg", null, null);
    assertThat(icon.header("Content-Type")).startsWith("image/svg+xml");
    assertThat(server.call("GET", "/web/../openapi.json", null, null).status()).isEqualTo(404);
    assertThat(server.call("GET", "/web/js/nothing-here.js", null, null).status()).isEqualTo(404);
    assertThat(server.call("GET", "/web/js/%2e%2e/app.css", null, null).status()).isEqualTo(404);

    // the server allows only the host page's origin for CORS, yet its own pages' calls (which
    // carry Origin) must work, and a foreign origin still gets no CORS grant
    var own =
        server.send(
            "POST",
            "/api/v1/auth/login",
            java.net.http.HttpRequest.BodyPublishers.ofString(
                "{\"username\":\"admin\",\"password\":\"" + TestServer.ADMIN_PASSWORD + "\"}"),
            Map.of("Origin", base, "Content-Type", "application/json"));
    assertThat(own.status()).isEqualTo(200);
    var foreign =
        server.send(
            "GET",
            "/api/v1/leaderboard",
            java.net.http.HttpRequest.BodyPublishers.noBody(),
            Map.of("Origin", "http://evil.example"));
    assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  @Order(2)
  void playerRegistersPlaysAndSeesXpAndRankChangeLive() {
    open("/#/");
    waitForBoardRows(2);
    checkPage("leaderboard-anonymous");
    // a marker that survives only as long as the page is never reloaded
    js("window.__sameDocument = true;");

    click(link("Register"));
    waitFor(() -> heading().equals("Register"));
    checkPage("register");
    type("Username", "carol");
    type("Email", "carol@example.test");
    type("Password", "violet-otter-canoe-1"); // the policy refuses one containing the username
    click(button("Register"));

    waitFor(() -> heading().equals("Challenges"));
    waitFor(() -> !driver.findElements(By.xpath("//button[normalize-space()='Start']")).isEmpty());
    assertThat(driver.findElements(By.xpath("//h2[normalize-space()='Unreleased draft']")))
        .as("a draft is not offered to players")
        .isEmpty();
    checkPage("challenges");

    var streams = challengeCard("Streams in depth");
    assertThat(streams.findElement(By.cssSelector(".description")).getText())
        .isEqualTo(MARKUP_DESCRIPTION);
    assertThat(streams.findElements(By.cssSelector(".description *"))).isEmpty();
    assertThat(js("return window.__injected === undefined;")).isEqualTo(true);

    new Select(field("Difficulty")).selectByValue("hard");
    waitFor(() -> challengeTitles().equals(List.of("Streams in depth")));
    new Select(field("Difficulty")).selectByValue("");
    type("Tag", "java");
    click(button("Filter"));
    waitFor(() -> challengeTitles().size() == 2);
    field("Tag").clear();
    type("Tag", "streams");
    click(button("Filter"));
    waitFor(() -> challengeTitles().equals(List.of("Streams in depth")));
    field("Tag").clear();
    click(button("Filter"));
    waitFor(() -> challengeTitles().size() == 2);

    // the board before playing: carol last with 0 XP, highlighted
    click(link("Leaderboard"));
    waitFor(() -> myRow().map(r -> r.path("xp").asText().equals("0")).orElse(false));
    long rankBefore = myRow().orElseThrow().path("rank").asLong();
    assertThat(rankBefore).isGreaterThan(1);

    click(link("Challenges"));
    var card = challengeCard("Java basics");
    var start = card.findElement(By.xpath(".//button[normalize-space()='Start']"));
    assertThat(start.getAccessibleName()).isEqualTo("Start");
    click(start);
    var score = waitFor(() -> field("Score"));
    score.sendKeys("85");
    click(
        challengeCard("Java basics")
            .findElement(By.xpath(".//button[normalize-space()='Submit']")));
    waitFor(() -> challengeCard("Java basics").getText().contains("Passed with 85: +85 XP."));
    checkPage("challenge-submitted");

    click(link("Leaderboard"));
    waitFor(
        () ->
            myRow()
                .map(r -> r.path("xp").asText().equals("85") && r.path("rank").asLong() == 1)
                .orElse(false));
    waitFor(() -> bodyText().contains("You are #1 with 85 XP (Level 1)."));
    checkPage("leaderboard-signed-in");

    // live: a rival overtakes while the page is left alone
    var bob = server.login("bob", TestServer.passwordOf("bob"));
    submit(bob.access(), 2, 100);
    waitFor(
        () ->
            myRow().map(r -> r.path("rank").asLong() == 2).orElse(false)
                && boardRows().get(0).path("name").asText().equals("bob"));
    assertThat(boardRows().get(0).path("xp").asText()).isEqualTo("250");

    click(link("My progress"));
    waitFor(() -> bodyText().contains("Level 1"));
    waitFor(() -> bodyText().contains("15 XP to Level 2"));
    assertThat(driver.findElement(By.cssSelector("[data-stat=xp]")).getText()).isEqualTo("85");
    assertThat(driver.findElement(By.cssSelector("[data-stat=rank]")).getText()).isEqualTo("#2");
    assertThat(driver.findElement(By.cssSelector(".history")).getText())
        .contains("Java basics")
        .containsIgnoringCase("passed");
    assertThat(
            driver.findElement(By.cssSelector("[role=progressbar]")).getAttribute("aria-valuenow"))
        .isEqualTo("85");
    waitFor(() -> !driver.findElements(By.cssSelector(".badge")).isEmpty());
    var earned = driver.findElement(By.cssSelector(".badge"));
    assertThat(earned.getText()).contains("First steps", "Earned");
    assertThat(earned.findElement(By.cssSelector("img.badge-icon")).getAttribute("src"))
        .startsWith(base + "/web/icons/");
    checkPage("progress");

    // the token pair is refreshed in place (the app does it before expiry) and the page goes on
    // polling with the new access token
    var oldToken = lastBearer();
    var refreshed =
        driver.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "import('/web/js/app.js').then(m => m.session.refresh()).then(done, e => done(String(e)));");
    assertThat(refreshed).isEqualTo(true);
    waitFor(() -> !oldToken.equals(lastBearer()));
    assertThat(server.get("/auth/me", lastBearer()).get("username").asText()).isEqualTo("carol");

    assertThat((Boolean) js("return window.__sameDocument === true;"))
        .as("everything happened without a page load")
        .isTrue();
    assertThat(((Number) js("return localStorage.length + sessionStorage.length;")).intValue())
        .as("tokens stay in memory")
        .isZero();

    var token = lastBearer();
    click(button("Sign out"));
    waitFor(
        () -> !driver.findElements(By.xpath("//header//a[normalize-space()='Sign in']")).isEmpty());
    assertThat(driver.findElements(By.xpath("//a[normalize-space()='My progress']"))).isEmpty();
    assertThat(server.get("/auth/me", token).status())
        .as("signing out revoked the token on the server")
        .isEqualTo(401);
    assertNoForeignRequests();
  }

  @Test
  @Order(3)
  void adminCreatesAChallengeAndABadgeAndSeesTheConditionError() {
    open("/#/signin");
    waitFor(() -> heading().equals("Sign in"));
    checkPage("sign-in");

    // the keyboard alone reaches every control, and the focused one shows a ring
    var reached = new ArrayList<String>();
    js("document.querySelector('.brand').focus();");
    for (int i = 0; i < 8; i++) {
      new Actions(driver).sendKeys(Keys.TAB).perform();
      var focused = driver.switchTo().activeElement();
      reached.add(focused.getAccessibleName());
      assertThat((String) js("return getComputedStyle(document.activeElement).outlineStyle;"))
          .as("focus ring on " + js("return document.activeElement.outerHTML.slice(0, 120);"))
          .isNotEqualTo("none");
    }
    assertThat(reached)
        .contains("Leaderboard", "Challenges", "Sign in", "Register", "Username", "Password");
    type("Username", TestServer.ADMIN_USERNAME);
    type("Password", "wrong password");
    click(button("Sign in"));
    waitFor(() -> driver.findElement(By.cssSelector(".form-error")).isDisplayed());

    field("Password").clear();
    type("Password", TestServer.ADMIN_PASSWORD);
    click(button("Sign in"));
    waitFor(() -> heading().equals("Leaderboard"));

    click(link("Admin"));
    waitFor(() -> heading().equals("Admin"));
    waitFor(() -> bodyText().contains("Unreleased draft"));
    checkPage("admin-challenges");

    type("Title", "Regex ranger");
    field("XP").clear();
    type("XP", "150");
    new Select(field("Difficulty")).selectByValue("hard");
    type("Tags", "regex, Text");
    click(button("Create challenge"));
    waitFor(() -> adminItem("Regex ranger").isPresent());
    assertThat(adminItem("Regex ranger").orElseThrow().getText()).contains("#regex", "#text");
    var created = server.get("/challenges?tag=regex", null).body().path("items").get(0);
    assertThat(created.path("title").asText()).isEqualTo("Regex ranger");
    assertThat(created.path("xp").asInt()).isEqualTo(150);

    click(
        adminItem("Regex ranger")
            .orElseThrow()
            .findElement(By.xpath(".//button[normalize-space()='Edit']")));
    waitFor(() -> field("Title").getAttribute("value").equals("Regex ranger"));
    field("Title").clear();
    type("Title", "Regex ranger II");
    click(button("Save changes"));
    waitFor(() -> adminItem("Regex ranger II").isPresent());
    assertThat(server.get("/challenges/" + created.path("id").asLong(), null).get("title").asText())
        .isEqualTo("Regex ranger II");
    var delete =
        adminItem("Regex ranger II")
            .orElseThrow()
            .findElement(By.xpath(".//button[normalize-space()='Delete']"));
    click(delete);
    waitFor(() -> delete.getText().equals("Confirm delete"));
    click(delete);
    waitFor(() -> adminItem("Regex ranger II").isEmpty());
    assertThat(server.get("/challenges/" + created.path("id").asLong(), null).status())
        .isEqualTo(404);

    // publish the draft, and a server-side validation error shows next to its field
    click(
        adminItem("Unreleased draft")
            .orElseThrow()
            .findElement(By.xpath(".//button[normalize-space()='Publish']")));
    waitFor(() -> adminItem("Unreleased draft").orElseThrow().getText().contains("Published"));
    field("Title").clear();
    type("Title", "No XP");
    field("XP").clear();
    type("XP", "-5");
    click(button("Create challenge"));
    waitFor(() -> errorFor("XP").contains("must be an integer"));

    // the quiz editor: the server's verdict on the questions shows next to Questions
    field("XP").clear();
    type("XP", "60");
    field("Title").clear();
    type("Title", "Admin quiz");
    new Select(field("Scoring")).selectByValue("quiz");
    type(
        "Questions",
        "[{\"id\": \"q1\", \"prompt\": \"Pick\", \"choices\": [\"a\", \"b\"], \"answer\": [5]}]");
    click(button("Create challenge"));
    waitFor(() -> errorFor("Questions").contains("answer[0]"));
    assertThat(errorFor("Questions")).contains("out of range");
    var questions = field("Questions");
    questions.clear();
    questions.sendKeys(
        "[{\"id\": \"q1\", \"prompt\": \"Pick\", \"choices\": [\"a\", \"b\"], \"answer\": [1]}]");
    click(button("Create challenge"));
    waitFor(() -> adminItem("Admin quiz").isPresent());
    var quiz = server.get("/challenges?limit=100", server.adminToken()).body().path("items");
    var made =
        java.util.stream.StreamSupport.stream(quiz.spliterator(), false)
            .filter(c -> c.path("title").asText().equals("Admin quiz"))
            .findFirst()
            .orElseThrow();
    assertThat(made.path("scoring").asText()).isEqualTo("quiz");
    assertThat(made.path("questions").get(0).path("answer").get(0).asInt()).isEqualTo(1);

    click(link("Badges"));
    waitFor(() -> bodyText().contains("New badge"));
    type("Name", "Regex fan");
    var condition = field("Condition");
    condition.clear();
    condition.sendKeys("{\"type\": \"xp\"}");
    click(button("Create badge"));
    waitFor(() -> errorFor("Condition").contains("threshold"));
    assertThat(condition.getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(condition.getAttribute("aria-describedby"))
        .contains(
            driver.findElement(By.xpath("//p[@data-error-for='condition']")).getAttribute("id"));
    checkPage("admin-badge-error");

    condition.clear();
    condition.sendKeys("{\"type\": \"tag_passed\", \"tag\": \"regex\", \"count\": 1}");
    click(button("Create badge"));
    waitFor(() -> adminItem("Regex fan").isPresent());
    assertThat(server.get("/badges", null).body().findValuesAsText("name")).contains("Regex fan");
    checkPage("admin-badges");

    click(button("Sign out"));
    waitFor(
        () -> !driver.findElements(By.xpath("//header//a[normalize-space()='Sign in']")).isEmpty());
    assertNoForeignRequests();
  }

  @Test
  @Order(4)
  void aQuizIsTakenAsAFormAndScoredByTheServer() {
    var quiz =
        server.post(
            "/challenges",
            Map.of(
                "title",
                "Quick quiz",
                "xp",
                100,
                "difficulty",
                "easy",
                "tags",
                List.of("quiz"),
                "published",
                true,
                "scoring",
                "quiz",
                "questions",
                List.of(
                    Map.of(
                        "id",
                        "q1",
                        "prompt",
                        "Two plus two?",
                        "choices",
                        List.of("3", "4"),
                        "answer",
                        List.of(1)),
                    Map.of(
                        "id",
                        "q2",
                        "prompt",
                        "Which run on the JVM?",
                        "choices",
                        List.of("Java", "Kotlin", "COBOL"),
                        "answer",
                        List.of(0, 1)))),
            server.adminToken());
    assertThat(quiz.status()).as(quiz.toString()).isEqualTo(201);
    server.registerAndLogin("quinn");
    open("/#/signin");
    waitFor(() -> heading().equals("Sign in"));
    type("Username", "quinn");
    type("Password", TestServer.passwordOf("quinn"));
    click(button("Sign in"));
    waitFor(() -> heading().equals("Leaderboard"));

    click(link("Challenges"));
    waitFor(() -> challengeTitles().contains("Quick quiz"));
    click(
        challengeCard("Quick quiz").findElement(By.xpath(".//button[normalize-space()='Start']")));
    waitFor(
        () ->
            challengeCard("Quick quiz").findElements(By.cssSelector("fieldset.question")).size()
                == 2);
    var card = challengeCard("Quick quiz");
    assertThat(card.getText()).contains("Two plus two?", "Which run on the JVM?", "Kotlin");
    check(card.findElement(By.xpath(".//label[normalize-space()='4']/preceding-sibling::input")));
    // half of the second answer is not the answer: that question scores nothing
    check(
        card.findElement(By.xpath(".//label[normalize-space()='Java']/preceding-sibling::input")));
    checkPage("quiz");
    click(card.findElement(By.xpath(".//button[normalize-space()='Submit']")));
    // one of two equal questions right: 50, below the pass mark of 60, still worth 50 XP
    waitFor(
        () ->
            challengeCard("Quick quiz")
                .getText()
                .contains("Not passed this time with 50: +50 XP."));
    assertThat(driver.getPageSource()).doesNotContain("\"answer\"");

    click(button("Sign out"));
    waitFor(
        () -> !driver.findElements(By.xpath("//header//a[normalize-space()='Sign in']")).isEmpty());
    assertNoForeignRequests();
  }

  @Test
  @Order(5)
  void embedsOnAnotherSiteWithOneScriptTag() {
    driver.get("http://127.0.0.1:" + hostPage.getAddress().getPort() + "/");
    waitFor(() -> embedRows().size() >= 2);
    var rows = embedRows();
    assertThat(rows.get(0)).startsWith("1 bob");
    saveScreenshot("embed");
  }

  @Test
  @Order(6)
  void adminHandsOutAGraderSecretOnceRevokesItAndFollowsAWebhooksDeliveries() throws Exception {
    // the embed test before this one loads a foreign host page on purpose: judge only from here
    drainRequests();
    checked = seen.size();
    signInAsAdmin();
    click(link("Admin"));
    waitFor(() -> heading().equals("Admin"));
    click(link("API clients"));
    waitFor(() -> bodyText().contains("New API client"));
    click(button("Create API client"));
    waitFor(() -> errorFor("Name").contains("is required"));
    type("Name", "CI grader");
    click(button("Create API client"));
    var secret =
        waitFor(() -> driver.findElement(By.cssSelector(".secret-once [data-secret]"))).getText();
    assertThat(secret).startsWith("sq_");
    checkPage("admin-client-secret");
    // the secret shown is the one that works: a grader route answers its own validation error
    assertThat(server.post("/grader/results", Map.of(), secret).status()).isEqualTo(400);
    click(button("I have stored it"));
    waitFor(() -> driver.findElements(By.cssSelector(".secret-once")).isEmpty());
    var client = waitFor(() -> adminItem("CI grader").orElse(null));
    assertThat(client.getText()).contains("grade", "Active");
    assertThat(bodyText()).doesNotContain(secret);
    var revoke = client.findElement(By.xpath(".//button[normalize-space()='Revoke']"));
    click(revoke);
    waitFor(() -> revoke.getText().equals("Confirm revoke"));
    click(revoke);
    waitFor(() -> adminItem("CI grader").orElseThrow().getText().contains("Revoked"));
    assertThat(server.post("/grader/results", Map.of(), secret).status()).isEqualTo(401);

    var received = new LinkedBlockingQueue<String>();
    var receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          received.add(new String(exchange.getRequestBody().readAllBytes(), UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    try {
      click(link("Webhooks"));
      waitFor(() -> bodyText().contains("New webhook"));
      type("URL", "ftp://127.0.0.1/hook");
      click(button("Create webhook"));
      waitFor(() -> !errorFor("URL").isEmpty());
      var url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
      field("URL").clear();
      type("URL", url);
      for (var type : List.of("level.reached", "badge.awarded")) {
        check(
            driver.findElement(By.cssSelector("input[name=events][value='" + type + "']")), false);
      }
      click(button("Create webhook"));
      var signing =
          waitFor(() -> driver.findElement(By.cssSelector(".secret-once [data-secret]"))).getText();
      assertThat(signing).isNotBlank();
      click(button("I have stored it"));
      var hooks = server.get("/admin/webhooks", server.adminToken()).body();
      var hook = hooks.isArray() ? hooks.get(0) : hooks.path("items").get(0);
      assertThat(hook.path("url").asText()).isEqualTo(url);
      assertThat(hook.path("events").toString()).isEqualTo("[\"attempt.processed\"]");
      assertThat(hook.has("secret")).isFalse();

      var dana = server.registerAndLogin("dana");
      submit(dana.access(), 1, 90);
      var delivered = received.poll(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
      assertThat(delivered).isNotNull().contains("attempt.processed");

      var item = waitFor(() -> adminItem(url).orElse(null));
      click(item.findElement(By.xpath(".//button[normalize-space()='Deliveries']")));
      waitFor(
          () -> driver.findElement(By.cssSelector(".deliveries")).getText().contains("Succeeded"));
      checkPage("admin-webhook-deliveries");
      click(
          driver.findElement(
              By.xpath(
                  "//section[contains(@class,'deliveries')]//button[normalize-space()='Re-send']")));
      var again = received.poll(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
      assertThat(again).as("the re-sent event").isEqualTo(delivered);

      click(
          adminItem(url)
              .orElseThrow()
              .findElement(By.xpath(".//button[normalize-space()='Disable']")));
      waitFor(() -> adminItem(url).orElseThrow().getText().contains("Disabled"));
      var after = server.get("/admin/webhooks/" + hook.path("id").asLong(), server.adminToken());
      assertThat(after.get("enabled").asBoolean()).isFalse();
    } finally {
      receiver.stop(0);
    }
    click(button("Sign out"));
    assertNoForeignRequests();
  }

  @Test
  @Order(7)
  void everyPagePassesAxeAndFitsAPhone() {
    assertThat(axeFailures).as("serious or critical axe-core violations").isEmpty();
    assertThat(phoneFailures).as("pages wider than a 390 px phone").isEmpty();
  }

  // ---- page checks ----

  /**
   * Screenshots the page on a desktop and on a 390 px phone, scans it with axe-core and records
   * horizontal scrolling; the findings are asserted together in {@link
   * #everyPagePassesAxeAndFitsAPhone}, so one journey's problem does not hide another's.
   */
  private static void checkPage(String name) {
    sleepQuietly(400); // let the first data arrive and transitions settle before judging
    saveScreenshot(name + "-desktop");
    if (!(Boolean) js("return typeof window.axe === 'object';")) {
      js(axeSource);
    }
    var result =
        (String)
            driver.executeAsyncScript(
                """
                const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ['violations'] })
                  .then(r => done(JSON.stringify({
                    rules: r.passes.length + r.violations.length + r.incomplete.length,
                    violations: r.violations
                      .filter(v => v.impact === 'serious' || v.impact === 'critical')
                      .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
                        + v.nodes.map(n => n.target.join(' ')).join(', '))
                  })))
                  .catch(e => done(JSON.stringify({ rules: 0, violations: ['axe failed: ' + e] })));
                """);
    try {
      var report = JSON.readTree(result);
      // a scan that checked nothing would pass vacuously
      if (report.path("rules").asInt() < 20) {
        axeFailures.add(name + ": axe-core checked only " + report.path("rules") + " rules");
      }
      for (var v : report.path("violations")) {
        axeFailures.add(name + ": " + v.asText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
    try {
      sleepQuietly(200);
      var widths =
          (String)
              js(
                  "return document.documentElement.scrollWidth + ' ' + window.innerWidth"
                      + " + ' ' + document.body.scrollWidth;");
      var parts = widths.split(" ");
      if (Integer.parseInt(parts[0]) > Integer.parseInt(parts[1])
          || Integer.parseInt(parts[2]) > Integer.parseInt(parts[1])) {
        phoneFailures.add(name + ": scrollWidth/innerWidth/body " + widths);
      }
      saveScreenshot(name + "-phone");
    } finally {
      driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }
  }

  private static void saveScreenshot(String name) {
    try {
      Files.write(SHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A request the browser sent: its URL and Authorization header (null when none). */
  private record Request(String url, String authorization) {}

  private static final List<Request> seen = new ArrayList<>();
  private static int checked;

  /**
   * Reads Chrome's performance log (it sees page loads, scripts, styles, images, fetches and
   * favicons alike) into {@link #seen}.
   */
  private static void drainRequests() {
    for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
      try {
        var message = JSON.readTree(entry.getMessage()).path("message");
        if (message.path("method").asText().equals("Network.requestWillBeSent")) {
          var request = message.path("params").path("request");
          var auth = request.path("headers").path("Authorization");
          seen.add(
              new Request(
                  request.path("url").asText(), auth.isMissingNode() ? null : auth.asText()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The access token of the app's latest authenticated API call. */
  private static String lastBearer() {
    drainRequests();
    for (int i = seen.size() - 1; i >= 0; i--) {
      var auth = seen.get(i).authorization();
      if (auth != null && auth.startsWith("Bearer ")) {
        return auth.substring("Bearer ".length());
      }
    }
    throw new AssertionError("no authenticated request seen");
  }

  private static void assertNoForeignRequests() {
    drainRequests();
    var urls = seen.subList(checked, seen.size()).stream().map(Request::url).toList();
    checked = seen.size();
    assertThat(urls).as("the browser made requests").isNotEmpty();
    // chrome:// and data: are the browser's own; anything on the network must be this server
    assertThat(urls)
        .as("requests leaving " + base)
        .filteredOn(url -> url.matches("(?i)(https?|wss?|ftp):.*"))
        .allSatisfy(url -> assertThat(url).startsWith(base + "/"));
    var console = driver.manage().logs().get(LogType.BROWSER).getAll();
    assertThat(console)
        .as("script errors, and the app's own Content-Security-Policy violations")
        .noneMatch(
            e ->
                e.getMessage().contains("Uncaught")
                    || (e.getMessage().contains("Content Security Policy")
                        && e.getMessage().contains(base)));
    // axe-core, injected by the test, sets inline styles that the policy rightly blocks; the app's
    // own violations carry its script as the source
    assertThat((String) js("return JSON.stringify(window.__cspViolations || []);"))
        .as("Content-Security-Policy violations caused by the app")
        .doesNotContain(base);
  }

  // ---- reading the page ----

  private static List<JsonNode> boardRows() {
    var text =
        (String)
            js(
                """
                const board = document.querySelector('skillquest-leaderboard');
                if (!board) return '[]';
                return JSON.stringify([...board.shadowRoot.querySelectorAll('tbody tr')].map(tr => ({
                  rank: Number(tr.cells[0].textContent.trim()),
                  name: tr.querySelector('.username').textContent,
                  xp: tr.cells[3].textContent.trim(),
                  me: tr.classList.contains('me')
                })));
                """);
    try {
      var rows = new ArrayList<JsonNode>();
      JSON.readTree(text).forEach(rows::add);
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static java.util.Optional<JsonNode> myRow() {
    return boardRows().stream().filter(r -> r.path("me").asBoolean()).findFirst();
  }

  private static void waitForBoardRows(int atLeast) {
    waitFor(() -> boardRows().size() >= atLeast);
  }

  private static List<String> embedRows() {
    @SuppressWarnings("unchecked")
    var rows =
        (List<String>)
            js(
                """
                const board = document.querySelector('skillquest-leaderboard');
                if (!board || !board.shadowRoot) return [];
                return [...board.shadowRoot.querySelectorAll('tbody tr')]
                  .map(tr => tr.textContent.replace(/\\s+/g, ' ').trim());
                """);
    return rows;
  }

  private static List<String> challengeTitles() {
    return driver.findElements(By.cssSelector("li.challenge h2")).stream()
        .map(WebElement::getText)
        .toList();
  }

  private static WebElement challengeCard(String title) {
    return waitFor(
        () ->
            driver.findElement(
                By.xpath(
                    "//li[contains(@class,'challenge')][.//h2[normalize-space()='"
                        + title
                        + "']]")));
  }

  private static java.util.Optional<WebElement> adminItem(String title) {
    return driver
        .findElements(
            By.xpath(
                "//ul[@class='admin-list']/li[.//p[@class='name' and normalize-space()='"
                    + title
                    + "']]"))
        .stream()
        .findFirst();
  }

  private static void signInAsAdmin() {
    open("/#/signin");
    waitFor(() -> heading().equals("Sign in"));
    type("Username", TestServer.ADMIN_USERNAME);
    type("Password", TestServer.ADMIN_PASSWORD);
    click(button("Sign in"));
    waitFor(() -> heading().equals("Leaderboard"));
  }

  private static String heading() {
    var h1 = driver.findElements(By.tagName("h1"));
    return h1.isEmpty() ? "" : h1.get(0).getText().trim();
  }

  private static String bodyText() {
    return driver.findElement(By.tagName("body")).getText();
  }

  /** The form control whose label reads {@code label}. */
  private static WebElement field(String label) {
    var labelElement = driver.findElement(By.xpath("//label[normalize-space()='" + label + "']"));
    var control = driver.findElement(By.id(labelElement.getAttribute("for")));
    assertThat(control.getAccessibleName()).isEqualTo(label);
    return control;
  }

  private static String errorFor(String label) {
    var control = field(label);
    var text = new StringBuilder();
    for (var id : control.getAttribute("aria-describedby").split(" ")) {
      var element = driver.findElement(By.id(id));
      if (element.getAttribute("class").contains("error")) {
        text.append(element.getText());
      }
    }
    return text.toString();
  }

  private static void type(String label, String text) {
    field(label).sendKeys(text);
  }

  private static WebElement button(String name) {
    return waitFor(
        () -> driver.findElement(By.xpath("//button[normalize-space()='" + name + "']")));
  }

  private static WebElement link(String name) {
    return waitFor(() -> driver.findElement(By.xpath("//a[normalize-space()='" + name + "']")));
  }

  /** Clicks with the keyboard: every control the journeys use must be reachable and operable so. */
  private static void click(WebElement element) {
    js("arguments[0].focus();", element);
    assertThat(driver.switchTo().activeElement()).as("focusable").isEqualTo(element);
    element.sendKeys(Keys.ENTER);
  }

  /** Ticks a checkbox with the keyboard (space), as a keyboard user would. */
  private static void check(WebElement box) {
    check(box, true);
  }

  /** Sets a checkbox to {@code wanted} with the keyboard (space). */
  private static void check(WebElement box, boolean wanted) {
    js("arguments[0].focus();", box);
    assertThat(driver.switchTo().activeElement()).as("focusable").isEqualTo(box);
    if (box.isSelected() != wanted) {
      box.sendKeys(Keys.SPACE);
    }
    assertThat(box.isSelected()).isEqualTo(wanted);
  }

  private static void open(String path) {
    driver.get("about:blank"); // a fresh document, even when only the fragment would change
    driver.get(base + path);
    js(
        """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
          { directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile }));
        """);
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  private static <T> T waitFor(java.util.function.Supplier<T> condition) {
    return new WebDriverWait(driver, WAIT)
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(
            d -> {
              var value = condition.get();
              return Boolean.FALSE.equals(value) ? null : value;
            });
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- fixtures ----

  private static void createChallenge(
      String admin, String title, int xp, String difficulty, List<String> tags, boolean published) {
    var r =
        server.post(
            "/challenges",
            Map.of(
                "title",
                title,
                "description",
                "Show what you know about " + title.toLowerCase() + ".",
                "xp",
                xp,
                "difficulty",
                difficulty,
                "tags",
                tags,
                "published",
                published),
            admin);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  private static void submit(String token, long challengeId, int score) {
    var attempt = server.post("/attempts", Map.of("challenge_id", challengeId), token);
    assertThat(attempt.status()).as(attempt.toString()).isEqualTo(201);
    var submitted =
        server.post(
            "/attempts/" + attempt.get("id").asLong() + "/submit", Map.of("score", score), token);
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
  }

  private static void awaitXp(String username, long xp) {
    TestServer.await(
        username + " at " + xp + " XP",
        WAIT,
        () -> {
          for (var row : server.get("/leaderboard?limit=100", null).body()) {
            if (row.path("username").asText().equals(username)) {
              return row.path("total_xp").asLong() == xp;
            }
          }
          return false;
        });
  }

  /** A page on another origin that embeds the leaderboard exactly as the README shows. */
  private static HttpServer startHostPage() throws IOException {
    var http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/",
        exchange -> {
          var api = base;
          var page =
              """
              <!doctype html>
              <html lang="en"><head><meta charset="utf-8"><title>Our team</title>
              <script type="module" src="%s/web/embed.js"></script></head>
              <body><h1>Our team this week</h1>
              <skillquest-leaderboard api="%s" limit="5"></skillquest-leaderboard>
              </body></html>
              """
                  .formatted(api, api);
          var bytes = page.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, bytes.length);
          try (var out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    http.start();
    return http;
  }

  private static String classpathText(String name) {
    try (InputStream in = WebAppIT.class.getClassLoader().getResourceAsStream(name)) {
      assertThat(in).as(name + " on the test classpath").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
