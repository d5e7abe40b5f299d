package health.careloop.platform;

import health.careloop.testing.TestDevice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static health.careloop.platform.BrowserCareLoop.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readings entered by staff (a value phoned in, a clinic measurement): stored once, flagged with who entered them,
 * judged by the alert rules, never a data day (the readiness reasons say so), every refusal in the API, and the chart's
 * dialog and distinct marks in headless Chromium. One CareLoop and one browser for the class.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EnteredReadingsTest {
    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    @RegisterExtension
    static final BrowserCareLoop WEB = BrowserCareLoop.withDevices();

    static Platform platform;
    static int mqttPort;
    static HeadlessChromium browser;
    static ApiClient system;
    static String base;
    static String practice;
    static String nurseId;
    static String nurseEmail;
    static ApiClient nurse;
    static ApiClient biller;
    static String billerEmail;
    static ApiClient outsider;
    static String rivera;
    static LocalDate today;
    static Instant phonedAt;

    @BeforeAll
    static void start() throws Exception {
        browser = WEB.browser();
        mqttPort = WEB.mqttPort();
        platform = WEB.platform();
        base = WEB.base();
        system = WEB.system();
        practice = system.id(system.post("/api/v1/practices", "{\"name\":\"Entered A\",\"timeZone\":\"America/Chicago\"}"));
        String other = system.id(system.post("/api/v1/practices", "{\"name\":\"Entered B\",\"timeZone\":\"America/Chicago\"}"));
        String doctorId = staff(practice, "physician", "1234567893").getString("id");
        JsonObject n = staff(practice, "rn", null);
        nurseId = n.getString("id");
        nurseEmail = n.getString("email");
        nurse = signIn(nurseEmail);
        billerEmail = staff(practice, "billing", null).getString("email");
        biller = signIn(billerEmail);
        outsider = signIn(staff(other, "rn", null).getString("email"));

        // Rivera: hypertension, RPM consent and enrolment, a cuff since 29 days ago (so today ends her 30-day period).
        today = LocalDate.now(CHICAGO);
        LocalDate since = today.minusDays(29);
        rivera = system.id(system.post("/api/v1/patients", new JsonObject().put("practiceId", practice).put("externalRef", "MRN-E1")));
        ok(nurse.post("/api/v1/patients/" + rivera + "/profile", new JsonObject().put("givenName", "Ana").put("familyName", "Rivera")
                .put("birthDate", "1950-03-04").put("sex", "female")));
        ok(nurse.post("/api/v1/patients/" + rivera + "/conditions", new JsonObject().put("icd10", "I10").put("description", "Essential hypertension")
                .put("onset", "2019-01-01").put("expectedDuration", "lifelong").put("significantRisk", true)));
        ok(nurse.post("/api/v1/patients/" + rivera + "/consents", new JsonObject().put("program", "rpm").put("method", "written")
                .put("obtainedOn", since.toString()).put("obtainedBy", nurseId).put("told", new JsonObject().put("costSharing", true)).put("accepted", true)));
        ok(nurse.post("/api/v1/patients/" + rivera + "/enrolments", new JsonObject().put("program", "rpm").put("startDate", since.toString())
                .put("billingPractitionerId", doctorId)));
        String cuff = "cuff-e-" + UUID.randomUUID().toString().substring(0, 6);
        ok(system.post("/api/v1/devices", new JsonObject().put("deviceId", cuff).put("practiceId", practice).put("kind", "blood_pressure_cuff")));
        ok(system.post("/api/v1/devices/" + cuff + "/assignments", new JsonObject().put("patientId", rivera)
                .put("validFrom", since.atStartOfDay(CHICAGO).toInstant().toString())));
        // Device readings on three days (5, 4 and 3 days ago): three data days.
        try (TestDevice device = new TestDevice("tcp://127.0.0.1:" + mqttPort, cuff, EmbeddedPlatforms.devicePassword(system, cuff))) {
            for (int daysAgo = 5; daysAgo >= 3; daysAgo--) {
                Instant at = today.minusDays(daysAgo).atTime(LocalTime.of(9, 0)).atZone(CHICAGO).toInstant();
                device.publish(cuff, "{\"type\":\"blood_pressure\",\"measuredAt\":\"" + at + "\",\"systolic\":132,\"diastolic\":84,\"pulse\":70}");
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> readings().size() == 3);
        // The phoned-in value: two days ago, a day without device data.
        phonedAt = today.minusDays(2).atTime(LocalTime.of(10, 30)).atZone(CHICAGO).toInstant();
    }

    @Test
    @Order(1)
    void aPhonedInCrisisIsStoredOnceFlaggedJudgedByTheRulesAndNeverADataDay() throws Exception {
        JsonObject crisis = new JsonObject().put("type", "blood_pressure").put("measuredAt", phonedAt.toString()).put("source", "phoned_in")
                .put("systolic", 192).put("diastolic", 124).put("pulse", 88).put("note", "Daughter read it out; patient has a headache");
        var entered = nurse.post("/api/v1/patients/" + rivera + "/entered-readings", crisis);
        assertThat(entered.status()).as(entered.body()).isEqualTo(201);
        assertThat(entered.json().getString("enteredBy")).isEqualTo(nurseId);
        assertThat(entered.json().getString("entrySource")).isEqualTo("phoned_in");
        assertThat(entered.json().getString("deviceId")).isEqualTo("careloop-entered-" + rivera);
        assertThat(entered.json().getString("note")).isEqualTo("Daughter read it out; patient has a headache");

        // Stored once: the same value again (a double click, a colleague) is refused.
        var again = nurse.post("/api/v1/patients/" + rivera + "/entered-readings", crisis);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().getString("error")).isEqualTo("already_entered");

        // In the readings, flagged; judged by the same rules: a crisis alert naming this reading.
        JsonObject listed = readings().stream().map(r -> (JsonObject) r).filter(r -> r.getString("enteredBy") != null).findFirst().orElseThrow();
        assertThat(listed.getInteger("systolic")).isEqualTo(192);
        assertThat(listed.getString("entrySource")).isEqualTo("phoned_in");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            JsonArray alerts = nurse.get("/api/v1/patients/" + rivera + "/alerts").json().getJsonArray("items");
            JsonObject alert = alerts.stream().map(a -> (JsonObject) a).filter(a -> "bp_crisis".equals(a.getString("rule"))).findFirst().orElseThrow();
            assertThat(alert.getJsonArray("readings").getJsonObject(0).getString("deviceId")).isEqualTo("careloop-entered-" + rivera);
        });

        // Never a data day: the device's three days only, in the data-days view and in the database's rollup.
        JsonObject days = nurse.get("/api/v1/patients/" + rivera + "/data-days?from=" + today.minusDays(29) + "&to=" + today).json();
        assertThat(days.getInteger("dataDays")).isEqualTo(3);
        assertThat(days.encode()).doesNotContain(today.minusDays(2).toString());
        try (var c = DriverManager.getConnection(platform.jdbcUrlForTests());
             var s = c.prepareStatement("SELECT count(*), min(entered_by::text), min(entered_at) FROM ingest.entered_reading WHERE patient_id = ?::uuid")) {
            s.setString(1, rivera);
            try (var rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getString(2)).isEqualTo(nurseId);
                assertThat(rs.getTimestamp(3)).isNotNull();
            }
        }
        // The biller's readiness says why the days do not add up.
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            JsonObject readiness = biller.get("/api/v1/billing/readiness").json();
            JsonObject patient = readiness.getJsonArray("patients").stream().map(p -> (JsonObject) p)
                    .filter(p -> rivera.equals(p.getString("patientId"))).findFirst().orElseThrow();
            assertThat(patient.getJsonArray("missing").encode())
                    .contains("99454: 3 data days").contains("1 reading entered by staff in this period does not count as data days (CMS counts only device-transmitted data).");
        });
    }

    @Test
    @Order(2)
    void everyRefusal() throws Exception {
        String path = "/api/v1/patients/" + rivera + "/entered-readings";
        JsonObject weight = new JsonObject().put("type", "body_weight").put("measuredAt", Instant.now().minusSeconds(600).toString())
                .put("source", "clinic").put("weight", 81.4).put("unit", "kg");
        assertThat(new ApiClient(platform.httpPort(), null).post(path, weight).status()).isEqualTo(401);
        assertThat(biller.post(path, weight).status()).as("a biller").isEqualTo(403);
        assertThat(system.post(path, weight).status()).as("the API token is not a person").isEqualTo(403);
        assertThat(outsider.post(path, weight).status()).as("another practice's nurse").isEqualTo(404);
        assertThat(nurse.post("/api/v1/patients/" + UUID.randomUUID() + "/entered-readings", weight).status()).isEqualTo(404);
        refused(weight.copy().put("source", "email"), "'source'");
        refused(without(weight, "source"), "'source'");
        refused(weight.copy().put("type", "cholesterol"), "'type'");
        refused(without(weight, "measuredAt"), "'measuredAt'");
        refused(weight.copy().put("measuredAt", Instant.now().plus(Duration.ofHours(2)).toString()), "'measuredAt'");
        refused(weight.copy().put("unit", "stone"), "'unit'");
        refused(weight.copy().put("systolic", 120), "'systolic'");
        refused(weight.copy().put("weight", "heavy"), "'weight'");
        refused(without(weight, "weight"), "'weight'");
        refused(new JsonObject().put("type", "blood_pressure").put("measuredAt", Instant.now().minusSeconds(300).toString()).put("source", "clinic")
                .put("systolic", 400).put("diastolic", 90), "'systolic'");
        refused(new JsonObject().put("type", "blood_glucose").put("measuredAt", Instant.now().minusSeconds(300).toString()).put("source", "clinic")
                .put("glucose", 90).put("unit", "mg/dL").put("mealContext", "brunch"), "'mealContext'");
        // Nothing of the refused was stored.
        assertThat(readings().stream().map(r -> (JsonObject) r).filter(r -> r.getString("enteredBy") != null).count()).isEqualTo(1);
        var ok = nurse.post(path, weight);
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        assertThat(ok.json().getDouble("weight")).isEqualTo(81.4);
    }

    @Test
    @Order(3)
    void aNurseEntersAClinicGlucoseInTheChartAndItIsDrawnApart() throws Exception {
        signInToChart(nurseEmail);
        browser.visible(By.id("chart-enter-reading")).click();
        new Select(browser.visible(By.id("reading-type"))).selectByVisibleText("Glucose");
        browser.visible(By.id("reading-glucose")).sendKeys("52");
        new Select(browser.driver.findElement(By.id("reading-unit"))).selectByValue("mg/dL");
        new Select(browser.driver.findElement(By.id("reading-meal"))).selectByValue("fasting");
        browser.driver.findElement(By.cssSelector("input[name=reading-source][value=clinic]")).click();
        browser.driver.findElement(By.id("reading-note")).sendKeys("Fingerstick at the visit");
        browser.screenshots("70-enter-reading");
        browser.driver.findElement(By.id("reading-save")).click();
        browser.visible(By.xpath("//div[contains(@class,'toast') and contains(., 'Reading entered.')]"));
        browser.wait.until(ExpectedConditions.attributeContains(By.id("plot-glucose"), "aria-label", "1 entered by staff"));
        assertThat(browser.driver.findElement(By.id("plot-bp")).getAttribute("aria-label")).endsWith("4 readings, 1 entered by staff");
        assertThat(browser.driver.findElement(By.id("plots")).getText()).contains("Entered by staff");
        assertThat(browser.driver.getCurrentUrl()).endsWith("#/patients/" + rivera);
        browser.screenshots("71-entered-readings-drawn-apart");
        // A very low glucose entered by hand raises the same alert as a glucometer's would.
        await().atMost(Duration.ofSeconds(20)).until(() -> nurse.get("/api/v1/patients/" + rivera + "/alerts").json().getJsonArray("items").stream()
                .map(a -> (JsonObject) a).anyMatch(a -> "glucose_level2".equals(a.getString("rule"))));

        // A refusal stays in the dialog, naming the field.
        browser.visible(By.id("chart-enter-reading")).click();
        new Select(browser.visible(By.id("reading-type"))).selectByVisibleText("Blood pressure");
        browser.visible(By.id("reading-diastolic")).sendKeys("80" + Keys.TAB);
        browser.driver.findElement(By.id("reading-save")).click();
        assertThat(browser.visible(By.id("reading-error")).getText()).contains("systolic");
        browser.screenshots("72-enter-reading-refused");
    }

    @Test
    @Order(4)
    void aBillerHasNoEnterButton() throws Exception {
        signInToChart(billerEmail);
        browser.visible(By.id("plot-bp"));
        assertThat(browser.driver.findElements(By.id("chart-enter-reading"))).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private static void refused(JsonObject body, String field) throws Exception {
        var answer = nurse.post("/api/v1/patients/" + rivera + "/entered-readings", body);
        assertThat(answer.status()).as(body + " -> " + answer.body()).isEqualTo(400);
        assertThat(answer.json().getString("message")).as(body.encode()).contains(field);
    }

    private static JsonObject without(JsonObject body, String field) {
        JsonObject copy = body.copy();
        copy.remove(field);
        return copy;
    }

    private static JsonArray readings() throws Exception {
        return system.get("/api/v1/patients/" + rivera + "/readings?from=" + Instant.now().minus(Duration.ofDays(40)).truncatedTo(ChronoUnit.SECONDS))
                .json().getJsonArray("items");
    }

    private static void signInToChart(String email) {
        WEB.signInOnPage(email);
        browser.driver.executeScript("location.hash = '#/patients/" + rivera + "'");
        browser.visible(By.id("patient-name"));
    }

    private static ApiClient signIn(String email) throws Exception {
        return WEB.signIn(email);
    }

    private static JsonObject staff(String practiceId, String role, String npi) throws Exception {
        return WEB.practices().staff(practiceId, role, "Test " + role, npi);
    }
}
