package health.careloop.platform;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16's acceptance: an empty CareLoop taken to a closed CCM month through the web app alone. Only the operator's
 * set-up uses the API token: the practice and its staff accounts. Then, in the browser, a nurse registers two patients
 * with their conditions, CCM consent (taken before last month), enrolment and initiating visit, and logs last month's
 * minutes; the doctor writes one care plan established two months before the practice started with CareLoop and one
 * established last month, and records high complexity decision making for the second patient; the biller closes last
 * month: 99490 with 99439 ×2 for the first patient, 99487 with 99489 for the second.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class CcmMonthAcceptanceBrowserTest {
    static final String PASSWORD = "correct horse battery";
    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    static Platform platform;
    static HeadlessChromium browser;
    static String base;
    static String nurseEmail;
    static String doctorEmail;
    static String billerEmail;

    @BeforeAll
    static void start() throws Exception {
        browser = HeadlessChromium.start();
        platform = EmbeddedPlatforms.start();
        base = "http://127.0.0.1:" + platform.httpPort() + "/";
        // The operator's part (README, "Try it"): a practice and its people, with the API token.
        ApiClient system = new ApiClient(platform.httpPort(), platform.apiToken());
        String practice = system.id(system.post("/api/v1/practices", "{\"name\":\"Lakeside Internal Medicine\",\"timeZone\":\"America/Chicago\"}"));
        nurseEmail = staff(system, practice, "rn", null, "Robin Nurse");
        doctorEmail = staff(system, practice, "physician", "1234567893", "Okafor, Adaeze");
        billerEmail = staff(system, practice, "billing", null, "Bea Biller");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @org.junit.jupiter.api.extension.RegisterExtension
    static final org.junit.jupiter.api.extension.TestWatcher FAILURE_SCREENSHOT = new org.junit.jupiter.api.extension.TestWatcher() {
        @Override
        public void testFailed(org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
            try {
                browser.screenshot("acceptance-failed");
            } catch (Exception ignored) {
                // the failure itself is what matters
            }
        }
    };

    @Test
    void anEmptyCareLoopClosesACcmMonthWithStandardAndComplexLinesThroughTheWebApp() throws Exception {
        YearMonth month = YearMonth.now(CHICAGO).minusMonths(1);
        LocalDate since = month.atDay(1).minusDays(10);
        browser.driver.get(base);
        browser.size(HeadlessChromium.LAPTOP);

        // The nurse registers both patients and records what CCM needs.
        signInAs(nurseEmail);
        String rosa = register("MRN-3001", "Rosa", "Alvarez", "1946-08-21", "1EG4TE5MK73");
        addCondition("hypertension", "I10");
        addCondition("type 2 without", "E11.9");
        consent(since);
        enrol(since);
        visit(since);
        String james = register("MRN-3002", "James", "Okoro", "1950-02-14", "2AC3DE4FG56");
        addCondition("heart failure unspecified", "I50.9");
        addCondition("stage 3 unspecified", "N18.30");
        consent(since);
        enrol(since);
        visit(since);
        // Last month's care management minutes, from the chart's time dialog.
        logTime(rosa, month.atDay(8), 65);
        logTime(james, month.atDay(9), 95);
        browser.screenshots("acceptance-01-nurse-chart-with-time");
        signOut();

        // The doctor: Rosa's plan was written in the EHR two months before the practice started with CareLoop; James's
        // plan was established last month, when his decision making was highly complex.
        signInAs(doctorEmail);
        browser.visible(By.xpath("//h1[starts-with(., 'Alert queue')]"));
        LocalDate ehrPlan = since.minusMonths(2);
        writeCarePlan(rosa, ehrPlan, "Plan documented in the EHR at the annual visit");
        assertThat(browser.visible(By.id("care-plan-current")).getText()).contains("established " + shortDate(ehrPlan));
        writeCarePlan(james, month.atDay(3), "New heart failure plan after the cardiology referral");
        browser.click(By.id("record-complexity"));
        setValue(By.id("complexity-month"), month.toString());
        browser.visible(By.id("complexity-level")).sendKeys("High");
        browser.driver.findElement(By.id("complexity-note")).sendKeys("Diuretic titration with nephrology; two admissions avoided");
        browser.driver.findElement(By.id("complexity-save")).click();
        assertThat(browser.visible(By.id("complexity-list")).getText()).contains(month + ": high complexity");
        browser.screenshots("acceptance-02-doctor-chart");
        signOut();

        // The biller closes last month.
        signInAs(billerEmail);
        browser.visible(By.id("month-prev")).click();
        browser.visible(By.id("close-month")).click();
        browser.visible(By.id("close-confirm")).click();
        browser.visible(By.id("month-closed"));
        List<String> billed = browser.driver.findElements(By.xpath("//section[h2='Billed']//tbody/tr")).stream().map(WebElement::getText).toList();
        assertThat(billed).anySatisfy(r -> assertThat(r).contains("Alvarez, Rosa").contains("99490"));
        assertThat(billed).anySatisfy(r -> assertThat(r).contains("Alvarez, Rosa").contains("99439 ×2"));
        assertThat(billed).anySatisfy(r -> assertThat(r).contains("Okoro, James").contains("99487").contains("high complexity medical decision making"));
        assertThat(billed).anySatisfy(r -> assertThat(r).contains("Okoro, James").contains("99489"));
        assertThat(billed).noneSatisfy(r -> assertThat(r).contains("Okoro, James").contains("99490"));
        browser.screenshots("acceptance-03-month-closed");
    }

    // ---------------------------------------------------------------- steps a person takes

    private static String register(String mrn, String given, String family, String birth, String mbi) {
        browser.click(By.cssSelector("a[data-nav=patients]"));
        browser.visible(By.id("register-patient")).click();
        browser.visible(By.id("pf-mrn")).sendKeys(mrn);
        browser.driver.findElement(By.id("pf-given")).sendKeys(given);
        browser.driver.findElement(By.id("pf-family")).sendKeys(family);
        setValue(By.id("pf-birth"), birth);
        browser.driver.findElement(By.id("pf-mbi")).sendKeys(mbi);
        browser.driver.findElement(By.id("pf-phone")).sendKeys("(312) 555-0177");
        browser.driver.findElement(By.id("pf-line1")).sendKeys("9 Harbor Way");
        browser.driver.findElement(By.id("pf-city")).sendKeys("Chicago");
        browser.driver.findElement(By.id("pf-state")).sendKeys("IL");
        browser.driver.findElement(By.id("pf-zip")).sendKeys("606112345");
        browser.driver.findElement(By.id("pf-save")).click();
        browser.wait.until(d -> d.findElement(By.id("patient-name")).getText().equals(family + ", " + given));
        String url = browser.driver.getCurrentUrl();
        assertThat(url).doesNotContain(family).doesNotContain(mrn);
        return url.substring(url.indexOf("#/patients/") + "#/patients/".length());
    }

    private static void addCondition(String words, String code) {
        browser.click(By.id("add-condition"));
        WebElement input = browser.visible(By.id("condition-code"));
        input.sendKeys(words);
        By option = By.xpath("//ul[@id='condition-options']/li[strong[.='" + code + "']]");
        browser.visible(option);
        List<WebElement> options = browser.driver.findElements(By.cssSelector("#condition-options li"));
        int index = options.indexOf(browser.driver.findElement(option));
        for (int i = 0; i <= index; i++) {
            input.sendKeys(Keys.ARROW_DOWN);
        }
        input.sendKeys(Keys.ENTER);
        setValue(By.id("condition-onset"), "2017-05-01");
        browser.driver.findElement(By.id("condition-save")).click();
        browser.visible(By.xpath("//section[@id='conditions']//td[.='" + code + "']"));
    }

    private static void consent(LocalDate on) {
        browser.click(By.id("record-consent"));
        browser.visible(By.id("consent-program")).sendKeys("CCM");
        setValue(By.id("consent-date"), on.toString());
        for (String element : new String[]{"serviceAvailable", "costSharing", "onePractitionerPerMonth", "mayStopAnyTime"}) {
            browser.driver.findElement(By.id("told-" + element)).click();
        }
        browser.driver.findElement(By.id("consent-save")).click();
        browser.visible(By.xpath("//section[@id='consents']//tr[.//td[.='CCM']]"));
    }

    private static void enrol(LocalDate start) {
        browser.click(By.id("enrol"));
        browser.visible(By.id("enrol-program")).sendKeys("CCM");
        setValue(By.id("enrol-start"), start.toString());
        browser.driver.findElement(By.id("enrol-save")).click();
        browser.visible(By.xpath("//section[@id='enrolments']//tr[.//td[.='CCM']]"));
    }

    private static void visit(LocalDate on) {
        browser.click(By.id("add-visit"));
        setValue(By.id("visit-date"), on.toString());
        browser.driver.findElement(By.id("visit-save")).click();
        browser.visible(By.xpath("//section[@id='encounters']//tr[.//td[.='E/M visit']]"));
    }

    private static void logTime(String patientId, LocalDate day, int minutes) {
        browser.driver.get(base + "#/patients/" + patientId);
        browser.visible(By.id("chart-log-time")).click();
        browser.visible(By.cssSelector("input[name=program][value=ccm]")).click();
        browser.driver.findElement(By.id("time-activity")).sendKeys("Care coordination");
        setValue(By.id("time-start"), day + "T10:00");
        setValue(By.id("time-end"), day.atTime(10, 0).plusMinutes(minutes).toString());
        browser.driver.findElement(By.id("time-note")).sendKeys("Coordinated medications with the pharmacy and the specialist");
        browser.driver.findElement(By.id("time-save")).click();
        browser.visible(By.xpath("//div[contains(@class,'toast') and contains(., 'Logged " + minutes + " min of CCM time')]"));
    }

    private static void writeCarePlan(String patientId, LocalDate established, String note) {
        browser.driver.get(base + "#/patients/" + patientId);
        browser.visible(By.id("edit-care-plan")).click();
        browser.visible(By.id("cp-outcome")).sendKeys("Stable at home without admissions");
        browser.driver.findElement(By.id("cp-prognosis")).sendKeys("Fair; good with adherence");
        browser.driver.findElement(By.id("cp-symptoms")).sendKeys("Weight up 1 kg in a day or breathless: call the nurse line");
        browser.driver.findElement(By.id("cp-add-goal")).click();
        browser.driver.findElement(By.id("cp-goals-0-description")).sendKeys("Blood pressure");
        browser.driver.findElement(By.id("cp-goals-0-target")).sendKeys("SBP < 130 mmHg");
        setValue(By.id("cp-goals-0-targetDate"), LocalDate.now(CHICAGO).plusMonths(6).toString());
        browser.driver.findElement(By.id("cp-add-intervention")).click();
        browser.driver.findElement(By.id("cp-interventions-0-description")).sendKeys("Monthly call and medication review");
        browser.driver.findElement(By.id("cp-interventions-0-responsibleParty")).sendKeys("RN care manager");
        setValue(By.id("cp-review"), LocalDate.now(CHICAGO).plusMonths(3).toString());
        setValue(By.id("cp-established"), established.toString());
        WebElement change = browser.driver.findElement(By.id("cp-note"));
        change.clear();
        change.sendKeys(note);
        browser.driver.findElement(By.id("cp-save")).click();
        browser.visible(By.id("care-plan-current"));
    }

    private static String shortDate(LocalDate day) {
        return (String) browser.driver.executeScript("return new Date(arguments[0] + 'T12:00:00').toLocaleDateString(undefined, {dateStyle: 'medium'})",
                day.toString());
    }

    private static void setValue(By by, String value) {
        WebElement input = browser.visible(by);
        browser.driver.executeScript("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                + "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", input, value);
    }

    private static void signInAs(String email) {
        browser.visible(By.id("email")).sendKeys(email);
        browser.driver.findElement(By.id("password")).sendKeys(PASSWORD + Keys.ENTER);
        browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("a[data-nav=patients]")));
    }

    private static void signOut() {
        browser.click(By.id("sign-out"));
        browser.visible(By.id("signin-notice"));
    }

    private static String staff(ApiClient system, String practice, String role, String npi, String name) throws Exception {
        String email = role + "-" + UUID.randomUUID().toString().substring(0, 6) + "@example.org";
        var created = system.post("/api/v1/staff", new JsonObject().put("practiceId", practice).put("email", email).put("displayName", name)
                .put("role", role).put("npi", npi).put("password", PASSWORD));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return email;
    }
}
