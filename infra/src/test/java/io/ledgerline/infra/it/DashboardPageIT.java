package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.command;
import static io.ledgerline.infra.it.Ledgerline.config;
import static io.ledgerline.infra.it.Ledgerline.openAccount;
import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.infra.localstack.DevTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard pages in a real browser, Debian's headless Chromium, on the real stack: a deposit
 * made through the command API shows in the totals, the money moved and the live feed without a
 * reload; its account page lists it and verifies the account's hash chain; a token the service
 * refuses brings back the sign-in form with its reason; a person signs in at the stack's OpenID
 * Connect provider (authorization code with PKCE), stays signed in across a token refresh, and
 * signs out there. The browser and its driver are Debian's ({@code infra/bin/install-browser}
 * installs them when missing); Selenium Manager is never asked for one. Screenshots go to {@code
 * infra/target/dashboard/}; with {@code -Ddashboard.screenshot=true} the dashboard's also to {@code
 * docs/dashboard.png}.
 */
@SystemTest
@Order(12)
class DashboardPageIT {

  private static final Logger log = LoggerFactory.getLogger(DashboardPageIT.class);

  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int WIDTH = 1440;
  // A currency no other system test uses, so the totals of this test's accounts are exact.
  private static final String CURRENCY = "NOK";

  private static Path repo;
  private WebDriver browser;
  private WebDriverWait wait;

  @BeforeAll
  static void installBrowser() throws Exception {
    repo = Path.of(System.getProperty("ledgerline.repo", "..")).toAbsolutePath().normalize();
    Process install =
        new ProcessBuilder(repo.resolve("infra/bin/install-browser").toString())
            .inheritIO()
            .start();
    if (!install.waitFor(15, TimeUnit.MINUTES)) {
      install.destroyForcibly();
    }
    assertThat(install.exitValue()).as("infra/bin/install-browser's exit code").isZero();
  }

