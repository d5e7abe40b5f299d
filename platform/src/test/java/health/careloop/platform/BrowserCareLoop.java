package health.careloop.platform;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One CareLoop (embedded, as {@link EmbeddedPlatforms} starts it) and one headless Chromium for a browser test class:
 * started before the class's own {@code @BeforeAll}, closed after its {@code @AfterAll}. Before each test the tab is
 * fresh (the app's page, no session, laptop size); a failed test leaves a screenshot of what the page showed
 * (target/screenshots/failed-&lt;test&gt;.png). Register it as {@code @RegisterExtension static final BrowserCareLoop WEB}.
 */
final class BrowserCareLoop implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, TestWatcher {
    /** Every staff member made here signs in with it. */
    static final String PASSWORD = TestPractices.PASSWORD;

    private final boolean embeddedBrokerOnKnownPort;
    private HeadlessChromium browser;
    private Platform platform;
    private ApiClient system;
    private TestPractices practices;
    private int mqttPort;

    private BrowserCareLoop(boolean embeddedBrokerOnKnownPort) {
        this.embeddedBrokerOnKnownPort = embeddedBrokerOnKnownPort;
    }

    static BrowserCareLoop start() {
        return new BrowserCareLoop(false);
    }

    /** With the embedded broker on a port the test knows ({@link #mqttPort()}), for devices that publish. */
    static BrowserCareLoop withDevices() {
        return new BrowserCareLoop(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        browser = HeadlessChromium.start();
        Map<String, String> settings = Map.of();
        if (embeddedBrokerOnKnownPort) {
            mqttPort = EmbeddedPlatforms.freePort();
            settings = Map.of("CARELOOP_EMBEDDED_MQTT_PORT", Integer.toString(mqttPort));
        }
        platform = EmbeddedPlatforms.start(settings);
        practices = TestPractices.of(platform);
        system = practices.system();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (browser != null) {
            browser.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        browser.driver.get(base());
        browser.driver.executeScript("sessionStorage.clear()");
        browser.driver.navigate().refresh();
        browser.size(HeadlessChromium.LAPTOP);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        try {
            browser.screenshot("failed-" + context.getRequiredTestMethod().getName());
        } catch (Exception ignored) {
            // the failure itself is what matters
        }
    }

    HeadlessChromium browser() {
        return browser;
    }

    Platform platform() {
        return platform;
    }

    /** The API as the system token (the set-up's own client). */
    ApiClient system() {
        return system;
    }

    /** Practices and staff made through the API, for staff whose id a test needs as well as the e-mail address. */
    TestPractices practices() {
        return practices;
    }

    /** The web app's address. */
    String base() {
        return "http://127.0.0.1:" + platform.httpPort() + "/";
    }

    /** The embedded broker's port, for devices that publish (only {@link #withDevices()} knows it). */
    int mqttPort() {
        if (!embeddedBrokerOnKnownPort) {
            throw new IllegalStateException("start the extension withDevices() to publish to its broker");
        }
        return mqttPort;
    }

    /** A new staff member of {@code practice} with {@link #PASSWORD}; returns the e-mail address to sign in with. */
    String staff(String practice, String role, String displayName) throws Exception {
        return staff(practice, role, displayName, null);
    }

    String staff(String practice, String role, String displayName, String npi) throws Exception {
        return practices.staff(practice, role, displayName, npi).getString("email");
    }

    /** The API as this staff member (signed in through the API, not the page). */
    ApiClient signIn(String email) throws Exception {
        return signIn(email, PASSWORD);
    }

    ApiClient signIn(String email, String password) throws Exception {
        return practices.signIn(email, password);
    }

    /** Signs in on the page's form and waits until the app shows the signed-in shell. */
    void signInOnPage(String email) {
        typeSignIn(email, PASSWORD);
        browser.visible(By.id("sign-out"));
    }

    /** Types into the sign-in form and submits, without waiting for the outcome (the refusals are tested too). */
    void typeSignIn(String email, String password) {
        browser.visible(By.id("email")).sendKeys(email);
        browser.driver.findElement(By.id("password")).sendKeys(password + Keys.ENTER);
    }

    static void ok(ApiClient.Response response) {
        assertThat(response.status()).as(response.body()).isBetween(200, 201);
    }
}
