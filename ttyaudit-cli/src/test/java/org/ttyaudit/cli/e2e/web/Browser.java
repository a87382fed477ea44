package org.ttyaudit.cli.e2e.web;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
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

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's headless Chromium driven through its chromedriver (Selenium), pointed at one ttyaudit server: trusts
 * exactly that server's self-signed certificate (by its public key's SHA-256, as recorders pin it), starts with
 * a fresh profile, and keeps the page's console so tests can check that no request broke the page's CSP.
 *
 * <p>One per test class: starting Chromium costs about a second of the two cores. Not thread-safe.
 */
public final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(20);

    private final String base;
    private final Path screenshots;
    private final ChromeDriver driver;
    private final List<String> console = new ArrayList<>();

    /** Skips the calling test, saying why, when Chromium or its driver is not installed. */
    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "headless Chromium is not installed (apt-get install chromium chromium-driver; .ci/run does)");
    }

    /**
     * @param base        the server's URL, e.g. https://127.0.0.1:8443
     * @param certificate the server's certificate (PEM): the only one the browser accepts for it
     * @param profile     an empty directory for the browser's profile
     * @param screenshots where {@link #screenshot} writes
     */
    public Browser(String base, Path certificate, Path profile, Path screenshots) throws Exception {
        this.base = base;
        this.screenshots = Files.createDirectories(screenshots);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-extensions", "--window-size=1280,800", "--lang=en-US",
                "--user-data-dir=" + profile,
                "--ignore-certificate-errors-spki-list=" + spkiHash(certificate));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(WAIT);
        desktop();
    }

    /** Base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo: what Chromium's SPKI allow-list takes. */
    static String spkiHash(Path certificatePem) throws Exception {
        try (InputStream in = Files.newInputStream(certificatePem)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            byte[] spki = cert.getPublicKey().getEncoded();
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** Opens a route of the UI, e.g. {@code #/sessions}. */
    public void open(String route) {
        driver.get(base + "/" + route);
    }

    public String route() {
        String url = driver.getCurrentUrl();
        int hash = url.indexOf('#');
        return hash < 0 ? "" : url.substring(hash);
    }

    public WebElement await(String css) {
        return waitUntil("a visible " + css, ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    /** Waits until the element's text contains {@code text}; returns the element. */
    public WebElement awaitText(String css, String text) {
        waitUntil(() -> css + " to show \"" + text + "\"; it shows: " + textOf(css),
                ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
        return driver.findElement(By.cssSelector(css));
    }

    private String textOf(String css) {
        List<WebElement> found = all(css);
        return found.isEmpty() ? "(no such element; the page shows: " + find("body").getText() + ")"
                : found.get(0).getText();
    }

    public <T> T waitUntil(String what, Function<WebDriver, T> condition) {
        return waitUntil(() -> what, condition);
    }

    private <T> T waitUntil(java.util.function.Supplier<String> what, Function<WebDriver, T> condition) {
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.withMessage(what);
        // a page that re-renders while a condition reads it leaves that read's elements stale: read it again
        wait.ignoring(StaleElementReferenceException.class);
        return wait.until(condition::apply);
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public void fill(String css, String text) {
        WebElement e = await(css);
        e.clear();
        e.sendKeys(text);
    }

    @SuppressWarnings("unchecked")
    public <T> T script(String js, Object... args) {
        return (T) ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /**
     * Logs in through the login page. With {@code newPassword}, expects the forced first-login page and chooses
     * that password there.
     */
    public void login(String name, String password, String newPassword) {
        logout();
        fill("#login-form input[name=name]", name);
        fill("#login-form input[name=password]", password);
        find("#login-form button[type=submit]").click();
        if (newPassword != null) {
            awaitText("main h1", "Choose your password");
            fill("#first-password-form input[name=new]", newPassword);
            fill("#first-password-form input[name=repeat]", newPassword);
            find("#first-password-form button[type=submit]").click();
        }
        awaitText(".nav-user .user-name", name);
    }

    /** Logs out with the page's own button when someone is logged in; ends on the login page. */
    public void logout() {
        open("#/sessions");
        waitUntil("the login form or the log-out button",
                d -> !d.findElements(By.cssSelector("#login-form, .nav-user button")).isEmpty());
        List<WebElement> button = all(".nav-user button");
        if (!button.isEmpty()) {
            button.get(0).click();
        }
        await("#login-form");
    }

    /** A desktop screen of 1280×800 CSS pixels (the window's own size includes no page area guarantee). */
    public void desktop() {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 1280, "height", 800,
                "deviceScaleFactor", 1, "mobile", false));
    }

    /** A phone's screen: width × height CSS pixels at twice the density, with the page's viewport meta tag. */
    public void phone(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 2, "mobile", true));
    }

    /** Whether the page itself is wider than the screen (so it would scroll sideways). */
    public boolean scrollsSideways() {
        Boolean wider = script("return document.documentElement.scrollWidth > document.documentElement.clientWidth;");
        return wider;
    }

    /** Saves what the browser shows as target/screenshots/NAME.png. */
    public Path screenshot(String name) throws IOException {
        Path file = screenshots.resolve(name + ".png");
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    /** Console messages that say the CSP refused something (a script, a style, a request elsewhere). */
    public List<String> policyViolations() {
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            console.add(e.getLevel() + " " + e.getMessage());
        }
        return console.stream().filter(m -> m.contains("Content Security Policy") || m.contains("Refused to"))
                .toList();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