  @BeforeEach
  void startBrowser(@TempDir Path profile) {
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox", // root on the test machine
        "--disable-gpu",
        "--disable-dev-shm-usage",
        // No network but loopback here: Chromium's own calls home would only be refused.
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--lang=en-US",
        "--window-size=" + WIDTH + ",1100",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    // The driver's path is given, so Selenium Manager is skipped (it would download one).
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, WAIT);
  }

  @AfterEach
  void stopBrowser(TestInfo test) {
    if (browser == null) {
      return;
    }
    try {
      // The last page of each test, to look at when it failed; and what its console said.
      screenshot(test.getTestMethod().orElseThrow().getName() + "-last");
      browserLog().forEach(entry -> log.info("browser: {}", entry));
    } catch (WebDriverException e) {
      log.warn("no screenshot of the last page: {}", e.getMessage());
    } finally {
      browser.quit();
    }
  }

  @Test
  void theStaticPagesAreOpenWithAStrictPolicyWhileTheApiStillNeedsAToken() {
    for (String path :
        List.of(
            "/",
            "/index.html",
            "/account.html",
            "/assets/dashboard.js",
            "/webjars/echarts/dist/echarts.min.js")) {
      Ledgerline.Response page = anonymous(path);
      assertThat(page.status()).as(path).isEqualTo(200);
      assertThat(page.header("Content-Security-Policy"))
          .as(path)
          .contains("script-src 'self'")
          .doesNotContain("unsafe-inline")
          .doesNotContain("unsafe-eval")
          .contains("frame-ancestors 'none'");
    }
    assertThat(anonymous("/").body()).contains("id=\"sign-in-form\"").doesNotContain("<script>");
    for (String path :
        List.of("/api/v1/dashboard/totals", "/api/v1/feed", "/api/v1/projections", "/webjars/x")) {
      assertThat(anonymous(path).status()).as(path).isEqualTo(401);
    }
  }

  @Test
  void aDepositShowsOnTheDashboardWithoutAReloadAndItsAccountPageVerifiesIt() {
    String account = openAccount(CURRENCY, "dashboard-it");

    browser.get(config().queryUrl() + "/");
    signIn(token(List.of("operator", "auditor", "admin"), Duration.ofHours(1)));
    wait.until(ExpectedConditions.attributeToBe(By.id("feed-state"), "data-state", "live"));
    String openRow = "#totals tr[data-currency='" + CURRENCY + "'][data-status='OPEN']";
    wait.until(
        ExpectedConditions.attributeToBe(
            By.cssSelector(openRow + " .balance"), "data-balance", "0"));
    new Select(browser.findElement(By.id("currency"))).selectByValue(CURRENCY);
    // Survives only as long as the page is not loaded again.
    script("window.notReloaded = true");

    var deposit = command(account, "deposits", "{\"amount\":12345,\"reference\":\"dashboard\"}");
    assertThat(deposit.status()).as(deposit.body()).isEqualTo(200);

    String movement =
        "#feed li[data-account-id='" + account + "'][data-type='DEPOSIT'][data-amount='12345']";
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(movement)));
    wait.until(
        ExpectedConditions.attributeToBe(
            By.cssSelector(openRow + " .balance"), "data-balance", "12345"));
    wait.until(ExpectedConditions.attributeToBe(By.id("volume-chart"), "data-total", "12345"));
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#top tr[data-account-id='" + account + "']")));
    // accounts, transactions, transfers and topups
    wait.until(
        ExpectedConditions.numberOfElementsToBe(
            By.cssSelector("#projections tr[data-projection]"), 4));
    assertThat(browser.findElements(By.cssSelector("#volume-chart canvas"))).isNotEmpty();
    assertThat(browser.findElements(By.cssSelector("#totals-chart canvas"))).isNotEmpty();
    assertThat(browser.findElements(By.cssSelector("#projections td[data-dead-letters]")))
        .allSatisfy(cell -> assertThat(cell.getText()).matches("\\d+\\+?"));
    assertThat(script("return window.notReloaded === true")).isEqualTo(true);
    Path shot = screenshot("dashboard");
    if (Boolean.getBoolean("dashboard.screenshot")) {
      copy(shot, repo.resolve("docs/dashboard.png"));
    }

    // A card top-up of the account, awaiting payment: its page lists it.
    var topUp =
        Ledgerline.post(
            config().commandUrl() + "/api/v1/topups",
            "{\"accountId\":\"" + account + "\",\"amount\":500}",
            Map.of(
                "Authorization", "Bearer " + Ledgerline.token("operator", "dashboard-it"),
                "Idempotency-Key", "dashboard-top-up-" + account));
    assertThat(topUp.status()).as(topUp.body()).isEqualTo(201);
    String topUpId = topUp.json().get("topUpId").asText();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> Ledgerline.get(config().queryUrl() + "/api/v1/topups/" + topUpId),
            read ->
                read.status() == 200
                    && read.json().get("status").asText().equals("AWAITING_PAYMENT"));

    browser.findElement(By.cssSelector(movement + " a")).click();

    wait.until(ExpectedConditions.urlContains("/account.html?id=" + account));
    wait.until(ExpectedConditions.attributeToBe(By.id("balance"), "data-balance", "12345"));
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#transactions tr[data-type='DEPOSIT'][data-amount='12345']")));
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector("#audit tr[data-sequence='1'][data-type='FundsDeposited']")));
    wait.until(ExpectedConditions.attributeToBe(By.id("verify"), "data-valid", "true"));
    wait.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector(
                "#topups tr[data-top-up-id='" + topUpId + "'][data-status='AWAITING_PAYMENT']")));
    assertThat(browser.findElement(By.id("verify")).getText())
        .contains("Hash chain intact: 2 events checked");
    screenshot("account");

    assertThat(browserLog())
        .as("the pages' content security policy let everything they use load")
        .noneMatch(entry -> entry.getMessage().contains("Content Security Policy"));
  }

  @Test
  void aTokenTheServiceRefusesBringsBackTheSignInFormWithItsReason() {
    String account = openAccount(CURRENCY, "dashboard-it-expired");
    browser.get(config().queryUrl() + "/account.html?id=" + account);

    signIn("not a token");
    assertThat(signInMessage().getText()).contains("That is not a token");

    // An operator may see the account, not its audit history: the page says so.
    signIn(token(List.of("operator"), Duration.ofHours(1)));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("audit-error"), "auditor role"));
    browser.findElement(By.id("sign-out")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("sign-in-message"), "You signed out"));

    signIn(token(List.of("operator"), Duration.ofHours(-1)));

    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-message"), "expired"));
    assertThat(signInMessage().getText()).contains("Your token expired at").contains("sign in");
    assertThat(browser.findElement(By.id("app")).isDisplayed()).isFalse();
    assertThat(script("return sessionStorage.getItem('ledgerline.token')")).isNull();
    // The page loaded again: nothing the ended session showed is left in it, hidden or not.
    assertThat(browser.findElements(By.cssSelector("#account dd, #audit tbody tr"))).isEmpty();
    assertThat(browser.getPageSource()).doesNotContain("a valid bearer token is required");
    screenshot("sign-in");
  }

  @Test
  void anOperatorSignsInAtTheProviderWithPkceStaysSignedInAcrossARefreshAndSignsOut() {
    // A row the totals can only show to a signed-in operator.
    openAccount(CURRENCY, "dashboard-it-provider");
    String dashboard = config().queryUrl() + "/";
    String provider = config().identityUrl();
    String openRow = "#totals tr[data-currency='" + CURRENCY + "'][data-status='OPEN']";
    browser.get(dashboard);

    WebElement signIn =
        wait.until(ExpectedConditions.elementToBeClickable(By.id("provider-sign-in-button")));
    assertThat(browser.findElement(By.id("provider-name")).getText())
        .isEqualTo(URI.create(provider).getAuthority());
    signIn.click();

    // The provider's sign-in form (Spring Security's), then back to the dashboard with a code.
    wait.until(driver -> driver.getCurrentUrl().startsWith(provider + "/login"));
    browser.findElement(By.id("username")).sendKeys("olivia");
    browser.findElement(By.id("password")).sendKeys("olivia-local");
    browser.findElement(By.cssSelector("button[type='submit']")).click();

    wait.until(ExpectedConditions.attributeToBe(By.id("who"), "data-signed-in-with", "provider"));
    WebElement who = browser.findElement(By.id("who"));
    assertThat(who.getDomAttribute("data-subject")).isEqualTo("olivia");
    assertThat(who.getDomAttribute("data-roles")).isEqualTo("operator");
    assertThat(who.getText()).startsWith("olivia (operator)");
    // Figures and the feed only a token with the operator role opens.
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(openRow)));
    wait.until(ExpectedConditions.attributeToBe(By.id("feed-state"), "data-state", "live"));
    assertThat(browser.getCurrentUrl())
        .as("no code or state left in the address")
        .isEqualTo(dashboard);
    assertThat(script("return window.localStorage.length")).isEqualTo(0L);
    assertThat(script("return sessionStorage.getItem('ledgerline.oidc.pending')")).isNull();
    String accessToken = stored("accessToken");
    String refreshToken = stored("refreshToken");
    assertThat(script("return sessionStorage.getItem('ledgerline.token')"))
        .as("the API is called with the provider's access token, as with a pasted one")
        .isEqualTo(accessToken);
    assertThat(refreshToken).isNotBlank();
    screenshot("provider-signed-in");

    // The access token is due for a refresh (as it is a minute before it expires): the page
    // refreshes it and keeps the refresh token the provider rotated in.
    script(
        "const t = JSON.parse(sessionStorage.getItem('ledgerline.oidc'));"
            + " t.refreshAt = 0; sessionStorage.setItem('ledgerline.oidc', JSON.stringify(t));");
    browser.navigate().refresh();
    wait.until(driver -> !refreshToken.equals(stored("refreshToken")));
    assertThat(stored("accessToken")).isNotEqualTo(accessToken);
    wait.until(ExpectedConditions.attributeToBe(By.id("who"), "data-subject", "olivia"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(openRow)));
    assertThat(script("return sessionStorage.getItem('ledgerline.token')"))
        .isEqualTo(stored("accessToken"));
    assertThat(refresh(refreshToken).status())
        .as("the refresh token the page used is spent")
        .isEqualTo(400);
    String lastRefreshToken = stored("refreshToken");

    browser.findElement(By.id("sign-out")).click();

    // Through the provider's logout and back: signed out here and there.
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("sign-in-message"), "You signed out"));
    assertThat(browser.getCurrentUrl()).isEqualTo(dashboard);
    assertThat(browser.findElement(By.id("app")).isDisplayed()).isFalse();
    assertThat(script("return sessionStorage.getItem('ledgerline.oidc')")).isNull();
    assertThat(script("return sessionStorage.getItem('ledgerline.token')")).isNull();
    assertThat(refresh(lastRefreshToken).status())
        .as("the page revoked its refresh token")
        .isEqualTo(400);
    screenshot("provider-signed-out");
    wait.until(ExpectedConditions.elementToBeClickable(By.id("provider-sign-in-button"))).click();
    wait.until(driver -> driver.getCurrentUrl().startsWith(provider + "/login"));
    assertThat(browser.findElement(By.id("password")).isDisplayed())
        .as("the provider's session ended: signing in again asks for the password")
        .isTrue();
    assertThat(browserLog())
        .as("the pages' content security policy let them call the provider")
        .noneMatch(entry -> entry.getMessage().contains("Content Security Policy"));
  }

  /** A value the page keeps of its sign-in at the provider, or null. */
  private String stored(String name) {
    return (String)
        script(
            "const t = JSON.parse(sessionStorage.getItem('ledgerline.oidc'));"
                + " return t ? t[arguments[0]] : null;",
            name);
  }

  /** A refresh-token grant of the dashboard's client, as the page makes it. */
  private static Ledgerline.Response refresh(String refreshToken) {
    return Ledgerline.send(
        HttpRequest.newBuilder(URI.create(config().identityUrl() + "/oauth2/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .timeout(Duration.ofSeconds(30))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "grant_type=refresh_token&client_id=ledgerline-dashboard&refresh_token="
                        + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8)))
            .build());
  }

  private void signIn(String token) {
    WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    field.clear();
    field.sendKeys(token);
    browser.findElement(By.id("sign-in-button")).click();
  }

  private WebElement signInMessage() {
    return browser.findElement(By.id("sign-in-message"));
  }

  private Object script(String code, Object... arguments) {
    return ((JavascriptExecutor) browser).executeScript(code, arguments);
  }

  private List<LogEntry> browserLog() {
    return browser.manage().logs().get(LogType.BROWSER).getAll();
  }

  /** The whole page: the window grows to its height first. */
  private Path screenshot(String name) {
    long height =
        (Long)
            script(
                "return document.documentElement.scrollHeight"
                    + " + window.outerHeight - window.innerHeight");
    browser.manage().window().setSize(new Dimension(WIDTH, (int) Math.max(height, 600)));
    Path file = repo.resolve("infra/target/dashboard/" + name + ".png");
    copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), file);
    return file;
  }

  private static void copy(Path from, Path to) {
    try {
      Files.createDirectories(to.getParent());
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String token(List<String> roles, Duration lifetime) {
    try {
      return new DevTokens(config()).issue("dashboard-it", roles, lifetime);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Ledgerline.Response anonymous(String path) {
    return Ledgerline.send(
        HttpRequest.newBuilder(URI.create(config().queryUrl() + path))
            .header("X-Test-Anonymous", "true")
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build());
  }
}
