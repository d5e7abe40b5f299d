package health.careloop.platform;

import health.careloop.billing.export.Claim837Export;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A biller works a closed month's corrections in Chromium: after the nurse adjusted a call of the closed month, the
 * billing month's "Corrections after close" section recomputes on a click and lists the corrected claim (frequency 7)
 * with what changed in words and what it waits for; a second click records nothing new.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BillingCorrectionsBrowserTest {
    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    @RegisterExtension
    static final BrowserCareLoop WEB = BrowserCareLoop.start();

    static HeadlessChromium browser;
    static ApiClient system;
    static String practice;
    static String billerEmail;
    static ApiClient nurse;
    static String nurseId;
    static String doctorId;
    static YearMonth lastMonth;

    @BeforeAll
    static void start() throws Exception {
        browser = WEB.browser();
        system = WEB.system();
        // UTC: the browser's own month (the page's "current month") is the server's.
        practice = system.id(system.post("/api/v1/practices", "{\"name\":\"Web C\",\"timeZone\":\"America/Chicago\"}"));
        billerEmail = WEB.staff(practice, "billing", "Bea Biller");
        nurse = WEB.signIn(WEB.staff(practice, "rn", "Robin Nurse"));
        nurseId = nurse.get("/api/v1/auth/me").json().getString("staffId");
        doctorId = WEB.signIn(WEB.staff(practice, "physician", "Okafor, Adaeze", "1234567893")).get("/api/v1/auth/me").json().getString("staffId");
        lastMonth = YearMonth.now(ZoneId.systemDefault()).minusMonths(1);
    }

    @Test
    void aBillerRecomputesCorrectionsAndSeesWhatChanged() throws Exception {
        String patient = rpmPatient();
        Instant call = lastMonth.atDay(10).atTime(9, 0).atZone(CHICAGO).toInstant();
        var logged = nurse.post("/api/v1/time-entries", new JsonObject().put("patientId", patient).put("program", "rpm").put("activity", "patient_call")
                .put("startedAt", call.toString()).put("endedAt", call.plusSeconds(25 * 60).toString()).put("interactive", true).put("interactionMode", "phone"));
        BrowserCareLoop.ok(logged);
        ApiClient biller = WEB.signIn(billerEmail);
        BrowserCareLoop.ok(biller.post("/api/v1/billing/months/" + lastMonth + "/close", "{}"));
        // After the close the nurse finds the call ran 45 minutes: 99458 is now due.
        BrowserCareLoop.ok(nurse.post("/api/v1/time-entries/" + logged.json().getString("id") + "/adjust", new JsonObject()
                .put("endedAt", call.plusSeconds(45 * 60).toString()).put("reason", "the call ran 45 minutes (paper log)")));

        WEB.signInOnPage(billerEmail);
        browser.driver.executeScript("location.hash = '#/billing'");
        browser.visible(By.id("month-prev")).click();
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("month-closed"), "Closed by"));
        assertThat(browser.visible(By.id("no-corrections")).getText()).startsWith("No corrections");

        browser.visible(By.id("recompute-corrections")).click();
        String claim = Claim837Export.claimControlNumber(UUID.fromString(patient), lastMonth, 1);
        WebElement row = browser.visible(By.cssSelector("tr[data-claim='" + claim + "']"));
        assertThat(row.getText()).contains("Corrected claim (7)").contains("Added 99458 (1 unit)")
                .contains("waiting for the payer's claim number of " + claim + " (import the 277CA that accepted it, or enter it on the billing page)");
        browser.screenshots("60-billing-corrections-after-close");

        // Running it again records nothing new: still one correction.
        browser.visible(By.id("recompute-corrections")).click();
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("toasts"), "no new correction"));
        assertThat(browser.driver.findElements(By.cssSelector("#corrections tr[data-claim]"))).hasSize(1);
        assertThat(biller.get("/api/v1/billing/months/" + lastMonth + "/corrections").json().getJsonArray("corrections")).hasSize(1);
    }

    private static String rpmPatient() throws Exception {
        String patient = system.id(system.post("/api/v1/patients", new JsonObject().put("practiceId", practice)
                .put("externalRef", "MRN-" + UUID.randomUUID().toString().substring(0, 8))));
        LocalDate since = LocalDate.now(CHICAGO).minusDays(70);
        BrowserCareLoop.ok(nurse.post("/api/v1/patients/" + patient + "/conditions", new JsonObject().put("icd10", "I10")
                .put("description", "Essential hypertension").put("onset", "2019-01-01").put("expectedDuration", "lifelong").put("significantRisk", true)));
        BrowserCareLoop.ok(nurse.post("/api/v1/patients/" + patient + "/consents", new JsonObject().put("program", "rpm").put("method", "written")
                .put("obtainedOn", since.toString()).put("obtainedBy", nurseId).put("told", new JsonObject().put("costSharing", true)).put("accepted", true)));
        BrowserCareLoop.ok(nurse.post("/api/v1/patients/" + patient + "/enrolments", new JsonObject().put("program", "rpm")
                .put("startDate", since.toString()).put("billingPractitionerId", doctorId)));
        BrowserCareLoop.ok(nurse.post("/api/v1/patients/" + patient + "/profile", new JsonObject().put("givenName", "Jane").put("familyName", "Doe")
                .put("birthDate", "1948-05-17").put("sex", "female").put("mbi", "1EG4TE5MK73")
                .put("address", new JsonObject().put("line1", "12 Elm St").put("city", "Evanston").put("state", "IL").put("zip", "60201"))));
        return patient;
    }
}
