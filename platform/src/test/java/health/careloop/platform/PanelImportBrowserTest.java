package health.careloop.platform;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A practice administrator imports the panel from the web app in Chromium: chooses a CSV file, checks it (a dry run
 * whose report says record by record what would happen, a refused line with its reason, nothing written), imports it,
 * and checks it again to see nothing would change. A nurse is refused the page and sees no link to it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PanelImportBrowserTest {
    @RegisterExtension
    static final BrowserCareLoop WEB = BrowserCareLoop.start();

    static HeadlessChromium browser;
    static ApiClient system;
    static String practice;
    static String adminEmail;
    static String nurseEmail;

    @BeforeAll
    static void start() throws Exception {
        browser = WEB.browser();
        system = WEB.system();
        practice = system.id(system.post("/api/v1/practices", "{\"name\":\"Web Import\",\"timeZone\":\"America/Chicago\"}"));
        adminEmail = staff("admin", "Ada Admin");
        nurseEmail = staff("rn", "Robin Nurse");
    }

    @Test
    void anAdministratorChecksThenImportsACsvPanel() throws Exception {
        Path file = Files.createTempFile("panel", ".csv");
        Files.writeString(file, """
                record,mrn,mbi,given_name,family_name,birth_date,sex,icd10,description,onset
                patient,WEB-1,5EG4TE5MK73,Wanda,Webster,1947-03-04,female,,,
                condition,WEB-1,,,,,,I10,Essential hypertension,2016-01-01
                condition,WEB-1,,,,,,XYZ,Nonsense,
                """);
        signIn(adminEmail);
        browser.visible(By.cssSelector("a[data-nav='import']")).click();
        browser.visible(By.xpath("//h1[.='Import the panel']"));
        browser.driver.findElement(By.id("import-file")).sendKeys(file.toAbsolutePath().toString());
        browser.driver.findElement(By.id("import-check")).click();
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("import-summary"), "Nothing was written"));
        assertThat(browser.driver.findElement(By.id("import-summary")).getText()).contains("2 would be created").contains("1 refused");
        assertThat(browser.visible(By.cssSelector("tr[data-action='refused']")).getText()).contains("line 4").contains("unknown code");
        assertThat(system.get("/api/v1/patients?practiceId=" + practice).json().encode()).as("a check writes nothing").doesNotContain("WEB-1");
        browser.screenshots("60-import-checked");

        browser.driver.findElement(By.id("import-apply")).click();
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("import-summary"), "Imported: 2 created"));
        assertThat(system.get("/api/v1/patients?practiceId=" + practice).json().encode()).contains("WEB-1");
        browser.screenshots("61-import-done");

        browser.driver.findElement(By.id("import-check")).click();
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("import-summary"), "2 unchanged"));
    }

    @Test
    void aNurseIsRefusedThePage() {
        signIn(nurseEmail);
        assertThat(browser.driver.findElement(By.cssSelector("a[data-nav='import']")).isDisplayed()).isFalse();
        browser.driver.executeScript("location.hash = '#/import'");
        assertThat(browser.visible(By.id("import-refused")).getText()).contains("Your role does not include it");
    }

    private static void signIn(String email) {
        WEB.signInOnPage(email);
    }

    private static String staff(String role, String name) throws Exception {
        return WEB.staff(practice, role, name);
    }
}
