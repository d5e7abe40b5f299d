package health.careloop.clinical.careplan;

import health.careloop.clinical.patients.PatientProfile;
import health.careloop.clinical.patients.Sex;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class CarePlanTest {
    static final UUID HYPERTENSION = UUID.randomUUID();

    static CarePlan plan(String target, String outcome) {
        return new CarePlan(List.of(new CarePlan.Problem(HYPERTENSION, "I10", "Essential hypertension")), outcome, "Good with adherence",
                List.of(new CarePlan.Goal("Blood pressure control", target, LocalDate.of(2027, 3, 1))), "Headache: rest, check BP",
                List.of(new CarePlan.Intervention("Weekly BP review", "RN care manager")),
                List.of(new CarePlan.Medication("Lisinopril", "10 mg", "once daily")),
                List.of(new CarePlan.CommunityResource("YMCA walking group", null)),
                List.of(new CarePlan.CoordinatingProvider("Dr Cardio", "Cardiology", "312-555-0100")), LocalDate.of(2026, 9, 1));
    }

    @Test
    void jsonRoundTripsAndOnlyChangedSectionsAreNamed() {
        CarePlan first = plan("SBP < 130 mmHg", "Controlled BP");
        assertThat(CarePlan.fromJson(first.toJson())).isEqualTo(first);
        assertThat(first.sectionsChangedSince(null)).hasSize(10).startsWith("problems");
        CarePlan second = plan("SBP < 125 mmHg", "Controlled BP");
        assertThat(second.sectionsChangedSince(first)).containsExactly("goals");
        assertThat(first.sectionsChangedSince(CarePlan.fromJson(first.toJson()))).isEmpty();
    }

    @Test
    void thePrintedPageEscapesEverythingAndHasNoScript() {
        CarePlan hostile = plan("SBP < 130 <script>alert(1)</script>", "\"Quoted\" & <b>bold</b>");
        CarePlanVersion version = new CarePlanVersion(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), 3, hostile,
                "Changed <img src=x onerror=alert(1)>", hostile.sectionsChangedSince(null), "staff:x", UUID.randomUUID(), "Dr O'Brien",
                Instant.parse("2026-03-01T12:00:00Z"), LocalDate.of(2026, 3, 1));
        PatientProfile profile = new PatientProfile(UUID.randomUUID(), UUID.randomUUID(), "Ann<e>", "Smith", LocalDate.of(1950, 2, 3), Sex.FEMALE,
                null, null, null, "test", Instant.EPOCH);
        String html = CarePlanPage.render(version, profile);
        assertThat(html).startsWith("<!DOCTYPE html>").doesNotContain("<script").doesNotContain("<img").doesNotContain("<b>bold")
                .contains("SBP &lt; 130 &lt;script&gt;").contains("&quot;Quoted&quot; &amp; &lt;b&gt;").contains("Dr O&#39;Brien")
                .contains("Ann&lt;e&gt; Smith").contains("Version 3").contains("Lisinopril").contains("Next review 2026-09-01");
    }
}
