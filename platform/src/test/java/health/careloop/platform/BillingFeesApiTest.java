package health.careloop.platform;

import health.careloop.billing.x12.Claim837Check;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The practice's fee schedule and billing settings through the API: seeded fees with the codes that have none named,
 * a fee and a setting from last month on deciding last month's close and its 837P, the reason naming the setting, and
 * the refusals (role, another practice, bad input naming the field).
 */
class BillingFeesApiTest {
    static final String DOCTOR_NPI = "1234567893";
    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    static Platform platform;
    static ApiClient system;
    static TestPractices practices;
    static String practice;
    static String otherPractice;
    static ApiClient nurse;
    static String nurseId;
    static String doctorId;
    static ApiClient biller;
    static ApiClient otherBiller;
    static YearMonth lastMonth;

    @BeforeAll
    static void start() throws Exception {
        platform = EmbeddedPlatforms.start();
        practices = TestPractices.of(platform);
        system = practices.system();
        practice = practices.practice("Fees A", "America/Chicago");
        otherPractice = practices.practice("Fees B", "America/Chicago");
        JsonObject n = staff(practice, "rn", null, "Nurse, Nina");
        nurseId = n.getString("id");
        nurse = signIn(n.getString("email"));
        doctorId = staff(practice, "physician", DOCTOR_NPI, "Okafor, Adaeze").getString("id");
        biller = signIn(staff(practice, "billing", null, "Biller, Bo").getString("email"));
        otherBiller = signIn(staff(otherPractice, "billing", null, "Biller, Bea").getString("email"));
        lastMonth = YearMonth.now(CHICAGO).minusMonths(1);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void feesAndSettingsDecideTheCloseAndThe837() throws Exception {
        // ---- seeded: every code listed; those without a 2026 figure named
        var fees = biller.get("/api/v1/billing/fees");
        assertThat(fees.status()).as(fees.body()).isEqualTo(200);
        assertThat(fees.json().getJsonArray("codesWithoutFee").getList()).containsExactlyInAnyOrder("99437", "G0506", "99424", "99425", "99426", "99427");
        JsonObject rpm20 = code(fees.json(), "99457");
        assertThat(rpm20.getJsonObject("inEffect").getString("amount")).isEqualTo("42.42");
        assertThat(rpm20.getJsonObject("inEffect").getString("updatedBy")).isEqualTo("seed");
        assertThat(fees.json().getJsonArray("codes")).hasSize(21);

        // ---- refusals: role, another practice, bad input naming the field
        assertThat(nurse.get("/api/v1/billing/fees").status()).isEqualTo(403);
        assertThat(nurse.put("/api/v1/billing/settings", new JsonObject().put("effectiveFrom", lastMonth.toString())
                .put("settings", new JsonObject().put("max99458Units", "3"))).status()).isEqualTo(403);
        assertThat(otherBiller.get("/api/v1/billing/fees?practiceId=" + practice).status()).isEqualTo(404);
        assertThat(otherBiller.put("/api/v1/billing/fees?practiceId=" + practice, feeBody("99457", "50.00")).status()).isEqualTo(404);
        assertThat(system.get("/api/v1/billing/fees?practiceId=" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(system.get("/api/v1/billing/readiness?practiceId=" + UUID.randomUUID()).status()).isEqualTo(404);
        var noPractice = system.get("/api/v1/billing/settings");
        assertThat(noPractice.status()).isEqualTo(400);
        assertThat(noPractice.json().getString("message")).contains("practiceId");
        assertBadRequest(biller.put("/api/v1/billing/fees", feeBody("99999", "10.00")), "fees.99999");
        assertBadRequest(biller.put("/api/v1/billing/fees", feeBody("99457", "0.00")), "fees.99457");
        assertBadRequest(biller.put("/api/v1/billing/fees", feeBody("99457", "12.345")), "fees.99457");
        assertBadRequest(biller.put("/api/v1/billing/fees", new JsonObject().put("fees", new JsonObject().put("99457", "1.00"))), "effectiveFrom");
        assertBadRequest(biller.put("/api/v1/billing/settings", new JsonObject().put("effectiveFrom", lastMonth.toString())
                .put("settings", new JsonObject().put("max99458Units", "9"))), "settings.max99458Units");
        assertBadRequest(biller.put("/api/v1/billing/settings", new JsonObject().put("effectiveFrom", lastMonth.toString())
                .put("settings", new JsonObject().put("roundUp", "true"))), "settings.roundUp");
        assertBadRequest(biller.put("/api/v1/billing/settings", new JsonObject().put("effectiveFrom", lastMonth.atDay(2).toString())
                .put("settings", new JsonObject().put("max99458Units", "3"))), "effectiveFrom");
        assertBadRequest(biller.put("/api/v1/billing/settings", new JsonObject().put("effectiveFrom", "2026-13")
                .put("settings", new JsonObject().put("max99458Units", "3"))), "effectiveFrom");
        assertThat(code(biller.get("/api/v1/billing/fees").json(), "99457").getJsonArray("history")).hasSize(1); // nothing stored by refusals

        // ---- from last month on: 99457 at 50.00, three 99458 units (the MUE)
        var feeSaved = biller.put("/api/v1/billing/fees", feeBody("99457", "50.00").put("effectiveFrom", lastMonth.atDay(1).toString()));
        assertThat(feeSaved.status()).as(feeSaved.body()).isEqualTo(200);
        assertThat(code(feeSaved.json(), "99457").getJsonObject("inEffect").getString("amount")).isEqualTo("50.00");
        assertThat(code(feeSaved.json(), "99457").getJsonArray("history")).hasSize(2);
        var setSaved = biller.put("/api/v1/billing/settings", new JsonObject().put("effectiveFrom", lastMonth.toString())
                .put("settings", new JsonObject().put("max99458Units", "3")));
        assertThat(setSaved.status()).as(setSaved.body()).isEqualTo(200);
        JsonObject cap = setting(setSaved.json(), "max99458Units");
        assertThat(cap.getString("value")).isEqualTo("3");
        assertThat(cap.getString("default")).isEqualTo("2");
        assertThat(cap.getString("effectiveFrom")).isEqualTo(lastMonth.toString());
        assertThat(cap.getString("source")).contains("[S14]");
        assertThat(cap.getString("whatItChanges")).contains("99458");
        JsonObject before = setting(biller.get("/api/v1/billing/settings?month=" + lastMonth.minusMonths(1)).json(), "max99458Units");
        assertThat(before.getString("value")).isEqualTo("2");
        assertThat(before.getString("effectiveFrom")).isNull();
        assertThat(setting(otherBiller.get("/api/v1/billing/settings?month=" + lastMonth).json(), "max99458Units").getString("value")).isEqualTo("2");

        // ---- last month closed with them
        String patient = patient();
        logTime(patient, 3, 85);
        var closed = biller.post("/api/v1/billing/months/" + lastMonth + "/close", "{}");
        assertThat(closed.status()).as(closed.body()).isEqualTo(200);
        JsonObject base = line(closed.json(), "99457");
        JsonObject addon = line(closed.json(), "99458");
        assertThat(base.getString("charge")).isEqualTo("50.00");
        assertThat(addon.getInteger("units")).isEqualTo(3);
        assertThat(addon.getString("justification")).doesNotContain("capped");
        assertThat(closed.json().getJsonArray("warnings")).isEmpty();

        // ---- and the 837P carries them
        assertThat(biller.put("/api/v1/billing/profile", BillingExportApiTest.validProfile()).status()).isEqualTo(200);
        var profile = nurse.post("/api/v1/patients/" + patient + "/profile", new JsonObject().put("givenName", "Ann").put("familyName", "Poe")
                .put("birthDate", "1950-01-02").put("sex", "female").put("mbi", "3AC4DE5FG67").put("address", new JsonObject()
                        .put("line1", "1 Lake Shore Dr").put("city", "Chicago").put("state", "IL").put("zip", "60611")));
        assertThat(profile.status()).as(profile.body()).isEqualTo(200);
        HttpResponse<String> file = biller.getResponse("/api/v1/billing/months/" + lastMonth + "/claims.837");
        assertThat(file.statusCode()).as(file.body()).isEqualTo(200);
        assertThat(Claim837Check.problems(file.body())).isEmpty();
        List<String> sv1 = new ArrayList<>();
        for (String segment : file.body().split("~\n?")) {
            if (segment.startsWith("SV1*")) {
                sv1.add(segment);
            }
        }
        assertThat(sv1).anySatisfy(s -> assertThat(s).startsWith("SV1*HC:99457*50*UN*1"));
        assertThat(sv1).anySatisfy(s -> assertThat(s).startsWith("SV1*HC:99458*111.21*UN*3"));
    }

    private static void assertBadRequest(ApiClient.Response response, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().getString("message")).as(response.body()).contains(field);
    }

    private static JsonObject feeBody(String code, String amount) {
        return new JsonObject().put("effectiveFrom", "2026-01-01").put("fees", new JsonObject().put(code, amount));
    }

    private static JsonObject code(JsonObject schedule, String code) {
        for (Object o : schedule.getJsonArray("codes")) {
            if (((JsonObject) o).getString("code").equals(code)) {
                return (JsonObject) o;
            }
        }
        throw new AssertionError("no " + code + " in " + schedule.encode());
    }

    private static JsonObject setting(JsonObject settings, String name) {
        for (Object o : settings.getJsonArray("settings")) {
            if (((JsonObject) o).getString("name").equals(name)) {
                return (JsonObject) o;
            }
        }
        throw new AssertionError("no " + name + " in " + settings.encode());
    }

    private static JsonObject line(JsonObject closed, String code) {
        JsonArray lines = closed.getJsonArray("lines");
        for (Object o : lines) {
            if (((JsonObject) o).getString("code").equals(code)) {
                return (JsonObject) o;
            }
        }
        throw new AssertionError("no " + code + " in " + closed.encode());
    }

    private static JsonObject staff(String practiceId, String role, String npi, String name) throws Exception {
        return practices.staff(practiceId, role, name, npi);
    }

    private static ApiClient signIn(String email) throws Exception {
        return practices.signIn(email);
    }

    /** Hypertension, RPM consent and enrolment since 70 days ago. */
    private static String patient() throws Exception {
        String patient = system.id(system.post("/api/v1/patients", new JsonObject().put("practiceId", practice)
                .put("externalRef", "MRN-" + UUID.randomUUID().toString().substring(0, 8))));
        LocalDate since = LocalDate.now(CHICAGO).minusDays(70);
        var condition = nurse.post("/api/v1/patients/" + patient + "/conditions", new JsonObject().put("icd10", "I10")
                .put("description", "Essential hypertension").put("onset", "2019-01-01").put("expectedDuration", "lifelong").put("significantRisk", true));
        assertThat(condition.status()).as(condition.body()).isEqualTo(201);
        var consent = nurse.post("/api/v1/patients/" + patient + "/consents", new JsonObject().put("program", "rpm").put("method", "written")
                .put("obtainedOn", since.toString()).put("obtainedBy", nurseId).put("told", new JsonObject().put("costSharing", true)).put("accepted", true));
        assertThat(consent.status()).as(consent.body()).isEqualTo(201);
        var enrol = nurse.post("/api/v1/patients/" + patient + "/enrolments", new JsonObject().put("program", "rpm")
                .put("startDate", since.toString()).put("billingPractitionerId", doctorId));
        assertThat(enrol.status()).as(enrol.body()).isEqualTo(201);
        return patient;
    }

    private static void logTime(String patient, int day, int minutes) throws Exception {
        String start = lastMonth.atDay(day).atTime(9, 0).atZone(CHICAGO).toInstant().toString();
        String end = lastMonth.atDay(day).atTime(9, 0).plusMinutes(minutes).atZone(CHICAGO).toInstant().toString();
        var logged = nurse.post("/api/v1/time-entries", new JsonObject().put("patientId", patient).put("program", "rpm").put("activity", "patient_call")
                .put("startedAt", start).put("endedAt", end).put("interactive", true).put("interactionMode", "phone"));
        assertThat(logged.status()).as(logged.body()).isEqualTo(201);
    }
}
