package health.careloop.platform;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

/**
 * The machine's Chromium (Debian packages chromium and chromium-driver; .ci/run installs them), headless, driven by
 * Selenium through the machine's chromedriver. Selenium Manager is never asked to download a browser or a driver.
 * A missing Chromium fails the test class: browser tests must not pass silently where they cannot run.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("careloop.test.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("careloop.test.chromedriver", "/usr/bin/chromedriver"));
    /** Build artefacts: one PNG per page visited (platform/target/screenshots). */
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Dimension LAPTOP = new Dimension(1366, 768);
    static final Dimension TABLET = new Dimension(768, 1024);

    final ChromeDriver driver;
    final WebDriverWait wait;
    final Path downloads;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path downloads, Path profile) {
        this.driver = driver;
        // The page re-renders lists and plots when data changes: an element found a moment ago may be replaced.
        this.wait = (WebDriverWait) new WebDriverWait(driver, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class);
        this.downloads = downloads;
        this.profile = profile;
    }

    static HeadlessChromium start() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("The browser tests need Chromium at " + CHROMIUM + " and chromedriver at " + CHROMEDRIVER
                    + " (Debian: apt-get install chromium chromium-driver; .ci/run installs them).");
        }
        // Selenium Manager stays offline and is not needed: both paths are given.
        System.setProperty("SE_OFFLINE", "true");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        Path profile = Files.createTempDirectory("careloop-chromium");
        Path downloads = Files.createTempDirectory("careloop-downloads");
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--user-data-dir=" + profile, "--window-size=" + LAPTOP.width + "," + LAPTOP.height, "--lang=en-US");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false, "safebrowsing.enabled", false));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().build();
        return new HeadlessChromium(new ChromeDriver(service, options), downloads, profile);
    }

    WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /**
     * Clicks what {@code by} finds, finding it again if the page re-rendered it in between (a live update of the queue
     * replaces its rows): a stale element is the page changing, not a failure.
     */
    void click(By by) {
        wait.until(d -> {
            d.findElement(by).click();
            return true;
        });
    }

    void size(Dimension size) {
        driver.manage().window().setSize(size);
    }

    /** A full-window PNG in target/screenshots, at the window's current size. */
    void screenshot(String name) throws IOException {
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** The same page at laptop and tablet size, each once the page has laid itself out for it. */
    void screenshots(String name) throws IOException {
        size(LAPTOP);
        laidOut();
        screenshot(name + "-laptop");
        size(TABLET);
        laidOut();
        screenshot(name + "-tablet");
        size(LAPTOP);
        laidOut();
    }

    /** Plots are redrawn for a new window width: wait until none is wider than the window. */
    private void laidOut() {
        wait.until(d -> (Boolean) driver.executeScript(
                "return [...document.querySelectorAll('.uplot')].every(p => p.getBoundingClientRect().right <= window.innerWidth)"));
    }

    @Override
    public void close() {
        driver.quit();
        deleteQuietly(profile);
        deleteQuietly(downloads);
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
