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

import java.time.YearMonth;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A biller sets the practice's fees and billing settings from the billing page in Chromium: the codes without a fee are
 * named, a fee and a setting are saved with their dates and shown, a refused value is said in words beside the form,
 * and a nurse is refused the page.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BillingSetupBrowserTest {
    static final String PASSWORD = BrowserCareLoop.PASSWORD;

    @RegisterExtension
    static final BrowserCareLoop WEB = BrowserCareLoop.start();

    static Platform platform;
    static HeadlessChromium browser;
    static ApiClient system;
    static String base;
    static String practice;
    static String billerEmail;
    static String nurseEmail;

    @BeforeAll
    static void start() throws Exception {
        browser = WEB.browser();
        platform = WEB.platform();
        base = WEB.base();
        system = WEB.system();
        practice = system.id(system.post("/api/v1/practices", "{\"name\":\"Web F\",\"timeZone\":\"America/Chicago\"}"));
        billerEmail = staff("billing", "Bea Biller");
        nurseEmail = staff("rn", "Robin Nurse");
    }

    @Test
    void aBillerSetsAFeeAndASettingAndSeesThem() throws Exception {
        signIn(billerEmail);
        browser.driver.executeScript("location.hash = '#/billing'");
        browser.visible(By.id("billing-setup")).click();
        browser.visible(By.xpath("//h1[.='Fees and settings']"));
        assertThat(browser.visible(By.id("codes-without-fee")).getText()).contains("99437").contains("G0506").contains("99424");
        assertThat(row("data-code", "99457").getText()).contains("$42.42").contains("2026-01-01");
        assertThat(row("data-code", "99437").getText()).contains("no fee");
        browser.screenshots("50-billing-fees-seeded");

        // A refused amount: said beside the form, nothing stored.
        new Select(browser.driver.findElement(By.id("fee-code"))).selectByValue("99437");
        WebElement amount = browser.driver.findElement(By.id("fee-amount"));
        amount.sendKeys("12.345");
        browser.driver.executeScript("document.getElementById('fee-amount').removeAttribute('pattern')"); // let the server judge it
        browser.driver.findElement(By.id("fee-save")).click();
        assertThat(browser.visible(By.id("fee-error")).getText()).contains("fees.99437").contains("at most 2 decimals");

        amount.clear();
        amount.sendKeys("61.50");
        browser.driver.executeScript("document.getElementById('fee-from').value = '2026-01-01'");
        browser.driver.findElement(By.id("fee-source")).sendKeys("MAC locality 16");
        browser.driver.findElement(By.id("fee-source")).sendKeys(Keys.ENTER);
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-code='99437']"), "$61.50"));
        assertThat(row("data-code", "99437").getText()).contains("MAC locality 16");
        assertThat(browser.visible(By.id("codes-without-fee")).getText()).doesNotContain("99437");
        assertThat(system.get("/api/v1/billing/fees?practiceId=" + practice).json().getJsonArray("codesWithoutFee").getList()).doesNotContain("99437");

        // A setting from this month on, after a refused value.
        String month = YearMonth.now(ZoneId.of("UTC")).toString();
        new Select(browser.driver.findElement(By.id("setting-name"))).selectByValue("max99458Units");
        assertThat(browser.driver.findElement(By.id("setting-values")).getText()).isEqualTo("one of 1, 2, 3");
        WebElement value = browser.driver.findElement(By.id("setting-value"));
        value.sendKeys("9");
        browser.driver.findElement(By.id("setting-save")).click();
        assertThat(browser.visible(By.id("setting-error")).getText()).contains("settings.max99458Units").contains("one of 1, 2, 3");
        value.clear();
        value.sendKeys("3" + Keys.ENTER);
        browser.wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-setting='max99458Units']"), "3 (from " + month + ")"));
        assertThat(row("data-setting", "max99458Units").getText()).contains("[S14]");
        assertThat(row("data-setting", "setupRule").getText()).contains("first_period_qualifies (default)");
        browser.screenshots("51-billing-settings-set");
    }

    @Test
    void aNurseIsRefusedThePage() {
        signIn(nurseEmail);
        browser.driver.executeScript("location.hash = '#/billing/setup'");
        assertThat(browser.visible(By.id("billing-refused")).getText()).contains("Your role does not include it");
    }

    private static WebElement row(String attribute, String value) {
        return browser.visible(By.cssSelector("tr[" + attribute + "='" + value + "']"));
    }

    private static void signIn(String email) {
        WEB.signInOnPage(email);
    }

    private static String staff(String role, String name) throws Exception {
        return WEB.staff(practice, role, name);
    }
}
