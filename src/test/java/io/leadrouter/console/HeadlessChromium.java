package io.leadrouter.console;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The OS's headless Chromium (Debian's packages chromium and chromium-driver), driven through its own
 * chromedriver, named by path so that Selenium never looks for or downloads a driver. Without them a
 * test skips saying how to install them, except in CI (LEADROUTER_CI, set by .ci/run, which installs
 * them), where it fails.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Dimension LAPTOP = new Dimension(1366, 900);
    static final Dimension PHONE = new Dimension(390, 844);

    private static final Path CHROMIUM = Path.of(System.getProperty("console.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("console.chromedriver", "/usr/bin/chromedriver"));

    private final ChromeDriver driver;
    private final Path downloads;
    /** What the page wrote to the browser's console, kept across reads of its log. */
    private final List<LogEntry> console = new ArrayList<>();

    private HeadlessChromium(ChromeDriver driver, Path downloads) {
        this.driver = driver;
        this.downloads = downloads;
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Skips the calling test (outside CI) or fails it (in CI) when Chromium or its driver is missing. */
    static void require() {
        if (installed()) {
            return;
        }
        String missing = "Chromium (" + CHROMIUM + ") and its chromedriver (" + CHROMEDRIVER + ") are needed for the console's "
                + "browser tests";
        if (System.getenv("LEADROUTER_CI") != null) {
            fail(missing + ", and CI must run them: .ci/run installs the packages chromium and chromium-driver");
        }
        Assumptions.abort(missing + "; skipped outside CI. Install them with: sudo apt-get install chromium chromium-driver "
                + "(or name other binaries with -Dconsole.chromium=... -Dconsole.chromedriver=...)");
    }

    static HeadlessChromium start(Path downloads) throws IOException {
        require();
        Files.createDirectories(downloads);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + LAPTOP.width + "," + LAPTOP.height, "--lang=en-US", "--no-first-run",
                "--disable-extensions", "--disable-background-networking", "--disable-sync", "--disable-component-update",
                "--disable-default-apps", "--password-store=basic");
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", downloads.toString()));
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(30));
        return new HeadlessChromium(driver, downloads);
    }

    ChromeDriver driver() {
        return driver;
    }

    Path downloads() {
        return downloads;
    }

    /** A wait for what the page shows: generous, since the machine is shared and busy. */
    WebDriverWait waiting() {
        return new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(100));
    }

    void resize(Dimension size) {
        driver.manage().window().setSize(size);
    }

    /** Everything the browser's console got since the browser started (its log is read and kept). */
    List<LogEntry> consoleLog() {
        console.addAll(driver.manage().logs().get(LogType.BROWSER).getAll());
        return List.copyOf(console);
    }

    /**
     * The errors (SEVERE) the console got since the last call, but those {@code expected} accepts (a
     * refusal the test provoked on purpose); the log is read again, so each entry is seen once.
     */
    List<String> newErrors(Predicate<String> expected) {
        int seen = console.size();
        List<LogEntry> all = consoleLog();
        return all.subList(seen, all.size()).stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(expected.negate())
                .toList();
    }

    /** The whole page, beyond the window's height, as a PNG (Chromium's own capture, through the DevTools protocol). */
    void screenshot(Path file) {
        // the capture lays the whole page out without a scrollbar: as wide as the window
        Number width = (Number) driver.executeScript("return window.innerWidth");
        Number height = (Number) driver.executeScript("return document.documentElement.scrollHeight");
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", Math.min(height.intValue(), 12_000), "scale", 1)));
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
