package io.skillquest.server.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.skillquest.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Swagger UI at /docs in a real browser (Debian's chromium and chromedriver; nothing downloaded):
 * "Authorize" with the OAuth2 password flow as the dialog sends it by default, then "Try it out" on
 * a protected operation. The screenshot stays in target/screenshots.
 */
class SwaggerUiIT {
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @RegisterExtension
  static final TestServer server = TestServer.builder().withoutWorker().extension();

  static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    server.registerAndLogin("swagger_user");
    var options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1600",
        "--user-data-dir=" + Files.createTempDirectory("swagger-ui-chromium"));
    var service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
            .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
  }

  private static WebElement visible(By by) {
    return new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  private static void click(By by) {
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(ExpectedConditions.elementToBeClickable(by))
        .click();
  }

  private static void screenshot(String name) throws java.io.IOException {
    Files.createDirectories(SCREENSHOTS);
    var shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void authorizeWithThePasswordFlowThenTryItOutOnAProtectedOperation() throws Exception {
    browser.get(server.baseUrl() + "/docs");
    click(By.cssSelector("button.authorize"));

    // the OAuth2 password flow's form, left as the dialog fills it (client credentials empty, sent
    // as `Authorization: Basic Og==`)
    visible(By.id("oauth_username")).sendKeys("swagger_user");
    browser.findElement(By.id("oauth_password")).sendKeys(TestServer.passwordOf("swagger_user"));
    var oauthForm =
        By.xpath("//input[@id='oauth_username']/ancestor::div[contains(@class,'auth-container')]");
    browser.findElement(oauthForm).findElement(By.cssSelector("button.authorize")).click();
    visible(By.xpath("//button[contains(@class,'authorize') and normalize-space()='Logout']"));
    click(By.cssSelector("button.btn-done"));

    var operation = By.id("operations-auth-getCurrentUser");
    click(By.cssSelector("#operations-auth-getCurrentUser .opblock-summary-control"));
    click(By.cssSelector("#operations-auth-getCurrentUser button.try-out__btn"));
    click(By.cssSelector("#operations-auth-getCurrentUser button.execute"));

    var status =
        visible(
            By.cssSelector(
                "#operations-auth-getCurrentUser .live-responses-table tbody .response-col_status"));
    var body =
        visible(
            By.cssSelector(
                "#operations-auth-getCurrentUser .live-responses-table tbody .response-col_description"));
    try {
      new WebDriverWait(browser, Duration.ofSeconds(10))
          .until(d -> body.getText().contains("swagger_user"));
    } finally {
      screenshot("swagger-ui-try-it-out.png");
    }
    assertThat(status.getText()).isEqualTo("200");
    assertThat(body.getText()).contains("\"username\": \"swagger_user\"");
    assertThat(browser.findElement(operation).getText()).contains("Authorization: Bearer ");
  }
}
