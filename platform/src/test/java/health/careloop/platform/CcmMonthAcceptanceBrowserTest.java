package health.careloop.platform;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16's acceptance: an empty CareLoop taken to a closed CCM month through the web app alone, nothing done with the
 * API token but pasting it into the setup page. The person who installed CareLoop sets it up (a wrong token refused in
 * words) and signs in as its administrator, who creates the nurse, care coordinator, physician and biller on the Staff
 * page. The nurse registers two patients with their conditions, CCM consent (taken before last month), enrolment and
 * initiating visit, and logs one patient's minutes; the care coordinator logs the other's; the doctor writes one care
 * plan established two months before the practice started with CareLoop and one established last month, records high
 * complexity decision making for the second patient, and withdraws a record made on the wrong chart; the biller closes
 * last month: 99490 with 99439 ×2 for the first patient, 99487 with 99489 for the second. Afterwards the closed month
 * refuses a new complexity record and a withdrawal in words, and the setup page is gone for good.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class CcmMonthAcceptanceBrowserTest {
    static final String PASSWORD = BrowserCareLoop.PASSWORD;
    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    @RegisterExtension
    static final BrowserCareLoop WEB = BrowserCareLoop.start();

    static HeadlessChromium browser;
    static String base;
    static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    static final String ADMIN = "ada-" + SUFFIX + "@example.org";
    static final String NURSE = "robin-" + SUFFIX + "@example.org";
    static final String COORDINATOR = "casey-" + SUFFIX + "@example.org";
    static final String DOCTOR = "adaeze-" + SUFFIX + "@example.org";
    static final String BILLER = "bea-" + SUFFIX + "@example.org";

    @BeforeAll
    static void start() {
        browser = WEB.browser();
        base = WEB.base();
    }

    @Test
    void anEmptyCareLoopClosesACcmMonthWithStandardAndComplexLinesThroughTheWebApp() throws Exception {
        YearMonth month = YearMonth.now(CHICAGO).minusMonths(1);
        LocalDate since = month.atDay(1).minusDays(10);
        String monthWords = month.getMonth().getDisplayName(TextStyle.FULL, Locale.US) + " " + month.getYear();

        // Whoever installed CareLoop: a fresh install offers the setup, and only with this install's token.
        setUp();
        // The administrator signs in (the setup filled in the address) and creates everyone else.
        browser.visible(By.id("password")).sendKeys(PASSWORD + Keys.ENTER);
        browser.visible(By.id("sign-out"));
        browser.click(By.cssSelector("a[data-nav=staff]"));
        browser.visible(By.xpath("//h1[.='Staff accounts']"));
        createAccount("Robin Nurse", NURSE, "rn", null);
        createAccount("Casey Coordinator", COORDINATOR, "care_coordinator", null);
        createAccount("Okafor, Adaeze", DOCTOR, "physician", "1234567893");
        createAccount("Bea Biller", BILLER, "billing", null);
        browser.screenshots("acceptance-01-staff-created");
        signOut();

        // The nurse registers both patients, records what CCM needs and logs James's minutes.
        signInAs(NURSE);
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
        logTime(james, month.atDay(9), 95);
        browser.screenshots("acceptance-02-nurse-chart-with-time");
        signOut();

        // The care coordinator logs Rosa's calls and coordination of last month from her chart.
        signInAs(COORDINATOR);
        logTime(rosa, month.atDay(8), 65);
        signOut();

        // The doctor: Rosa's plan was written in the EHR two months before the practice started with CareLoop; James's
        // plan was established last month, when his decision making was highly complex.
        signInAs(DOCTOR);
        browser.visible(By.xpath("//h1[starts-with(., 'Alert queue')]"));
        LocalDate ehrPlan = since.minusMonths(2);
        writeCarePlan(rosa, ehrPlan, "Plan documented in the EHR at the annual visit");
        assertThat(browser.visible(By.id("care-plan-current")).getText()).contains("established " + shortDate(ehrPlan));
        // A record made on the wrong chart is withdrawn with the reason; it stays in Rosa's chart as withdrawn.
        recordComplexity(month, "Moderate", "Meant for another patient");
        assertThat(browser.visible(By.id("complexity-list")).getText()).contains(month + ": moderate complexity");
        browser.click(By.cssSelector("#complexity-list button[data-withdraw='" + month + "']"));
        browser.visible(By.id("complexity-withdraw-save")).click();
        assertThat(browser.visible(By.id("complexity-withdraw-save-error")).getText()).as("a reason is required").contains("'reason'");
        browser.driver.findElement(By.id("complexity-withdraw-reason")).sendKeys("Recorded on the wrong patient's chart");
        browser.driver.findElement(By.id("complexity-withdraw-save")).click();
        WebElement withdrawn = browser.visible(By.cssSelector("#complexity-list li[data-withdrawn='" + month + "']"));
        assertThat(withdrawn.getText()).contains("Withdrawn by Okafor, Adaeze").contains("Recorded on the wrong patient's chart");
        assertThat(browser.driver.findElements(By.cssSelector("#complexity-list button[data-withdraw]"))).isEmpty();
        browser.screenshots("acceptance-03-complexity-withdrawn");

        writeCarePlan(james, month.atDay(3), "New heart failure plan after the cardiology referral");
        recordComplexity(month, "High", "Diuretic titration with nephrology; two admissions avoided");
        assertThat(browser.visible(By.id("complexity-list")).getText()).contains(month + ": high complexity");
        browser.screenshots("acceptance-04-doctor-chart");
        signOut();

        // The biller closes last month.
        signInAs(BILLER);
        browser.visible(By.id("month-prev")).click();
        browser.visible(By.id("close-month")).click();
        browser.visible(By.id("close-confirm")).click();
        browser.visible(By.id("month-closed"));
        List<String> billed = browser.driver.findElements(By.xpath("//section[h2='Billed']//tbody/tr")).stream().map(WebElement::getText).toList();
        assertThat(billed).anySatisfy(r -> assertThat(r).contains("Alvarez, Rosa").contains("99490"));
        assertThat(billed).anySatisfy(r -> assertThat(r).contains("Alvarez, Rosa").contains("99439 ×2"));
        assertThat(billed).noneSatisfy(r -> assertThat(r).contains("Alvarez, Rosa").contains("99487"));
        assertThat(billed).anySatisfy(r -> assertThat(r).contains("Okoro, James").contains("99487").contains("high complexity medical decision making"));
        assertThat(billed).anySatisfy(r -> assertThat(r).contains("Okoro, James").contains("99489"));
        assertThat(billed).noneSatisfy(r -> assertThat(r).contains("Okoro, James").contains("99490"));
        browser.screenshots("acceptance-05-month-closed");
        signOut();

        // The closed month is final: the doctor can neither record nor withdraw decision making for it, and is told why.
        signInAs(DOCTOR);
        browser.driver.get(base + "#/patients/" + james);
        browser.visible(By.id("record-complexity")).click();
        setValue(By.id("complexity-month"), month.toString());
        browser.visible(By.id("complexity-level")).sendKeys("Moderate");
        browser.driver.findElement(By.id("complexity-save")).click();
        assertThat(browser.visible(By.id("complexity-save-error")).getText())
                .contains("Billing for " + monthWords + " (" + month + ") is closed").contains("can no longer be recorded");
        browser.screenshots("acceptance-06-closed-month-refused");
        browser.driver.findElement(By.xpath("//dialog//button[.='Cancel']")).click();
        browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("complexity-save")));
        browser.click(By.cssSelector("#complexity-list button[data-withdraw='" + month + "']"));
        browser.visible(By.id("complexity-withdraw-reason")).sendKeys("Second thoughts");
        browser.driver.findElement(By.id("complexity-withdraw-save")).click();
        assertThat(browser.visible(By.id("complexity-withdraw-save-error")).getText())
                .contains("Billing for " + monthWords + " (" + month + ") is closed").contains("can no longer be withdrawn");
        browser.driver.findElement(By.xpath("//dialog//button[.='Cancel']")).click();
        browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("complexity-withdraw-save")));
        signOut();

        // Setup ran once: a fresh page offers the sign-in, never the setup again.
        browser.driver.get(base);
        browser.driver.executeScript("sessionStorage.clear()");
        browser.driver.navigate().refresh();
        browser.visible(By.id("signin"));
        assertThat(browser.driver.findElements(By.id("setup-form"))).isEmpty();
    }

    /** The setup page: a wrong token is refused in words and nothing is made; this install's token sets it up. */
    private static void setUp() throws Exception {
        browser.visible(By.id("setup-form"));
        browser.screenshots("acceptance-00-setup");
        browser.driver.findElement(By.id("setup-token")).sendKeys("a token from somewhere else");
        browser.driver.findElement(By.id("setup-practice")).sendKeys("Lakeside Internal Medicine");
        new Select(browser.driver.findElement(By.id("setup-zone"))).selectByValue("America/Chicago");
        browser.driver.findElement(By.id("setup-admin-name")).sendKeys("Ada Admin");
        browser.driver.findElement(By.id("setup-admin-email")).sendKeys(ADMIN);
        browser.driver.findElement(By.id("setup-admin-password")).sendKeys(PASSWORD);
        browser.driver.findElement(By.id("setup-admin-password2")).sendKeys(PASSWORD + Keys.ENTER);
        assertThat(browser.visible(By.id("setup-error")).getText()).contains("not this CareLoop's setup token").contains("admin-token");
        assertThat(browser.driver.findElement(By.id("setup-token")).getAttribute("aria-invalid")).isEqualTo("true");
        // Pasted from the file the start-up log names (careloop-data/admin-token): the same token the platform uses.
        WebElement token = browser.driver.findElement(By.id("setup-token"));
        token.clear();
        token.sendKeys(WEB.platform().apiToken());
        browser.driver.findElement(By.id("setup-submit")).click();
        assertThat(browser.visible(By.id("signin-notice")).getText()).contains("CareLoop is set up for Lakeside Internal Medicine");
        assertThat(browser.driver.findElement(By.id("email")).getAttribute("value")).isEqualTo(ADMIN);
    }

    private static void createAccount(String name, String email, String role, String npi) {
        WebElement nameInput = browser.visible(By.id("new-name"));
        nameInput.clear();
        nameInput.sendKeys(name);
        browser.driver.findElement(By.id("new-email")).sendKeys(email);
        new Select(browser.driver.findElement(By.id("new-role"))).selectByValue(role);
        if (npi != null) {
            browser.driver.findElement(By.id("new-npi")).sendKeys(npi);
        }
        browser.driver.findElement(By.id("new-password")).sendKeys(PASSWORD);
        browser.driver.findElement(By.id("new-submit")).click();
        browser.visible(By.cssSelector("tr[data-staff='" + email + "']"));
    }

    private static void recordComplexity(YearMonth month, String level, String note) {
        browser.click(By.id("record-complexity"));
        setValue(By.id("complexity-month"), month.toString());
        browser.visible(By.id("complexity-level")).sendKeys(level);
        browser.driver.findElement(By.id("complexity-note")).sendKeys(note);
        browser.driver.findElement(By.id("complexity-save")).click();
        browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("complexity-save")));
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
        browser.visible(By.id("email")).clear();
        browser.driver.findElement(By.id("email")).sendKeys(email);
        browser.driver.findElement(By.id("password")).sendKeys(PASSWORD + Keys.ENTER);
        browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("a[data-nav=patients]")));
    }

    private static void signOut() {
        browser.click(By.id("sign-out"));
        browser.visible(By.id("signin-notice"));
    }
}
