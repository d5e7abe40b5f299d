package health.careloop.platform;

import health.careloop.billing.acks.AcknowledgementFiles;
import health.careloop.billing.acks.AcknowledgementFiles.ClaimAnswer;
import health.careloop.billing.export.Claim837Export;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18, claim acknowledgements in the web app: a biller opens last month's billing (its 837P already downloaded, so
 * its claims are sent), sees each claim's status and the status column of the billed lines, uploads a malformed file
 * (refused in words), a 277CA that accepts one claim and rejects the other (the rejection and its reason shown, the
 * claim flagged to fix and resend), one naming a claim of no practice claim (listed as not applied), and enters the
 * payer's claim number by hand. A nurse gets no billing page.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClaimAcknowledgementsBrowserTest {
    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    @RegisterExtension
    static final BrowserCareLoop WEB = BrowserCareLoop.start();

    static HeadlessChromium browser;
    static ApiClient system;
    static String practice;
    static String billerEmail;
    static String nurseEmail;
    static ApiClient nurse;
    static String nurseId;
    static String doctorId;
    static YearMonth lastMonth;
    static String ann;
    static String bob;

    @BeforeAll
    static void start() throws Exception {
        browser = WEB.browser();
        system = WEB.system();
        lastMonth = YearMonth.now(CHICAGO).minusMonths(1);
        practice = system.id(system.post("/api/v1/practices", "{\"name\":\"Web Acks\",\"timeZone\":\"America/Chicago\"}"));
        billerEmail = WEB.staff(practice, "billing", "Bea Biller");
        nurseEmail = WEB.staff(practice, "rn", "Robin Nurse");
        nurse = WEB.signIn(nurseEmail);
        nurseId = nurse.get("/api/v1/auth/me").json().getString("staffId");
        String doctorEmail = WEB.staff(practice, "physician", "Okafor, Adaeze", BillingExportApiTest.DOCTOR_NPI);
        doctorId = WEB.signIn(doctorEmail).get("/api/v1/auth/me").json().getString("staffId");
        ann = billedPatient("Ann", "Poe", "1EG4TE5MK73", 3);
        bob = billedPatient("Bob", "Roe", "2CD5EF6GH78", 4);
        ApiClient biller = WEB.signIn(billerEmail);
        BrowserCareLoop.ok(biller.post("/api/v1/billing/months/" + lastMonth + "/close", "{}"));
        BrowserCareLoop.ok(biller.put("/api/v1/billing/profile", BillingExportApiTest.validProfile()));
        assertThat(biller.getResponse("/api/v1/billing/months/" + lastMonth + "/claims.837").statusCode()).isEqualTo(200); // sent
    }

    static String billedPatient(String given, String family, String mbi, int day) throws Exception {
        String patient = system.id(system.post("/api/v1/patients", new JsonObject().put("practiceId", practice)
                .put("externalRef", "MRN-" + UUID.randomUUID().toString().substring(0, 8))));
        LocalDate since = LocalDate.now(CHICAGO).minusDays(70);
        BrowserCareLoop.ok(nurse.post("/api/v1/patients/" + patient + "/conditions", new JsonObject().put("icd10", "I10").put("description", "Hypertension")
                .put("onset", "2019-01-01").put("expectedDuration", "lifelong").put("significantRisk", true)));
        BrowserCareLoop.ok(nurse.post("/api/v1/patients/" + patient + "/consents", new JsonObject().put("program", "rpm").put("method", "written")
                .put("obtainedOn", since.toString()).put("obtainedBy", nurseId).put("told", new JsonObject().put("costSharing", true)).put("accepted", true)));
        BrowserCareLoop.ok(nurse.post("/api/v1/patients/" + patient + "/enrolments", new JsonObject().put("program", "rpm")
                .put("startDate", since.toString()).put("billingPractitionerId", doctorId)));
        BrowserCareLoop.ok(nurse.post("/api/v1/patients/" + patient + "/profile", new JsonObject().put("givenName", given).put("familyName", family)
                .put("birthDate", "1948-05-17").put("sex", "female").put("mbi", mbi).put("address", new JsonObject().put("line1", "12 Elm St")
                        .put("city", "Evanston").put("state", "IL").put("zip", "60201"))));
        BrowserCareLoop.ok(nurse.post("/api/v1/time-entries", new JsonObject().put("patientId", patient).put("program", "rpm").put("activity", "patient_call")
                .put("startedAt", lastMonth.atDay(day).atTime(9, 0).atZone(CHICAGO).toInstant().toString())
                .put("endedAt", lastMonth.atDay(day).atTime(9, 25).atZone(CHICAGO).toInstant().toString()).put("interactive", true).put("interactionMode", "phone")));
        return patient;
    }

    @Test
    void aBillerImportsA277caSeesTheRejectionInWordsAndEntersAPayerNumber() throws Exception {
        String annClaim = Claim837Export.claimControlNumber(UUID.fromString(ann), lastMonth, 1);
        String bobClaim = Claim837Export.claimControlNumber(UUID.fromString(bob), lastMonth, 1);
        WEB.signInOnPage(billerEmail);
        browser.driver.executeScript("location.hash = '#/billing'");
        browser.visible(By.id("month-prev")).click();
        browser.visible(By.id("claim-statuses"));
        assertThat(claimRow(annClaim).getText()).contains("SENT waiting for the clearinghouse's 999").contains("99457").contains("Poe");
        assertThat(browser.driver.findElement(By.id("month-closed")).getText()).contains("Closed by");
        assertThat(browser.driver.findElements(By.cssSelector(".claim-status[data-status='sent']")).size()).as("lines and claims").isEqualTo(4);
        browser.screenshots("60-billing-claims-sent");

        // A file that is not an acknowledgement: refused in words, nothing changes.
        upload("not-an-ack.txt", "Thank you for your submission.");
        assertThat(browser.visible(By.id("ack-error")).getText()).startsWith("This is not an X12 file");

        // The payer's 277CA: Ann accepted, Bob rejected for his member number.
        upload("ack-1.277", AcknowledgementFiles.ack277("7101", List.of(new ClaimAnswer(annClaim, "A2", "20", "PR", null),
                ClaimAnswer.rejected(bobClaim, "A7", "164", "IL"))));
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("ack-summary"), "277CA imported: 2 claim(s) updated"));
        assertThat(browser.visible(By.id("ack-applied")).getText()).contains("Roe").contains("A7 rejected for invalid information");
        WebElement bobRow = claimRow(bobClaim);
        assertThat(bobRow.getAttribute("class")).contains("rejected");
        assertThat(bobRow.getText()).contains("REJECTED").contains("277CA: A7 rejected for invalid information: 164 entity's contract/member number (subscriber)");
        assertThat(claimRow(annClaim).getText()).contains("ACCEPTED by the payer");
        assertThat(browser.visible(By.id("claims-rejected")).getText()).contains("1 claim was rejected").contains("download the 837P again");
        assertThat(browser.driver.findElements(By.cssSelector("td .claim-status[data-status='rejected']")).size()).as("Bob's line and claim").isEqualTo(2);
        browser.screenshots("61-billing-claim-rejected");

        // A claim that is no claim of this practice: listed as not applied.
        String stranger = Claim837Export.claimControlNumber(UUID.randomUUID(), lastMonth, 1);
        upload("ack-2.277", AcknowledgementFiles.ack277("7102", List.of(ClaimAnswer.accepted(stranger, "1"))));
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("ack-unmatched"), stranger));
        assertThat(browser.visible(By.id("ack-unmatched")).getText()).contains("not a claim of this practice");

        // The payer's number for Ann, from the remittance; a bad one refused in the dialog.
        browser.visible(By.cssSelector("button.payer-number[data-claim='" + annClaim + "']")).click();
        WebElement number = browser.visible(By.id("payer-number"));
        browser.driver.executeScript("document.getElementById('payer-number').removeAttribute('pattern')"); // let the server judge it
        number.sendKeys("2226 30");
        browser.driver.findElement(By.id("payer-number-save")).click();
        assertThat(browser.visible(By.id("payer-number-error")).getText()).contains("payerClaimNumber").contains("letters, digits or hyphens");
        number.clear();
        number.sendKeys("2226301234567");
        browser.driver.findElement(By.id("payer-number-save")).click();
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-claim='" + annClaim + "']"), "2226301234567"));
        assertThat(claimRow(annClaim).getText()).contains("(entered by hand)");
        assertThat(system.get("/api/v1/billing/claims/" + annClaim + "/status?practiceId=" + practice).json().getString("payerClaimNumber"))
                .isEqualTo("2226301234567");
        browser.screenshots("62-billing-payer-number");
    }

    @Test
    void aNurseHasNoAcknowledgementUpload() {
        WEB.signInOnPage(nurseEmail);
        browser.driver.executeScript("location.hash = '#/billing'");
        assertThat(browser.visible(By.id("billing-refused")).getText()).contains("Your role does not include it");
        assertThat(browser.driver.findElements(By.id("ack-file"))).isEmpty();
    }

    private static WebElement claimRow(String claim) {
        return browser.visible(By.cssSelector("tr[data-claim='" + claim + "']"));
    }

    private static void upload(String fileName, String text) throws Exception {
        Path dir = Files.createTempDirectory("careloop-acks");
        Path file = dir.resolve(fileName);
        Files.writeString(file, text);
        WebElement input = browser.visible(By.id("ack-file"));
        input.sendKeys(file.toAbsolutePath().toString());
        browser.driver.findElement(By.id("ack-import")).click();
    }
}
