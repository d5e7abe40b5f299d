package health.careloop.platform;

import health.careloop.testing.TestDevice;
import io.vertx.core.json.JsonObject;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static health.careloop.platform.BrowserCareLoop.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A new cuff goes live from the devices page alone: a nurse registers it, gives it to a patient and reads its MQTT
 * password off the page (shown once); a device configured with that password publishes over MQTT and the reading is
 * in the patient's chart. Then: a new password cuts the old one off, the refusals are shown in words, and a biller
 * gets no forms. One browser and one CareLoop for the class.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevicesBrowserTest {
    static final String PASSWORD = BrowserCareLoop.PASSWORD;

    @RegisterExtension
    static final BrowserCareLoop WEB = BrowserCareLoop.withDevices();

    static Platform platform;
    static int mqttPort;
    static HeadlessChromium browser;
    static ApiClient system;
    static String base;
    static String practice;
    static String nurseEmail;
    static String billerEmail;
    static String rivera;
    static String cuff = "cuff-live-" + UUID.randomUUID().toString().substring(0, 6);
    static String firstPassword;

    @BeforeAll
    static void start() throws Exception {
        browser = WEB.browser();
        mqttPort = WEB.mqttPort();
        platform = WEB.platform();
        base = WEB.base();
        system = WEB.system();
        practice = system.id(system.post("/api/v1/practices", "{\"name\":\"Web D\",\"timeZone\":\"America/Chicago\"}"));
        nurseEmail = staff("rn", "Robin Nurse");
        billerEmail = staff("billing", "Bea Biller");
        rivera = system.id(system.post("/api/v1/patients", new JsonObject().put("practiceId", practice).put("externalRef", "MRN-D1")));
        ok(system.post("/api/v1/patients/" + rivera + "/profile", new JsonObject().put("givenName", "Ana").put("familyName", "Rivera")
                .put("birthDate", "1950-03-04").put("sex", "female")));
    }

    @Test
    @Order(1)
    void aNurseRegistersACuffGivesItToAPatientAndItsReadingReachesTheChart() throws Exception {
        signInToDevices(nurseEmail);
        browser.screenshots("40-devices-empty");
        // Keyboard only: the id field, then Tab through kind, model and patient to the button.
        WebElement id = browser.visible(By.id("register-id"));
        id.sendKeys(cuff);
        id.sendKeys(Keys.TAB);
        assertThat(browser.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("register-kind");
        new Select(browser.driver.findElement(By.id("register-kind"))).selectByVisibleText("Blood pressure cuff");
        browser.driver.findElement(By.id("register-model")).sendKeys("Omron BP7450");
        new Select(browser.driver.findElement(By.id("register-patient"))).selectByValue(rivera);
        browser.driver.findElement(By.id("register-model")).sendKeys(Keys.ENTER);

        // The password dialog: username, password, client id and topic, shown once.
        WebElement secret = browser.visible(By.id("mqtt-password"));
        firstPassword = secret.getText();
        assertThat(firstPassword).hasSizeGreaterThanOrEqualTo(40);
        assertThat(browser.driver.findElement(By.id("mqtt-username")).getText()).isEqualTo(cuff);
        assertThat(browser.driver.findElement(By.id("mqtt-topic")).getText()).isEqualTo("rpm/v1/devices/" + cuff + "/readings");
        assertThat(browser.driver.findElement(By.cssSelector("dialog p.notice")).getText()).contains("shown this once");
        // Nothing about the device or its password in the address bar.
        assertThat(browser.driver.getCurrentUrl()).endsWith("#/devices");
        browser.screenshots("41-device-password-once");
        browser.driver.findElement(By.id("mqtt-done")).click();
        browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("mqtt-password")));

        WebElement row = browser.visible(By.cssSelector("tr[data-device='" + cuff + "']"));
        assertThat(row.getText()).contains("Rivera, Ana").contains("Omron BP7450").contains("Issued");
        JsonObject device = system.get("/api/v1/devices/" + cuff).json();
        assertThat(device.getString("kind")).isEqualTo("blood_pressure_cuff");
        assertThat(device.getJsonArray("assignments").getJsonObject(0).getString("patientId")).isEqualTo(rivera);

        // The cuff, configured with what the page showed, publishes; the reading is stored and drawn in the chart.
        String measuredAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        try (TestDevice device1 = new TestDevice("tcp://127.0.0.1:" + mqttPort, cuff, firstPassword)) {
            device1.publish(cuff, "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + measuredAt + "\",\"systolic\":131,\"diastolic\":84,\"pulse\":70}");
        }
        await().atMost(Duration.ofSeconds(20)).until(() ->
                system.get("/api/v1/patients/" + rivera + "/readings").json().getJsonArray("items").size() == 1);
        browser.driver.findElement(By.xpath("//tr[@data-device='" + cuff + "']//a[.='Rivera, Ana']")).click();
        WebElement plot = browser.visible(By.id("plot-bp"));
        assertThat(plot.getAttribute("aria-label")).isEqualTo("Blood pressure, last 30 days, 1 readings");
        assertThat(browser.driver.getCurrentUrl()).endsWith("#/patients/" + rivera);
        browser.screenshots("42-device-reading-in-chart");
    }

    @Test
    @Order(2)
    void aNewPasswordIsConfirmedFirstAndCutsTheOldOneOff() throws Exception {
        signInToDevices(nurseEmail);
        browser.click(By.cssSelector("button[data-password-for='" + cuff + "']"));
        browser.visible(By.id("rotate-confirm"));
        browser.screenshots("43-device-new-password-confirm");
        browser.driver.findElement(By.id("rotate-confirm")).click();
        String second = browser.visible(By.id("mqtt-password")).getText();
        assertThat(second).isNotEqualTo(firstPassword);
        browser.driver.findElement(By.id("mqtt-done")).sendKeys(Keys.ENTER);

        assertThatThrownBy(() -> new TestDevice("tcp://127.0.0.1:" + mqttPort, cuff, firstPassword).close()).isInstanceOf(MqttException.class);
        try (TestDevice withNew = new TestDevice("tcp://127.0.0.1:" + mqttPort, cuff, second)) {
            assertThat(withNew.isConnected()).isTrue();
        }
    }

    @Test
    @Order(3)
    void refusalsAreShownInWords() throws Exception {
        signInToDevices(nurseEmail);
        // The same id again.
        browser.visible(By.id("register-id")).sendKeys(cuff);
        browser.driver.findElement(By.id("register-submit")).click();
        WebElement error = browser.visible(By.id("register-error"));
        assertThat(error.getText()).startsWith("A device with this id is already registered.");
        // A name reserved for CareLoop's own broker accounts: the server's reason names the field.
        WebElement id = browser.driver.findElement(By.id("register-id"));
        id.clear();
        id.sendKeys("careloop-cuff");
        browser.driver.findElement(By.id("register-submit")).click();
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("register-error"), "'deviceId' may not start with 'careloop-'"));
        browser.screenshots("44-device-register-refused");
        assertThat(system.get("/api/v1/devices/careloop-cuff").status()).isEqualTo(404);
        // A device left in stock has no password until one is issued, and the list says so.
        id = browser.driver.findElement(By.id("register-id"));
        id.clear();
        String spare = "cuff-spare-" + UUID.randomUUID().toString().substring(0, 6);
        id.sendKeys(spare + Keys.ENTER);
        browser.visible(By.id("mqtt-done")).click();
        assertThat(browser.visible(By.cssSelector("tr[data-device='" + spare + "']")).getText()).contains("In stock").contains("Issued");
    }

    @Test
    @Order(4)
    void aBillerSeesTheInventoryButNoFormsOrPasswordButtons() throws Exception {
        signInToDevices(billerEmail);
        browser.visible(By.cssSelector("tr[data-device='" + cuff + "']"));
        assertThat(browser.driver.findElements(By.id("register-form"))).isEmpty();
        assertThat(browser.driver.findElements(By.id("assign-form"))).isEmpty();
        assertThat(browser.driver.findElements(By.cssSelector("button[data-password-for]"))).isEmpty();
        browser.screenshots("45-devices-biller");
    }

    private static void signInToDevices(String email) {
        WEB.signInOnPage(email);
        browser.driver.executeScript("location.hash = '#/devices'");
        browser.visible(By.xpath("//h1[.='Devices']"));
    }

    private static String staff(String role, String name) throws Exception {
        return WEB.staff(practice, role, name);
    }
}
