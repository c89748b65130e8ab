package dev.sluice.broker.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless system Chromium (Debian's {@code chromium} and {@code chromium-driver}; never a downloaded browser)
 * driven by Selenium against one server's console at {@code http://127.0.0.1:<port>/console/}. Opening fails, not
 * skips, when the browser is missing, so CI cannot pass without the browser tests. Waits are bounded
 * ({@link #WAIT}); {@link #screenshot} saves {@code docs/console/<name>.png} when the build runs with
 * {@code -Dsluice.console.screenshots=true}. Not thread-safe: one test thread drives one browser.
 */
public final class ConsoleBrowser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** The longest any single wait for the page lasts (a loaded 2-core machine renders slowly). */
    public static final Duration WAIT = Duration.ofSeconds(15);
    private static final boolean SCREENSHOTS = Boolean.getBoolean("sluice.console.screenshots");

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private int port;

    private ConsoleBrowser(ChromeDriverService service, ChromeDriver driver, int port) {
        this.service = service;
        this.driver = driver;
        this.port = port;
    }

    /** Starts the browser for the console of the server on {@code port}; throws when Chromium is not installed. */
    public static ConsoleBrowser start(int port) throws IOException {
        for (Path needed : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(needed)) {
                throw new IllegalStateException(needed + " is missing: install the Debian packages chromium and "
                        + "chromium-driver (.ci/run does) to run the console's browser tests");
            }
        }
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--no-first-run", "--disable-extensions", "--disable-background-networking");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        service.start();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
            return new ConsoleBrowser(service, driver, port);
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** From now on, {@link #open} opens the console of the server on {@code port} (another node of a cluster). */
    public void use(int port) {
        this.port = port;
    }

    /** The console's address on this server. */
    public String consoleUrl() {
        return "http://127.0.0.1:" + port + "/console/";
    }

    /** Opens {@code /console/#/<route>} afresh (a full load: the shell starts again). */
    public void open(String route) {
        // A URL differing only in its hash would not load the page again.
        driver.get("about:blank");
        driver.get(consoleUrl() + "#/" + route);
        awaitPresent(By.cssSelector("section.page, form.signin"));
    }

    /** Moves to another route within the loaded console, as a click on a link would. */
    public void go(String route) {
        script("location.hash = arguments[0]", "#/" + route);
    }

    /** Waits until an element is visible and answers it. */
    public WebElement await(By locator) {
        return waiting().until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    /** Waits until an element is in the page (visible or not) and answers it. */
    public WebElement awaitPresent(By locator) {
        return waiting().until(ExpectedConditions.presenceOfElementLocated(locator));
    }

    /** The element with {@code data-test="<name>"}, once visible. */
    public WebElement test(String name) {
        return await(byTest(name));
    }

    public static By byTest(String name) {
        return By.cssSelector("[data-test=\"" + name + "\"]");
    }

    /** Waits until the page {@code data-test="page-<id>"} shows. */
    public WebElement awaitPage(String id) {
        return await(byTest("page-" + id));
    }

    /** Clicks the visible, enabled element {@code data-test="<name>"}. */
    public void click(String name) {
        waiting().until(ExpectedConditions.elementToBeClickable(byTest(name))).click();
    }

    /** Replaces the text of the form field with this id. */
    public void type(String id, String text) {
        WebElement field = await(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    /** Selects the option with this value in the select with this id. */
    public void select(String id, String value) {
        new org.openqa.selenium.support.ui.Select(await(By.id(id))).selectByValue(value);
    }

    /** Waits until the element's text contains {@code text}; answers the element. */
    public WebElement awaitText(By locator, String text) {
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(locator, text));
        return driver.findElement(locator);
    }

    /** Waits until the notice bar says {@code text}; answers its whole text. */
    public String awaitNotice(String text) {
        return awaitText(By.id("notice-text"), text).getText();
    }

    /** Waits until a condition on the driver holds. */
    public <T> T until(java.util.function.Function<WebDriver, T> condition) {
        return waiting().until(condition::apply);
    }

    /** A bounded wait whose failure shows what the page held and what the browser logged. */
    private WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.withMessage(this::diagnostics);
        return wait;
    }

    private String diagnostics() {
        String page;
        try {
            String source = driver.getPageSource();
            page = source.length() > 4000 ? source.substring(0, 4000) + "..." : source;
        } catch (RuntimeException e) {
            page = "(no page: " + e + ")";
        }
        List<String> logs;
        try {
            logs = driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::toString).toList();
        } catch (RuntimeException e) {
            logs = List.of("(no logs: " + e + ")");
        }
        return "at " + driver.getCurrentUrl() + "\nbrowser log: " + logs + "\npage: " + page;
    }

    /** Runs JavaScript in the page and answers its result. */
    public Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /** The browser's console messages at SEVERE (script errors, refused content, failed loads) since the last call. */
    public List<String> severeLogs() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    /** Fails when the browser logged a script error, a refused (CSP) or failed load since the last look. */
    public void assertNoSevereLogs() {
        List<String> severe = severeLogs();
        if (!severe.isEmpty()) {
            throw new AssertionError("the browser logged errors: " + severe);
        }
    }

    /**
     * As {@link #assertNoSevereLogs}, letting through failed loads whose message holds one of {@code expected} (the
     * refused calls of a sign-in test, which the browser logs as failed resources).
     */
    public void assertNoSevereLogsBut(String... expected) {
        List<String> severe = severeLogs().stream()
                .filter(message -> java.util.Arrays.stream(expected).noneMatch(message::contains)).toList();
        if (!severe.isEmpty()) {
            throw new AssertionError("the browser logged errors: " + severe);
        }
    }

    /** Saves the window as {@code docs/console/<name>.png} when screenshots are asked for; else does nothing. */
    public void screenshot(String name) throws IOException {
        if (!SCREENSHOTS) {
            return;
        }
        Path target = repositoryRoot().resolve("docs/console/" + name + ".png");
        Files.createDirectories(target.getParent());
        script("window.scrollTo(0, 0)");
        Files.write(target, driver.getScreenshotAs(OutputType.BYTES));
    }

    /** Tests run in the module's folder (broker/); the screenshots belong to the repository. */
    private static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isRegularFile(here.resolve("pom.xml")) && Files.isDirectory(here.resolve("broker"))
                ? here : here.getParent();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
