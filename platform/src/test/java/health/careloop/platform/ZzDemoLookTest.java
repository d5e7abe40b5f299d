package health.careloop.platform;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

class ZzDemoLookTest {
    @Test
    void look() throws Exception {
        try (HeadlessChromium b = HeadlessChromium.start()) {
            b.driver.get("http://127.0.0.1:18080/");
            b.visible(By.id("email")).sendKeys("nurse@demo.careloop.test");
            b.driver.findElement(By.id("password")).sendKeys("careloop-demo-only" + Keys.ENTER);
            b.visible(By.xpath("//h1[starts-with(., 'Alert queue')]"));
            Thread.sleep(1500);
            b.screenshots("demo-queue");
            b.driver.get("http://127.0.0.1:18080/#/devices");
            b.visible(By.xpath("//h1[.='Devices']"));
            Thread.sleep(800);
            b.screenshots("demo-devices");
            String href = b.driver.findElement(By.cssSelector("table a[href^='#/patients/']")).getAttribute("href");
            for (var a : b.driver.findElements(By.cssSelector("table a[href^='#/patients/']"))) {
                href = a.getAttribute("href");
            }
            b.driver.get("http://127.0.0.1:18080/#/patients");
            b.visible(By.id("patient-search"));
            b.screenshots("demo-patients");
            b.driver.get(href);
            b.visible(By.cssSelector("#plots canvas"));
            Thread.sleep(800);
            b.screenshots("demo-chart");
            b.driver.findElement(By.id("sign-out")).click();
            b.visible(By.id("email")).sendKeys("billing@demo.careloop.test");
            b.driver.findElement(By.id("password")).sendKeys("careloop-demo-only" + Keys.ENTER);
            b.visible(By.id("billing-month"));
            Thread.sleep(1500);
            b.screenshots("demo-billing");
        }
    }
}
