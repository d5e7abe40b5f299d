package health.careloop.platform;

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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The administrator's pages: staff accounts (create, change role, reset password, deactivate, each refusal in words)
 * and the audit trail (filter by patient, staff member and dates; the CSV of the same filter). A nurse sees neither.
 * One browser and one CareLoop for the class.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdministrationBrowserTest {
    static final String PASSWORD = BrowserCareLoop.PASSWORD;

    @RegisterExtension
    static final BrowserCareLoop WEB = BrowserCareLoop.start();

    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    static Platform platform;
    static HeadlessChromium browser;
    static ApiClient system;
    static String base;
    static String practice;
    static String adminEmail;
    static String readerEmail;
    static String rivera;
    static String okoye;
    static String newEmail = "casey-" + UUID.randomUUID().toString().substring(0, 6) + "@example.org";

    @BeforeAll
    static void start() throws Exception {
        browser = WEB.browser();
        platform = WEB.platform();
        base = WEB.base();
        system = WEB.system();
        practice = system.id(system.post("/api/v1/practices", "{\"name\":\"Web S\",\"timeZone\":\"America/Chicago\"}"));
        adminEmail = staff("admin", "Ada Admin");
        readerEmail = staff("rn", "Rhea Reader");
        rivera = patient("MRN-S1", "Ana", "Rivera");
        okoye = patient("MRN-S2", "Ben", "Okoye");
        // The nurse reads Rivera's chart, and asks for a record that does not exist: both are in the trail.
        ApiClient reader = signIn(readerEmail, PASSWORD);
        assertThat(reader.get("/api/v1/patients/" + rivera).status()).isEqualTo(200);
        assertThat(reader.get("/api/v1/patients/" + rivera + "/readings?limit=5").status()).isEqualTo(200);
        assertThat(reader.get("/api/v1/patients/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    @Order(1)
    void anAdministratorCreatesAnAccountAndTheRefusalsAreShownInWords() throws Exception {
        signIn(adminEmail);
        browser.driver.findElement(By.cssSelector("a[data-nav=staff]")).click();
        browser.visible(By.xpath("//h1[.='Staff accounts']"));
        // The administrator's own row offers nothing: another administrator changes it.
        assertThat(row(adminEmail).getText()).contains("(you)");
        assertThat(row(adminEmail).findElements(By.tagName("button"))).isEmpty();

        browser.driver.findElement(By.id("new-name")).sendKeys("Casey Coordinator");
        browser.driver.findElement(By.id("new-email")).sendKeys(newEmail);
        new Select(browser.driver.findElement(By.id("new-role"))).selectByVisibleText("Registered nurse");
        assertThat(browser.driver.findElement(By.id("new-npi")).isEnabled()).as("no NPI for a nurse").isFalse();
        browser.driver.findElement(By.id("new-password")).sendKeys("first long passphrase" + Keys.ENTER);
        browser.visible(By.xpath("//div[contains(@class,'toast') and contains(., 'Account created for Casey Coordinator')]"));
        assertThat(row(newEmail).getText()).contains("Registered nurse").contains("Active");
        browser.screenshots("50-staff-accounts");
        assertThat(signIn(newEmail, "first long passphrase").get("/api/v1/auth/me").json().getString("role")).isEqualTo("rn");

        // The same e-mail again: the server's reason, in the form.
        clearAndType("new-name", "Casey Again");
        clearAndType("new-email", newEmail.toUpperCase());
        clearAndType("new-password", "first long passphrase");
        browser.driver.findElement(By.id("new-submit")).click();
        assertThat(browser.visible(By.id("new-error")).getText()).isEqualTo("An account with that e-mail address already exists.");
    }

    @Test
    @Order(2)
    void changingARoleEndsTheSessionsAndAWrongNpiIsRefusedNamingTheField() throws Exception {
        ApiClient casey = signIn(newEmail, "first long passphrase");
        signIn(adminEmail);
        browser.driver.executeScript("location.hash = '#/admin/staff'");
        row(newEmail).findElement(By.cssSelector("button[data-action=role]")).click();
        new Select(browser.visible(By.id("change-role"))).selectByVisibleText("Physician");
        browser.driver.findElement(By.id("change-npi")).sendKeys("1234567890");
        browser.driver.findElement(By.id("role-confirm")).click();
        assertThat(browser.visible(By.id("role-error")).getText()).startsWith("'npi'");
        assertThat(casey.get("/api/v1/auth/me").status()).as("a refused change ends nothing").isEqualTo(200);

        new Select(browser.driver.findElement(By.id("change-role"))).selectByVisibleText("Care coordinator");
        browser.screenshots("51-staff-change-role");
        browser.driver.findElement(By.id("role-confirm")).click();
        // Both of her sessions (the one above and the one of the first test) end.
        browser.visible(By.xpath("//div[contains(@class,'toast') and contains(., 'is now Care coordinator. 2 sessions were ended.')]"));
        assertThat(row(newEmail).getText()).contains("Care coordinator");
        assertThat(casey.get("/api/v1/auth/me").status()).isEqualTo(401);
        assertThat(signIn(newEmail, "first long passphrase").get("/api/v1/auth/me").json().getString("role")).isEqualTo("care_coordinator");
    }

    @Test
    @Order(3)
    void aPasswordIsResetAndAnAccountDeactivated() throws Exception {
        signIn(adminEmail);
        browser.driver.executeScript("location.hash = '#/admin/staff'");
        row(newEmail).findElement(By.cssSelector("button[data-action=password]")).click();
        browser.visible(By.id("reset-password")).sendKeys("short");
        browser.driver.findElement(By.id("reset-confirm")).click();
        assertThat(browser.visible(By.id("reset-error")).getText()).contains("at least 12 characters");
        clearAndType("reset-password", "second long passphrase");
        browser.driver.findElement(By.id("reset-confirm")).click();
        browser.visible(By.xpath("//div[contains(@class,'toast') and contains(., 'Password reset for Casey Coordinator')]"));
        assertThat(login(newEmail, "first long passphrase")).isEqualTo(401);
        assertThat(login(newEmail, "second long passphrase")).isEqualTo(200);

        row(newEmail).findElement(By.cssSelector("button[data-action=deactivate]")).click();
        browser.visible(By.id("deactivate-confirm"));
        browser.screenshots("52-staff-deactivate");
        browser.driver.findElement(By.id("deactivate-confirm")).click();
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-staff='" + newEmail + "']"), "Deactivated"));
        assertThat(row(newEmail).findElements(By.tagName("button"))).isEmpty();
        assertThat(login(newEmail, "second long passphrase")).isEqualTo(401);
    }

    @Test
    @Order(4)
    void theAuditTrailIsFilteredByPatientStaffMemberAndDatesAndDownloaded() throws Exception {
        signIn(adminEmail);
        browser.driver.findElement(By.cssSelector("a[data-nav=audit]")).click();
        browser.visible(By.xpath("//h1[.='Audit trail']"));
        browser.visible(By.cssSelector("#audit-results tr[data-event]"));

        new Select(browser.driver.findElement(By.id("audit-patient"))).selectByValue(rivera);
        browser.driver.findElement(By.id("audit-show")).click();
        // Rhea read Rivera's chart: her name, the path with the patient's name for its id, the answer, the address.
        WebElement read = browser.visible(By.xpath("//tr[@data-event and .//code[.='GET /patients/Rivera, Ana'] and contains(., 'Rhea Reader')]"));
        assertThat(read.getText()).contains("Done (200)").contains("127.0.0.1").contains("Rivera, Ana");
        // Every event shown named her (lists name every patient they returned, so Okoye may be beside her).
        browser.wait.until(d -> d.findElements(By.xpath("//tr[@data-event and not(contains(., 'Rivera, Ana'))]")).isEmpty());
        browser.screenshots("53-audit-by-patient");
        assertThat(browser.driver.getCurrentUrl()).endsWith("#/admin/audit").doesNotContain(rivera);

        // By staff member: her refused look-up is there too, with the path asked for.
        new Select(browser.driver.findElement(By.id("audit-patient"))).selectByValue("");
        new Select(browser.driver.findElement(By.id("audit-staff"))).selectByVisibleText("Rhea Reader");
        browser.driver.findElement(By.id("audit-show")).click();
        browser.visible(By.xpath("//tr[@data-event and .//code[.='GET /patients/…'] and contains(., 'Not found (404)')]"));
        browser.wait.until(d -> d.findElements(By.xpath("//tr[@data-event and not(contains(., 'Rhea Reader'))]")).isEmpty());

        // Dates are the practice's days: yesterday holds nothing of hers, today everything.
        LocalDate today = LocalDate.now(CHICAGO);
        date("audit-from", today.minusDays(3));
        date("audit-to", today.minusDays(1));
        browser.driver.findElement(By.id("audit-show")).click();
        browser.visible(By.xpath("//p[.='No audit events match.']"));
        date("audit-to", today);
        browser.driver.findElement(By.id("audit-show")).click();
        browser.visible(By.xpath("//tr[@data-event and contains(., 'Rhea Reader')]"));

        browser.driver.findElement(By.id("audit-csv")).click();
        Path csv = browser.downloads.resolve("audit-events.csv");
        browser.wait.until(d -> Files.exists(csv));
        String text = Files.readString(csv);
        assertThat(text).contains("/api/v1/patients/" + rivera).contains("404");
        assertThat(text.lines().skip(1).filter(l -> !l.isBlank()).count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    @Order(5)
    void aNurseHasNeitherPage() throws Exception {
        signIn(readerEmail);
        browser.visible(By.cssSelector("a[data-nav=queue]"));
        assertThat(browser.driver.findElement(By.cssSelector("a[data-nav=staff]")).isDisplayed()).isFalse();
        assertThat(browser.driver.findElement(By.cssSelector("a[data-nav=audit]")).isDisplayed()).isFalse();
        browser.driver.executeScript("location.hash = '#/admin/staff'");
        assertThat(browser.visible(By.cssSelector("p.notice")).getText()).contains("Only a practice administrator");
        browser.driver.executeScript("location.hash = '#/admin/audit'");
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("p.notice"), "reads the audit trail"));
    }

    // ------------------------------------------------------------------ helpers

    private static WebElement row(String email) {
        return browser.visible(By.cssSelector("tr[data-staff='" + email + "']"));
    }

    private static void clearAndType(String id, String text) {
        WebElement field = browser.driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    /** A date input takes the locale's order from the keyboard; set its value as a script would. */
    private static void date(String id, LocalDate day) {
        browser.driver.executeScript("document.getElementById(arguments[0]).value = arguments[1]", id, day.toString());
    }

    private static void signIn(String email) {
        WEB.signInOnPage(email);
    }

    private static int login(String email, String password) throws Exception {
        return new ApiClient(platform.httpPort(), null).post("/api/v1/auth/login",
                new JsonObject().put("email", email).put("password", password).encode()).status();
    }

    private static ApiClient signIn(String email, String password) throws Exception {
        return WEB.signIn(email, password);
    }

    private static String patient(String ref, String given, String family) throws Exception {
        String id = system.id(system.post("/api/v1/patients", new JsonObject().put("practiceId", practice).put("externalRef", ref)));
        var profile = system.post("/api/v1/patients/" + id + "/profile", new JsonObject().put("givenName", given).put("familyName", family)
                .put("birthDate", "1950-03-04").put("sex", "female"));
        assertThat(profile.status()).as(profile.body()).isBetween(200, 201);
        return id;
    }

    private static String staff(String role, String name) throws Exception {
        return WEB.staff(practice, role, name);
    }
}
