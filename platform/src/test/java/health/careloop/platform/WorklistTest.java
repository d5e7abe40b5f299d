package health.careloop.platform;

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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static health.careloop.platform.BrowserCareLoop.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monthly care-management worklist: the API (what it lists, every refusal, the audit of the patients it named) and
 * the page (who to call today first, another order, one click to log a call or start a timer; a biller only views).
 * One CareLoop and one browser for the class.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorklistTest {
    static final String NPI = "1234567893";
    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    @RegisterExtension
    static final BrowserCareLoop WEB = BrowserCareLoop.start();

    static Platform platform;
    static HeadlessChromium browser;
    static ApiClient system;
    static String base;
    static String practice;
    static String otherPractice;
    static String doctorId;
    static String nurseId;
    static ApiClient nurse;
    static String coordinatorEmail;
    static String coordinatorId;
    static ApiClient coordinator;
    static String billerEmail;
    static ApiClient admin;
    static String rivera;
    static String okoye;
    static String lind;

    @BeforeAll
    static void start() throws Exception {
        browser = WEB.browser();
        platform = WEB.platform();
        base = WEB.base();
        system = WEB.system();
        practice = system.id(system.post("/api/v1/practices", "{\"name\":\"Worklist A\",\"timeZone\":\"America/Chicago\"}"));
        otherPractice = system.id(system.post("/api/v1/practices", "{\"name\":\"Worklist B\",\"timeZone\":\"America/Denver\"}"));
        doctorId = staff(practice, "physician", "Dr Okafor", NPI).getString("id");
        JsonObject n = staff(practice, "rn", "Robin Nurse", null);
        nurseId = n.getString("id");
        nurse = signIn(n.getString("email"));
        JsonObject cc = staff(practice, "care_coordinator", "Casey Coordinator", null);
        coordinatorEmail = cc.getString("email");
        coordinatorId = cc.getString("id");
        coordinator = signIn(coordinatorEmail);
        billerEmail = staff(practice, "billing", "Bea Biller", null).getString("email");
        admin = signIn(staff(practice, "admin", "Ada Admin", null).getString("email"));

        rivera = patient("MRN-W1", "Ana", "Rivera", List.of("rpm", "ccm"));
        okoye = patient("MRN-W2", "Ben", "Okoye", List.of("ccm"));
        lind = patient("MRN-W3", "Cara", "Lind", List.of("rpm"));
        patient("MRN-W4", "Dan", "Notenrolled", List.of());
        // Twelve minutes of CCM care coordination for Rivera an hour ago (no call).
        Instant start = Instant.now().minus(Duration.ofMinutes(60)).truncatedTo(ChronoUnit.MINUTES);
        if (start.atZone(CHICAGO).getMonth() != Instant.now().atZone(CHICAGO).getMonth()) {
            start = LocalDate.now(CHICAGO).withDayOfMonth(1).atStartOfDay(CHICAGO).toInstant();
        }
        var logged = nurse.post("/api/v1/time-entries", new JsonObject().put("patientId", rivera).put("program", "ccm").put("activity", "care_coordination")
                .put("startedAt", start.toString()).put("endedAt", start.plus(Duration.ofMinutes(12)).toString()));
        assertThat(logged.status()).as(logged.body()).isEqualTo(201);
    }

    @Test
    @Order(1)
    void theWorklistListsEveryEnrolledPatientWithMinutesThresholdsAndWhyToCall() throws Exception {
        var answer = coordinator.get("/api/v1/care-management/worklist");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonObject list = answer.json();
        assertThat(list.getString("month")).isEqualTo(LocalDate.now(CHICAGO).toString().substring(0, 7));
        JsonArray items = list.getJsonArray("items");
        assertThat(items.stream().map(i -> ((JsonObject) i).getString("patientId"))).containsExactlyInAnyOrder(rivera, okoye, lind);
        JsonObject r = item(items, rivera);
        assertThat(r.getString("name")).isEqualTo("Rivera, Ana");
        JsonObject ccm = program(r, "ccm");
        assertThat(ccm.getInteger("minutes")).isEqualTo(12);
        assertThat(ccm.getJsonObject("next")).isEqualTo(new JsonObject().put("target", 20).put("code", "99490"));
        assertThat(ccm.getInteger("minutesToNext")).isEqualTo(8);
        assertThat(ccm.getBoolean("counting")).isTrue();
        assertThat(program(r, "rpm").getInteger("minutes")).isZero();
        assertThat(program(r, "rpm").getJsonObject("next").getString("code")).isEqualTo("99470");
        // No call yet this month: the RPM patients are to be called; Okoye (CCM only, early or not) is listed after them.
        assertThat(item(items, lind).getJsonArray("callToday").getList()).contains("RPM: no call or video with the patient yet this month; 99457 and 99470 need one.");
        assertThat(item(items, lind).getString("lastContactAt")).isNull();
        if (item(items, okoye).getJsonArray("callToday").isEmpty()) {
            assertThat(((JsonObject) items.getValue(2)).getString("patientId")).as("nothing pressing for the CCM-only patient: listed last").isEqualTo(okoye);
        }

        // Every patient it named is in the audit trail of the call.
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            JsonArray events = admin.get("/api/v1/audit-events?staffId=" + coordinatorId).json().getJsonArray("items");
            JsonObject read = events.stream().map(e -> (JsonObject) e).filter(e -> "/api/v1/care-management/worklist".equals(e.getString("resource")))
                    .findFirst().orElseThrow();
            assertThat(read.getJsonArray("patientIds").getList()).containsExactlyInAnyOrder(rivera, okoye, lind);
        });
    }

    @Test
    @Order(2)
    void refusalsAnonymousAnotherPracticeAndBadInput() throws Exception {
        assertThat(new ApiClient(platform.httpPort(), null).get("/api/v1/care-management/worklist").status()).isEqualTo(401);
        var noPractice = system.get("/api/v1/care-management/worklist");
        assertThat(noPractice.status()).isEqualTo(400);
        assertThat(noPractice.json().getString("message")).contains("'practiceId'");
        var garbage = system.get("/api/v1/care-management/worklist?practiceId=not-a-uuid");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.json().getString("message")).contains("practiceId");
        assertThat(system.get("/api/v1/care-management/worklist?practiceId=" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(system.get("/api/v1/care-management/worklist?practiceId=" + practice).json().getJsonArray("items")).hasSize(3);
        // Another practice's staff: 404 for A's id, their own (empty) list otherwise, never one of A's patients.
        ApiClient outsider = signIn(staff(otherPractice, "care_coordinator", "Olli Outsider", null).getString("email"));
        assertThat(outsider.get("/api/v1/care-management/worklist?practiceId=" + practice).status()).isEqualTo(404);
        var own = outsider.get("/api/v1/care-management/worklist");
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().getJsonArray("items")).isEmpty();
        assertThat(own.body()).doesNotContain(rivera).doesNotContain("Rivera");
    }

    @Test
    @Order(3)
    void aCoordinatorLogsACallFromTheWorklistAndTheRowCatchesUp() throws Exception {
        signInToPage(coordinatorEmail);
        browser.driver.findElement(By.cssSelector("a[data-nav=worklist]")).click();
        browser.visible(By.xpath("//h1[starts-with(., 'Care management')]"));
        // Who to call today first: the rows with reasons precede the one without.
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("#worklist-rows tr[data-patient]"));
        assertThat(rows).hasSize(3);
        int lastDue = -1;
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).getAttribute("class") != null && rows.get(i).getAttribute("class").contains("is-due")) {
                assertThat(i).as("a row to call after one without reasons").isEqualTo(lastDue + 1);
                lastDue = i;
            }
        }
        assertThat(lastDue).isGreaterThanOrEqualTo(1);
        assertThat(row(rivera).getText()).contains("CCM 12 min").contains("8 more for 99490 (20 min)").contains("RPM 0 min");
        browser.screenshots("60-worklist");

        new Select(browser.driver.findElement(By.id("worklist-order"))).selectByVisibleText("Name");
        List<String> names = browser.driver.findElements(By.cssSelector("#worklist-rows tr[data-patient] a")).stream().map(WebElement::getText).toList();
        assertThat(names).containsExactly("Lind, Cara", "Okoye, Ben", "Rivera, Ana");
        assertThat(browser.driver.getCurrentUrl()).endsWith("#/worklist");

        // One click: a call with Lind, interactive by phone preselected, with a note.
        row(lind).findElement(By.cssSelector("button[data-action=call]")).click();
        assertThat(new Select(browser.visible(By.id("time-activity"))).getFirstSelectedOption().getText()).isEqualTo("Call with the patient");
        assertThat(browser.driver.findElement(By.id("time-interactive")).isSelected()).isTrue();
        assertThat(browser.driver.findElement(By.cssSelector("input[name=program][value=rpm]")).isSelected()).isTrue();
        browser.driver.findElement(By.id("time-note")).sendKeys("Reviewed readings with the patient; cuff technique ok");
        browser.screenshots("61-worklist-log-call");
        browser.driver.findElement(By.id("time-save")).click();
        browser.visible(By.xpath("//div[contains(@class,'toast') and contains(., 'Logged 15 min of RPM time')]"));
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-patient='" + lind + "']"), "RPM 15 min"));
        assertThat(row(lind).getText()).contains("ago").doesNotContain("no call or video");
        JsonObject entry = coordinator.get("/api/v1/patients/" + lind + "/time-entries").json().getJsonArray("items").getJsonObject(0);
        assertThat(entry.getString("activity")).isEqualTo("patient_call");
        assertThat(entry.getString("interactionMode")).isEqualTo("phone");
        assertThat(entry.getString("note")).isEqualTo("Reviewed readings with the patient; cuff technique ok");
    }

    @Test
    @Order(4)
    void oneClickStartsATimerForTheProgramNearestItsThreshold() throws Exception {
        signInToPage(coordinatorEmail);
        browser.driver.executeScript("location.hash = '#/worklist'");
        WebElement start = row(okoye).findElement(By.cssSelector("button[data-action=timer]"));
        assertThat(start.getText()).isEqualTo("Start CCM timer");
        start.sendKeys(Keys.ENTER);
        assertThat(browser.visible(By.id("timer-bar")).getText()).contains("CCM timer");
        browser.screenshots("62-worklist-timer");
        Thread.sleep(1500);
        browser.driver.findElement(By.id("timer-stop")).click();
        browser.visible(By.id("stop-confirm")).click();
        browser.visible(By.xpath("//div[contains(@class,'toast') and contains(., 'of CCM time')]"));
        browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("timer-stop")));
        JsonArray entries = coordinator.get("/api/v1/patients/" + okoye + "/time-entries").json().getJsonArray("items");
        assertThat(entries).hasSize(1);
        assertThat(entries.getJsonObject(0).getString("program")).isEqualTo("ccm");
        assertThat(entries.getJsonObject(0).getString("staffId")).isEqualTo(coordinatorId);
    }

    @Test
    @Order(5)
    void aBillerSeesTheWorklistButCannotLogTime() throws Exception {
        signInToPage(billerEmail);
        browser.driver.executeScript("location.hash = '#/worklist'");
        assertThat(row(rivera).getText()).contains("View only");
        assertThat(row(rivera).findElements(By.tagName("button"))).isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private static JsonObject item(JsonArray items, String patient) {
        return items.stream().map(i -> (JsonObject) i).filter(i -> patient.equals(i.getString("patientId"))).findFirst().orElseThrow();
    }

    private static JsonObject program(JsonObject item, String program) {
        return item.getJsonArray("programs").stream().map(p -> (JsonObject) p).filter(p -> program.equals(p.getString("program"))).findFirst().orElseThrow();
    }

    private static WebElement row(String patient) {
        return browser.visible(By.cssSelector("tr[data-patient='" + patient + "']"));
    }

    private static void signInToPage(String email) {
        WEB.signInOnPage(email);
    }

    private static ApiClient signIn(String email) throws Exception {
        return WEB.signIn(email);
    }

    private static JsonObject staff(String practiceId, String role, String name, String npi) throws Exception {
        return WEB.practices().staff(practiceId, role, name, npi);
    }

    /** A patient with hypertension and diabetes, consented and enrolled (since 70 days ago) in the given programs. */
    private static String patient(String ref, String given, String family, List<String> programs) throws Exception {
        String id = system.id(system.post("/api/v1/patients", new JsonObject().put("practiceId", practice).put("externalRef", ref)));
        ok(nurse.post("/api/v1/patients/" + id + "/profile", new JsonObject().put("givenName", given).put("familyName", family)
                .put("birthDate", "1950-03-04").put("sex", "female")));
        for (String icd : List.of("I10", "E11.9")) {
            ok(nurse.post("/api/v1/patients/" + id + "/conditions", new JsonObject().put("icd10", icd).put("description", icd)
                    .put("onset", "2019-01-01").put("expectedDuration", "lifelong").put("significantRisk", true)));
        }
        LocalDate since = LocalDate.now(CHICAGO).minusDays(70);
        for (String program : programs) {
            JsonObject told = program.equals("ccm") ? new JsonObject().put("serviceAvailable", true).put("costSharing", true)
                    .put("onePractitionerPerMonth", true).put("mayStopAnyTime", true) : new JsonObject().put("costSharing", true);
            ok(nurse.post("/api/v1/patients/" + id + "/consents", new JsonObject().put("program", program).put("method", "written")
                    .put("obtainedOn", since.toString()).put("obtainedBy", nurseId).put("told", told).put("accepted", true)));
            ok(nurse.post("/api/v1/patients/" + id + "/enrolments", new JsonObject().put("program", program).put("startDate", since.toString())
                    .put("billingPractitionerId", doctorId)));
        }
        return id;
    }
}
