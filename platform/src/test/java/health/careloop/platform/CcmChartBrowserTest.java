package health.careloop.platform;

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

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 in headless Chromium: a nurse registers a patient (the MBI refused in words, then accepted), adds conditions
 * through the ICD-10-CM typeahead by keyboard, records CCM consent with a past date, enrols the patient (a conflicting
 * APCM enrolment refused in a sentence) and records the initiating visit; the doctor writes the care plan established
 * two months ago, revises it, compares the versions, records complex decision making and changes a threshold; the chart
 * says CCM is ready with the care plan's reason. Screenshots at laptop and tablet size in target/screenshots.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CcmChartBrowserTest {
    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    @RegisterExtension
    static final BrowserCareLoop WEB = BrowserCareLoop.start();

    static HeadlessChromium browser;
    static ApiClient system;
    static String base;
    static String practice;
    static String nurseEmail;
    static String doctorEmail;
    static String patientId;

    @BeforeAll
    static void start() throws Exception {
        browser = WEB.browser();
        base = WEB.base();
        system = WEB.system();
        practice = system.id(system.post("/api/v1/practices", "{\"name\":\"Chart Web\",\"timeZone\":\"America/Chicago\"}"));
        nurseEmail = staff("rn", null, "Robin Nurse");
        doctorEmail = staff("physician", "1234567893", "Okafor, Adaeze");
    }

    @Test
    @Order(1)
    void aNurseRegistersAPatientAndRecordsConditionsConsentEnrolmentAndAVisit() throws Exception {
        signInAs(nurseEmail);
        browser.click(By.cssSelector("a[data-nav=patients]"));
        browser.visible(By.id("register-patient")).click();
        browser.visible(By.id("pf-mrn")).sendKeys("MRN-2001");
        browser.driver.findElement(By.id("pf-given")).sendKeys("Walter");
        browser.driver.findElement(By.id("pf-family")).sendKeys("Brennan");
        setValue(By.id("pf-birth"), "1947-03-09");
        browser.driver.findElement(By.id("pf-sex")).sendKeys("male");
        // An MBI with a letter O where a digit belongs: the page says so as it is typed, and the server refuses it.
        WebElement mbi = browser.driver.findElement(By.id("pf-mbi"));
        mbi.sendKeys("1EG4-TE5-MKO3");
        assertThat(browser.driver.findElement(By.id("pf-mbi-check")).getText()).contains("Not a Medicare Beneficiary Identifier yet");
        browser.driver.findElement(By.id("pf-phone")).sendKeys("(312) 555-0142");
        browser.driver.findElement(By.id("pf-line1")).sendKeys("48 Lake Shore Dr");
        browser.driver.findElement(By.id("pf-city")).sendKeys("Chicago");
        browser.driver.findElement(By.id("pf-state")).sendKeys("IL");
        browser.driver.findElement(By.id("pf-zip")).sendKeys("60611-2345");
        browser.driver.findElement(By.id("pf-save")).click();
        assertThat(browser.visible(By.id("pf-error")).getText()).containsIgnoringCase("mbi");
        assertThat(mbi.getAttribute("aria-invalid")).isEqualTo("true");
        browser.screenshots("chart-01-register-mbi-refused");
        mbi.clear();
        mbi.sendKeys("1EG4-TE5-MK73");
        browser.driver.findElement(By.id("pf-save")).click();
        browser.visible(By.id("patient-name"));
        assertThat(browser.driver.findElement(By.id("patient-name")).getText()).isEqualTo("Brennan, Walter");
        String url = browser.driver.getCurrentUrl();
        patientId = url.substring(url.indexOf("#/patients/") + "#/patients/".length());
        assertThat(url).doesNotContain("Brennan").doesNotContain("MRN").doesNotContain("1EG4");

        // Conditions through the typeahead, by keyboard: words find the code.
        addCondition("hypertension", "I10");
        addCondition("type 2 without", "E11.9");
        assertThat(browser.visible(By.id("eligibility")).getText()).contains("CCM eligibility: eligible");

        // CCM consent obtained at the visit three weeks ago; one element left unticked is refused in words first.
        LocalDate since = LocalDate.now(CHICAGO).minusDays(21);
        browser.click(By.id("record-consent"));
        browser.visible(By.id("consent-program")).sendKeys("CCM");
        setValue(By.id("consent-date"), since.toString());
        for (String element : new String[]{"serviceAvailable", "costSharing", "onePractitionerPerMonth"}) {
            browser.driver.findElement(By.id("told-" + element)).click();
        }
        browser.driver.findElement(By.id("consent-save")).click();
        assertThat(browser.visible(By.id("consent-save-error")).getText()).contains("CCM consent is incomplete")
                .contains("that they may stop at any time");
        browser.screenshots("chart-02-consent-incomplete");
        browser.driver.findElement(By.id("told-mayStopAnyTime")).click();
        browser.driver.findElement(By.id("consent-save")).click();
        WebElement consents = browser.visible(By.xpath("//section[@id='consents']//tr[.//td[.='CCM']]"));
        assertThat(consents.getText()).contains("verbal").contains("Robin Nurse").contains("given");

        // Enrolment with the doctor, then APCM with the same doctor: refused in a sentence.
        enrol("CCM", since);
        browser.click(By.id("record-consent"));
        browser.visible(By.id("consent-program")).sendKeys("APCM");
        setValue(By.id("consent-date"), since.toString());
        for (String element : new String[]{"serviceAvailable", "costSharing", "onePractitionerPerMonth", "mayStopAnyTime"}) {
            browser.driver.findElement(By.id("told-" + element)).click();
        }
        browser.driver.findElement(By.id("consent-save")).click();
        browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("consent-save")));
        browser.click(By.id("enrol"));
        browser.visible(By.id("enrol-program")).sendKeys("APCM");
        setValue(By.id("enrol-start"), since.plusDays(1).toString());
        browser.driver.findElement(By.id("enrol-save")).click();
        assertThat(browser.visible(By.id("enrol-save-error")).getText()).contains("already enrolled in CCM with this billing practitioner")
                .contains("APCM includes CCM and PCM");
        browser.screenshots("chart-03-conflicting-enrolment-refused");
        browser.driver.findElement(By.xpath("//dialog//button[.='Cancel']")).click();

        // The initiating visit.
        browser.click(By.id("add-visit"));
        setValue(By.id("visit-date"), since.toString());
        browser.driver.findElement(By.id("visit-assessment")).click();
        browser.driver.findElement(By.id("visit-save")).click();
        assertThat(browser.visible(By.xpath("//section[@id='encounters']//tr[.//td[.='E/M visit']]")).getText()).contains("Okafor, Adaeze");
        // No care plan yet: the chart says CCM is not ready, and why.
        assertThat(browser.driver.findElement(By.id("program-ccm")).getText()).contains("not ready").contains("No care plan on record by");
        browser.screenshots("chart-04-chart-before-care-plan");
    }

    @Test
    @Order(2)
    void theDoctorWritesACarePlanEstablishedEarlierRevisesItAndComparesTheVersions() throws Exception {
        assertThat(patientId).as("the nurse's test registered the patient").isNotNull();
        LocalDate established = LocalDate.now(CHICAGO).minusMonths(2);
        signInAs(doctorEmail);
        browser.visible(By.xpath("//h1[starts-with(., 'Alert queue')]"));
        browser.driver.get(base + "#/patients/" + patientId);
        browser.visible(By.id("edit-care-plan")).click();
        browser.visible(By.id("cp-outcome")).sendKeys("Blood pressure and glucose controlled at home");
        browser.driver.findElement(By.id("cp-prognosis")).sendKeys("Good with adherence");
        browser.driver.findElement(By.id("cp-symptoms")).sendKeys("Headache or chest pain: check BP, call the nurse line or 911");
        browser.driver.findElement(By.id("cp-add-goal")).click();
        browser.driver.findElement(By.id("cp-goals-0-description")).sendKeys("Lower blood pressure");
        browser.driver.findElement(By.id("cp-goals-0-target")).sendKeys("SBP < 130 mmHg");
        setValue(By.id("cp-goals-0-targetDate"), LocalDate.now(CHICAGO).plusMonths(4).toString());
        browser.driver.findElement(By.id("cp-add-intervention")).click();
        browser.driver.findElement(By.id("cp-interventions-0-description")).sendKeys("Weekly review of home readings");
        browser.driver.findElement(By.id("cp-interventions-0-responsibleParty")).sendKeys("RN care manager");
        browser.driver.findElement(By.id("cp-add-medication")).click();
        browser.driver.findElement(By.id("cp-medications-0-name")).sendKeys("Lisinopril");
        browser.driver.findElement(By.id("cp-medications-0-dose")).sendKeys("10 mg");
        browser.driver.findElement(By.id("cp-medications-0-frequency")).sendKeys("once daily");
        setValue(By.id("cp-review"), LocalDate.now(CHICAGO).plusMonths(3).toString());
        // A day in the future is not taken (the page stops it; the API refuses it in words, CcmChartApiTest); the plan
        // documented two months ago in the EHR is.
        setValue(By.id("cp-established"), LocalDate.now(CHICAGO).plusDays(2).toString());
        browser.driver.findElement(By.id("cp-save")).click();
        assertThat((String) browser.driver.executeScript("return document.getElementById('cp-established').validationMessage")).isNotBlank();
        assertThat(browser.driver.getCurrentUrl()).endsWith("/care-plan");
        setValue(By.id("cp-established"), established.toString());
        browser.screenshots("chart-05-care-plan-editor");
        browser.driver.findElement(By.id("cp-save")).click();
        WebElement current = browser.visible(By.id("care-plan-current"));
        assertThat(current.getText()).contains("Version 1").contains("entered by Okafor, Adaeze");
        assertThat(browser.driver.findElement(By.id("program-ccm")).getText()).contains("ready to bill").contains("Care plan on record, established on " + established);

        // A revision: a second goal, marked substantial.
        browser.driver.findElement(By.id("edit-care-plan")).click();
        browser.visible(By.id("cp-add-goal")).click();
        browser.driver.findElement(By.id("cp-goals-1-description")).sendKeys("HbA1c");
        browser.driver.findElement(By.id("cp-goals-1-target")).sendKeys("below 7%");
        setValue(By.id("cp-goals-1-targetDate"), LocalDate.now(CHICAGO).plusMonths(6).toString());
        browser.driver.findElement(By.id("cp-substantial")).click();
        browser.driver.findElement(By.id("cp-note")).sendKeys("Diabetes goal added after the HbA1c of 8.1%");
        browser.driver.findElement(By.id("cp-save")).click();
        assertThat(browser.visible(By.id("care-plan-current")).getText()).contains("Version 2").contains("substantial revision");
        browser.click(By.cssSelector("button[data-compare='2']"));
        WebElement difference = browser.visible(By.id("care-plan-difference"));
        assertThat(difference.getText()).contains("Measurable goals").contains("+ HbA1c: below 7%");
        assertThat(difference.findElements(By.cssSelector(".removed"))).isEmpty();
        browser.screenshots("chart-06-care-plan-versions-difference");

        // The copy given to the patient, complex decision making for this month, a threshold.
        browser.click(By.cssSelector("button[data-copy='2']"));
        browser.visible(By.id("copy-method")).sendKeys("Patient portal");
        browser.driver.findElement(By.id("copy-save")).click();
        browser.visible(By.xpath("//section[@id='care-plan']//td[contains(., 'Patient portal on')]"));
        // The patient's copy: the current version in words, ready to print; the address holds the id only.
        browser.click(By.id("print-care-plan"));
        WebElement copy = browser.visible(By.id("care-plan-print"));
        assertThat(copy.getText()).contains("Care plan for Walter Brennan").contains("Version 2").contains("HbA1c: below 7%")
                .contains("Weekly review of home readings — RN care manager");
        assertThat(browser.driver.getCurrentUrl()).endsWith("#/patients/" + patientId + "/care-plan/print");
        browser.screenshots("chart-06b-care-plan-copy-for-the-patient");
        browser.driver.navigate().back();
        browser.visible(By.id("care-plan-current"));
        browser.click(By.id("record-complexity"));
        browser.visible(By.id("complexity-level")).sendKeys("High");
        browser.driver.findElement(By.id("complexity-save")).click();
        assertThat(browser.visible(By.id("complexity-list")).getText()).contains("high complexity").contains("Okafor, Adaeze");
        browser.click(By.id("edit-thresholds"));
        WebElement spo2 = browser.visible(By.id("threshold-spo2-low-below"));
        spo2.clear();
        spo2.sendKeys("88");
        browser.driver.findElement(By.id("thresholds-save")).click();
        assertThat(browser.visible(By.id("thresholds-save-error")).getText()).contains("reason");
        browser.driver.findElement(By.id("threshold-reason")).sendKeys("COPD baseline saturation 89-91%");
        browser.driver.findElement(By.id("thresholds-save")).click();
        browser.wait.until(d -> d.findElement(By.cssSelector("[data-threshold='spo2.low_below']")).getText().equals("88"));
        browser.screenshots("chart-07-complexity-and-thresholds");
    }

    @Test
    @Order(3)
    void aNurseSeesTheChartButNotTheProvidersForms() throws Exception {
        signInAs(nurseEmail);
        browser.visible(By.xpath("//h1[starts-with(., 'Alert queue')]"));
        browser.driver.get(base + "#/patients/" + patientId);
        browser.visible(By.id("care-plan-current"));
        assertThat(browser.driver.findElements(By.id("edit-care-plan"))).isEmpty();
        assertThat(browser.driver.findElements(By.id("record-complexity"))).isEmpty();
        assertThat(browser.driver.findElements(By.id("edit-thresholds"))).isEmpty();
        // By keyboard: Enter opens a form, focus lands in its first field, Tab moves on, Escape closes and returns focus.
        WebElement record = browser.driver.findElement(By.id("record-consent"));
        browser.driver.executeScript("arguments[0].focus()", record);
        record.sendKeys(Keys.ENTER);
        browser.visible(By.id("consent-program"));
        assertThat(browser.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("consent-program");
        browser.driver.switchTo().activeElement().sendKeys(Keys.TAB);
        assertThat(browser.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("consent-method");
        browser.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("consent-program")));
        assertThat(browser.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("record-consent");

        browser.driver.get(base + "#/patients/" + patientId + "/care-plan");
        assertThat(browser.visible(By.id("care-plan-refused")).getText()).contains("physicians and NPPs");

        // The nurse corrects the MRN and the phone number; the chart shows them, the address bar still only the id.
        browser.driver.get(base + "#/patients/" + patientId);
        browser.visible(By.id("edit-patient")).click();
        WebElement mrn = browser.visible(By.id("pf-mrn"));
        assertThat(mrn.getAttribute("value")).isEqualTo("MRN-2001");
        mrn.clear();
        mrn.sendKeys("MRN-2001-A");
        WebElement phone = browser.driver.findElement(By.id("pf-phone"));
        phone.clear();
        phone.sendKeys("12");
        browser.driver.findElement(By.id("pf-save")).click();
        assertThat(browser.visible(By.id("pf-error")).getText()).contains("'phone'");
        assertThat(phone.getAttribute("aria-invalid")).isEqualTo("true");
        browser.screenshots("chart-08-edit-details-refused");
        phone.clear();
        phone.sendKeys("(312) 555-0199");
        browser.driver.findElement(By.id("pf-save")).click();
        browser.wait.until(d -> d.findElement(By.id("patient-name")).isDisplayed()
                && d.findElement(By.tagName("main")).getText().contains("MRN MRN-2001-A"));
        assertThat(browser.driver.findElement(By.tagName("main")).getText()).contains("(312) 555-0199");
        assertThat(browser.driver.getCurrentUrl()).endsWith("#/patients/" + patientId);
    }

    // ---------------------------------------------------------------- helpers

    private static void addCondition(String words, String code) {
        browser.click(By.id("add-condition"));
        WebElement input = browser.visible(By.id("condition-code"));
        input.sendKeys(words);
        browser.visible(By.xpath("//ul[@id='condition-options']/li[strong[.='" + code + "']]"));
        int index = browser.driver.findElements(By.cssSelector("#condition-options li")).stream().map(WebElement::getText).toList()
                .indexOf(browser.driver.findElement(By.xpath("//ul[@id='condition-options']/li[strong[.='" + code + "']]")).getText());
        for (int i = 0; i <= index; i++) {
            input.sendKeys(Keys.ARROW_DOWN);
        }
        input.sendKeys(Keys.ENTER);
        assertThat(input.getAttribute("value")).isEqualTo(code);
        assertThat(browser.driver.findElement(By.id("condition-description")).getAttribute("value")).isNotBlank();
        setValue(By.id("condition-onset"), "2018-06-01");
        browser.driver.findElement(By.id("condition-save")).click();
        browser.visible(By.xpath("//section[@id='conditions']//td[.='" + code + "']"));
    }

    private static void enrol(String program, LocalDate start) {
        browser.click(By.id("enrol"));
        browser.visible(By.id("enrol-program")).sendKeys(program);
        setValue(By.id("enrol-start"), start.toString());
        browser.driver.findElement(By.id("enrol-save")).click();
        browser.visible(By.xpath("//section[@id='enrolments']//tr[.//td[.='" + program + "']]"));
    }

    /** Date inputs take keyboard input in the browser's locale format; the value is set as the page would read it. */
    static void setValue(By by, String value) {
        WebElement input = browser.visible(by);
        browser.driver.executeScript("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                + "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", input, value);
    }

    private static void signInAs(String email) {
        WEB.typeSignIn(email, BrowserCareLoop.PASSWORD);
        browser.visible(By.cssSelector("a[data-nav=patients]"));
    }

    private static String staff(String role, String npi, String name) throws Exception {
        return WEB.staff(practice, role, name, npi);
    }
}
