package health.careloop.platform;

import health.careloop.testing.TestDevice;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static health.careloop.platform.BrowserCareLoop.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The care-team web app in headless Chromium against a whole CareLoop: the story of issue 6 (sign in, an alert raised by
 * a reading published over MQTT appears without a reload, claim, log time, resolve, the patient's chart with its plot,
 * close a month and download its claims), then the refusals a person must understand (wrong password, an ended or
 * invalid session, overlapping time, a nurse and the billing close). One browser and one CareLoop for the class.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebAppBrowserTest {
    static final String PASSWORD = BrowserCareLoop.PASSWORD;

    @RegisterExtension
    static final BrowserCareLoop WEB = BrowserCareLoop.withDevices();

    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
    static final String DOCTOR_NPI = "1234567893";

    static Platform platform;
    static int mqttPort;
    static HeadlessChromium browser;
    static ApiClient system;
    static String base;
    static String practice;
    static String nurseEmail;
    static String billerEmail;
    static String coordinatorEmail;
    static String nurseId;
    static String patient;
    static String cuff;
    static YearMonth lastMonth;

    @BeforeAll
    static void start() throws Exception {
        browser = WEB.browser();
        mqttPort = WEB.mqttPort();
        platform = WEB.platform();
        base = WEB.base();
        system = WEB.system();
        practice = system.id(system.post("/api/v1/practices", "{\"name\":\"Web A\",\"timeZone\":\"America/Chicago\"}"));
        nurseEmail = staff("rn", null, "Robin Nurse");
        billerEmail = staff("billing", null, "Bea Biller");
        String doctorEmail = staff("physician", DOCTOR_NPI, "Okafor, Adaeze");
        coordinatorEmail = staff("care_coordinator", null, "Casey Coordinator");
        ApiClient nurse = WEB.signIn(nurseEmail);
        nurseId = nurse.get("/api/v1/auth/me").json().getString("staffId");
        String doctorId = WEB.signIn(doctorEmail).get("/api/v1/auth/me").json().getString("staffId");
        lastMonth = YearMonth.now(CHICAGO).minusMonths(1);

        // A hypertensive patient in RPM since before last month, with demographics an 837P needs and a cuff.
        patient = nurse.id(nurse.post("/api/v1/patients", new JsonObject().put("practiceId", practice).put("externalRef", "MRN-4711")));
        ok(nurse.post("/api/v1/patients/" + patient + "/profile", new JsonObject().put("givenName", "Ana").put("familyName", "Rivera")
                .put("birthDate", "1948-05-17").put("sex", "female").put("mbi", "1EG4TE5MK73")
                .put("address", new JsonObject().put("line1", "12 Elm St").put("city", "Evanston").put("state", "IL").put("zip", "60201"))));
        ok(nurse.post("/api/v1/patients/" + patient + "/conditions", new JsonObject().put("icd10", "I10").put("description", "Essential hypertension")
                .put("onset", "2019-01-01").put("expectedDuration", "lifelong").put("significantRisk", true)));
        LocalDate since = lastMonth.atDay(1).minusDays(20);
        ok(nurse.post("/api/v1/patients/" + patient + "/consents", new JsonObject().put("program", "rpm").put("method", "written")
                .put("obtainedOn", since.toString()).put("obtainedBy", nurseId).put("told", new JsonObject().put("costSharing", true)).put("accepted", true)));
        ok(nurse.post("/api/v1/patients/" + patient + "/enrolments", new JsonObject().put("program", "rpm").put("startDate", since.toString())
                .put("billingPractitionerId", doctorId)));
        cuff = "cuff-" + UUID.randomUUID().toString().substring(0, 8);
        ok(nurse.post("/api/v1/devices", new JsonObject().put("deviceId", cuff).put("practiceId", practice).put("kind", "blood_pressure_cuff")));
        ok(nurse.post("/api/v1/devices/" + cuff + "/assignments", new JsonObject().put("patientId", patient)
                .put("validFrom", since.atStartOfDay(CHICAGO).toInstant().toString())));
        // Last month: a 25-minute call (99457 when the month closes), and the practice's billing profile for the 837P.
        ok(nurse.post("/api/v1/time-entries", new JsonObject().put("patientId", patient).put("program", "rpm").put("activity", "patient_call")
                .put("startedAt", lastMonth.atDay(10).atTime(10, 0).atZone(CHICAGO).toInstant().toString())
                .put("endedAt", lastMonth.atDay(10).atTime(10, 25).atZone(CHICAGO).toInstant().toString())
                .put("interactive", true).put("interactionMode", "phone")));
        ok(system.put("/api/v1/billing/profile?practiceId=" + practice, new JsonObject()
                .put("billingProvider", new JsonObject().put("organizationName", "WEB A FAMILY MEDICINE LLC").put("npi", "1987654328")
                        .put("ein", "521234567").put("address", new JsonObject().put("line1", "100 N MICHIGAN AVE").put("city", "CHICAGO")
                                .put("state", "IL").put("zip", "606011234")))
                .put("submitter", new JsonObject().put("name", "WEB A FAMILY MEDICINE").put("id", "WEBA0001").put("contactName", "BILLING OFFICE")
                        .put("contactPhone", "3125550100"))
                .put("receiver", new JsonObject().put("name", "WPS GOVERNMENT HEALTH ADMINISTRATORS").put("id", "05201"))
                .put("payer", new JsonObject().put("name", "MEDICARE PART B").put("payerId", "06102")).put("usage", "test")));
        // Readings over the past days so the chart has a trend (normal values: no alerts).
        try (TestDevice device = new TestDevice("tcp://127.0.0.1:" + mqttPort, cuff, EmbeddedPlatforms.devicePassword(system, cuff))) {
            for (int day = 12; day >= 1; day--) {
                device.publish(cuff, "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + Instant.now().minus(Duration.ofDays(day)).truncatedTo(ChronoUnit.SECONDS)
                        + "\",\"systolic\":" + (128 + day % 5) + ",\"diastolic\":" + (80 + day % 3) + ",\"pulse\":70,\"battery\":" + (70 + day) + "}");
            }
        }
    }

    @Test
    @Order(1)
    void aNurseWorksAnAlertFromMqttToResolvedAndABillerClosesTheMonth() throws Exception {
        browser.visible(By.id("email"));
        browser.screenshots("01-sign-in");
        signInAs(nurseEmail);
        browser.visible(By.xpath("//h1[starts-with(., 'Alert queue')]"));
        browser.driver.executeScript("window.__sameDocument = true");

        // A crisis reading over MQTT: the queue shows it by itself, without a reload.
        try (TestDevice device = new TestDevice("tcp://127.0.0.1:" + mqttPort, cuff, EmbeddedPlatforms.devicePassword(system, cuff))) {
            device.publish(cuff, "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + Instant.now().truncatedTo(ChronoUnit.MILLIS)
                    + "\",\"systolic\":192,\"diastolic\":124,\"pulse\":88}");
        }
        WebElement row = browser.visible(By.xpath("//tr[.//strong[.='Hypertensive crisis']]"));
        assertThat(browser.driver.executeScript("return window.__sameDocument === true")).as("no reload").isEqualTo(true);
        assertThat(row.getText()).contains("Rivera, Ana").containsIgnoringCase("critical").contains("Unclaimed");
        assertThat(browser.driver.findElement(By.id("live")).getText()).isEqualTo("Live");
        browser.screenshots("02-queue-with-alert");

        // Claim (by keyboard), then log time: RPM is suggested by the alert's task.
        WebElement claim = row.findElement(By.xpath(".//button[.='Claim']"));
        claim.sendKeys(Keys.ENTER);
        row = browser.visible(By.xpath("//tr[.//strong[.='Hypertensive crisis'] and .//*[.='Claimed by you']]"));
        row.findElement(By.xpath(".//button[.='Log time']")).click();
        browser.visible(By.id("time-save"));
        assertThat(browser.driver.findElement(By.cssSelector("input[name=program][value=rpm]")).isSelected()).isTrue();
        browser.driver.findElement(By.id("time-interactive")).click();
        browser.screenshots("03-log-time");
        browser.driver.findElement(By.id("time-save")).click();
        browser.visible(By.xpath("//div[contains(@class,'toast') and contains(., 'Logged 15 min of RPM time')]"));

        // The same quarter hour again: the ledger refuses the overlap, in words.
        row = browser.visible(By.xpath("//tr[.//strong[.='Hypertensive crisis']]"));
        row.findElement(By.xpath(".//button[.='Log time']")).click();
        browser.visible(By.id("time-save")).click();
        WebElement error = browser.visible(By.id("time-error"));
        // A sentence in the practice's time zone naming the patient, never an id.
        assertThat(error.getText()).contains("You already logged time for Rivera, Ana (RPM, reviewing readings) from ").contains("A minute of your time counts only once")
                .doesNotContain(patient);
        browser.screenshots("04-overlap-refused");
        browser.driver.findElement(By.xpath("//dialog//button[.='Cancel']")).click();

        // Resolve with an outcome note: the work leaves the queue.
        row = browser.visible(By.xpath("//tr[.//strong[.='Hypertensive crisis']]"));
        row.findElement(By.xpath(".//button[.='Resolve']")).click();
        browser.visible(By.id("outcome")).sendKeys("Called the patient; repeat 150/92; Dr Okafor informed");
        browser.driver.findElement(By.id("resolve-confirm")).click();
        browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.xpath("//tr[.//strong[.='Hypertensive crisis']]")));
        browser.screenshots("05-queue-after-resolve");

        // The chart: found by name on the page, opened by id; the URL holds no name.
        browser.driver.findElement(By.cssSelector("a[data-nav=patients]")).click();
        browser.visible(By.id("patient-search")).sendKeys("rive");
        browser.visible(By.linkText("Rivera, Ana")).click();
        browser.visible(By.cssSelector("#plot-bp canvas"));
        assertThat(browser.driver.getCurrentUrl()).endsWith("#/patients/" + patient).doesNotContain("Rivera").doesNotContain("MRN");
        assertThat(browser.driver.findElement(By.id("plot-bp")).getText()).contains("Systolic").contains("Crisis systolic").contains("Raised an alert");
        assertThat(browser.driver.findElement(By.id("rpm-minutes")).getText()).isEqualTo("15 min");
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains("Hypertensive crisis").contains("resolved")
                .contains("Essential hypertension").contains(cuff);
        browser.screenshots("06-patient-chart");
        browser.driver.findElement(By.cssSelector("button[data-days='90']")).click();
        browser.wait.until(d -> d.findElement(By.id("plot-bp")).getAttribute("aria-label").contains("90 days"));

        browser.driver.findElement(By.cssSelector("a[data-nav=devices]")).click();
        assertThat(browser.visible(By.xpath("//tr[.//code[.='" + cuff + "']]")).getText()).contains("Rivera, Ana").contains("71 %").contains("OK");
        browser.screenshots("07-devices");

        // The biller closes last month and downloads its claims.
        browser.driver.findElement(By.id("sign-out")).click();
        assertThat(browser.visible(By.id("signin-notice")).getText()).contains("signed out");
        signInAs(billerEmail);
        // The current month first (still open: no close button), then last month.
        browser.visible(By.id("month-prev"));
        assertThat(browser.driver.findElements(By.id("close-month"))).isEmpty();
        browser.driver.findElement(By.id("month-prev")).click();
        browser.visible(By.id("close-month"));
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains("Rivera, Ana").contains("99457");
        browser.screenshots("08-billing-readiness");
        browser.driver.findElement(By.id("close-month")).click();
        browser.visible(By.id("close-confirm")).click();
        assertThat(browser.visible(By.id("month-closed")).getText()).containsPattern("Closed by you on .*: [1-9][0-9]* claim lines?, \\$");
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains("Not billed, and why");
        browser.screenshots("09-billing-closed");
        browser.driver.findElement(By.id("download-csv")).click();
        Path csv = browser.downloads.resolve("claims-" + lastMonth + ".csv");
        browser.wait.until(d -> Files.exists(csv));
        assertThat(Files.readString(csv)).contains("99457").contains("MRN-4711");
        browser.driver.findElement(By.id("download-837")).click();
        Path x12 = browser.downloads.resolve("claims-" + lastMonth + ".837");
        browser.wait.until(d -> Files.exists(x12));
        assertThat(Files.readString(x12)).startsWith("ISA*").contains("SV1*HC:99457");
    }

    @Test
    @Order(2)
    void aWrongPasswordIsRefusedInWords() throws Exception {
        browser.visible(By.id("email")).sendKeys(nurseEmail);
        browser.driver.findElement(By.id("password")).sendKeys("not the password");
        browser.driver.findElement(By.id("signin")).click();
        assertThat(browser.visible(By.id("signin-error")).getText()).isEqualTo("The e-mail address or the password is wrong.");
        browser.screenshots("10-wrong-password");
    }

    @Test
    @Order(3)
    void anEndedOrInvalidSessionSendsThePersonBackToSignInWithAMessage() throws Exception {
        signInAs(nurseEmail);
        browser.visible(By.xpath("//h1[starts-with(., 'Alert queue')]"));
        try (var c = DriverManager.getConnection(platform.jdbcUrlForTests()); var s = c.createStatement()) {
            s.executeUpdate("UPDATE core.staff_session SET last_seen_at = now() - interval '31 minutes' WHERE revoked_at IS NULL");
        }
        // The next request (a page change here, or the live stream's own re-read) meets the 401.
        browser.driver.executeScript("location.hash = '#/patients'");
        assertThat(browser.visible(By.id("signin-notice")).getText()).contains("Your session has ended");
        browser.screenshots("11-session-ended");

        browser.driver.executeScript("sessionStorage.setItem('careloop.token', 'forged'); sessionStorage.setItem('careloop.me', "
                + "JSON.stringify({role: 'rn', displayName: 'Nobody'}))");
        browser.driver.get(base + "#/patients");
        assertThat(browser.visible(By.id("signin-notice")).getText()).contains("Your session has ended");
    }

    @Test
    @Order(4)
    void aNurseDoesNotGetTheBillingClose() throws Exception {
        signInAs(nurseEmail);
        browser.visible(By.xpath("//h1[starts-with(., 'Alert queue')]"));
        assertThat(browser.driver.findElement(By.cssSelector("a[data-nav=billing]")).isDisplayed()).isFalse();
        browser.driver.get(base + "#/billing");
        assertThat(browser.visible(By.id("billing-refused")).getText()).contains("Your role does not include it");
        assertThat(browser.driver.findElements(By.id("close-month"))).isEmpty();
        browser.screenshots("12-billing-refused-to-nurse");
    }

    @Test
    @Order(5)
    void aTimerRunsInTheHeaderAcrossPagesUntilStopped() throws Exception {
        signInAs(nurseEmail);
        browser.visible(By.xpath("//h1[starts-with(., 'Alert queue')]"));
        browser.driver.get(base + "#/patients/" + patient);
        browser.visible(By.id("chart-log-time")).click();
        browser.visible(By.id("time-start-timer")).click();
        WebElement bar = browser.visible(By.id("timer-bar"));
        assertThat(bar.getText()).startsWith("RPM timer");
        // It keeps running while the nurse looks elsewhere.
        browser.driver.findElement(By.cssSelector("a[data-nav=queue]")).click();
        browser.wait.until(d -> d.findElement(By.cssSelector("#timer-bar .clock")).getText().matches("0:0[2-9]|0:[1-5][0-9]|[1-9].*"));
        browser.screenshots("13-timer-running");
        browser.driver.findElement(By.id("timer-stop")).click();
        browser.visible(By.id("stop-interactive")).click();
        browser.driver.findElement(By.id("stop-confirm")).click();
        browser.visible(By.xpath("//div[contains(@class,'toast') and contains(., 'of RPM time')]"));
        browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("timer-bar")));
    }

    /** Issue 14: one button ends the person's sessions on every computer and phone, not only this tab's. */
    @Test
    @Order(6)
    void signOutEverywhereEndsThePersonsOtherSessionsToo() throws Exception {
        ApiClient phone = WEB.signIn(nurseEmail); // the same nurse, signed in on another device
        assertThat(phone.get("/api/v1/auth/me").status()).isEqualTo(200);
        signInAs(nurseEmail);
        browser.visible(By.xpath("//h1[starts-with(., 'Alert queue')]"));
        browser.screenshots("14-signed-in-with-sign-out-everywhere");
        browser.driver.findElement(By.id("sign-out-everywhere")).click();
        assertThat(browser.visible(By.id("signin-notice")).getText()).isEqualTo("You have signed out on every computer and phone.");
        assertThat(browser.driver.findElement(By.id("top")).isDisplayed()).isFalse();
        assertThat(phone.get("/api/v1/auth/me").status()).as("the other device's session").isEqualTo(401);
        // This tab's token is gone from the page and ended on the server.
        assertThat(browser.driver.executeScript("return sessionStorage.getItem('careloop.token')")).isNull();
    }

    @Test
    @Order(7)
    void theTimeLogSaysWhoEnteredAnEntryWhenItWasNotThePersonWhoseTimeItIs() throws Exception {
        // A care coordinator transcribes ten minutes of the nurse's paper log from earlier today (this month).
        Instant monthStart = YearMonth.now(CHICAGO).atDay(1).atStartOfDay(CHICAGO).toInstant();
        Instant start = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MINUTES);
        start = start.isBefore(monthStart) ? monthStart.plus(Duration.ofMinutes(1)) : start;
        ok(WEB.signIn(coordinatorEmail).post("/api/v1/time-entries", new JsonObject().put("patientId", patient).put("staffId", nurseId)
                .put("program", "rpm").put("activity", "data_review").put("startedAt", start.toString())
                .put("endedAt", start.plus(Duration.ofMinutes(10)).toString()).put("note", "From the paper log")));

        signInAs(nurseEmail);
        browser.visible(By.xpath("//h1[starts-with(., 'Alert queue')]"));
        browser.driver.get(base + "#/patients/" + patient);
        WebElement transcribed = browser.visible(By.xpath("//tr[.//*[contains(@class,'entered-by')]]"));
        assertThat(transcribed.getText()).contains("Robin Nurse").contains("entered by Casey Coordinator").contains("From the paper log");
        // The nurse's own entries say whose time they are and nothing more.
        List<WebElement> own = browser.driver.findElements(By.xpath("//tr[.//*[contains(@class,'time-by')] and not(.//*[contains(@class,'entered-by')])]"));
        assertThat(own).isNotEmpty().allSatisfy(r -> assertThat(r.getText()).contains("Robin Nurse").doesNotContain("entered by"));
        browser.driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", transcribed);
        browser.screenshots("15-time-entered-by-colleague");
    }

    private static void signInAs(String email) {
        WEB.typeSignIn(email, PASSWORD);
    }

    private static String staff(String role, String npi, String name) throws Exception {
        return WEB.staff(practice, role, name, npi);
    }
}
