package health.careloop.platform;

import health.careloop.billing.acks.ClaimStatuses;
import health.careloop.billing.api.CorrectionsApi;
import health.careloop.billing.export.Claim837Export;
import health.careloop.billing.x12.Claim837Check;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.ds.PGSimpleDataSource;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Corrections after close through the API (issue 18): a closed month's time adjusted afterwards, "recompute
 * corrections" run twice at once stores one replacement (99458 added) and one void (99457 gone) with what changed in
 * words, a third run stores nothing; both wait for the payer's claim number and stay out of the 837 until it is known,
 * then the replacement goes on a checked 837P with frequency 7 and REF*F8; claims.json and claims.csv show them; a nurse
 * is refused (403), another practice's month is a 404 and an open month a 409.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BillingCorrectionsApiTest {
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
    static YearMonth lastMonth;

    @BeforeAll
    static void start() throws Exception {
        platform = EmbeddedPlatforms.start();
        practices = TestPractices.of(platform);
        system = practices.system();
        practice = practices.practice("Corrections A", "America/Chicago");
        otherPractice = practices.practice("Corrections B", "America/Chicago");
        JsonObject n = staff("rn", null, "Nurse, Nina");
        nurseId = n.getString("id");
        nurse = signIn(n.getString("email"));
        doctorId = staff("physician", DOCTOR_NPI, "Okafor, Adaeze").getString("id");
        biller = signIn(staff("billing", null, "Biller, Bo").getString("email"));
        lastMonth = YearMonth.now(CHICAGO).minusMonths(1);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void adjustmentsAfterCloseBecomeCorrectedAndVoidClaims() throws Exception {
        String longer = patient("Jane", "Doe", "1EG4TE5MK73");
        String shorter = patient("John", "Roe", "2CD5EF6GH78");
        String longerEntry = logTime(longer, 10, 25);   // 99457
        String shorterEntry = logTime(shorter, 11, 25); // 99457
        assertThat(biller.put("/api/v1/billing/profile", BillingExportApiTest.validProfile()).status()).isEqualTo(200);
        String corrections = "/api/v1/billing/months/" + lastMonth + "/corrections";

        // Before the close: 409, in words.
        var open = biller.post(corrections, "{}");
        assertThat(open.status()).as(open.body()).isEqualTo(409);
        assertThat(open.json().getString("error")).isEqualTo("month_not_closed");
        assertThat(open.json().getString("message")).contains("close it first");

        assertThat(biller.post("/api/v1/billing/months/" + lastMonth + "/close", "{}").status()).isEqualTo(200);
        // Nothing changed since the close: nothing to correct.
        var none = biller.post(corrections, "{}");
        assertThat(none.status()).as(none.body()).isEqualTo(200);
        assertThat(none.json().getInteger("createdCount")).isZero();
        assertThat(none.json().getJsonArray("corrections")).isEmpty();

        // The nurse finds the paper log: one call ran 45 minutes, the other only 5.
        adjust(longerEntry, 10, 45, "the call ran 45 minutes (paper log)");
        adjust(shorterEntry, 11, 5, "5 minutes, not 25: typo");

        // Role and practice: a nurse 403, another practice's month 404 (nothing stored by either).
        assertThat(nurse.post(corrections, "{}").status()).isEqualTo(403);
        var foreign = biller.post(corrections + "?practiceId=" + otherPractice, "{}");
        assertThat(foreign.status()).as(foreign.body()).isEqualTo(404);
        assertThat(biller.get(corrections + "?practiceId=" + otherPractice).status()).isEqualTo(404);

        // Two billers press the button at once: one set of corrections.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<ApiClient.Response>> runs = new ArrayList<>();
        Callable<ApiClient.Response> run = () -> biller.post(corrections, "{}");
        runs.add(pool.submit(run));
        runs.add(pool.submit(run));
        int created = 0;
        for (Future<ApiClient.Response> f : runs) {
            ApiClient.Response r = f.get(120, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            created += r.json().getInteger("createdCount");
        }
        pool.shutdown();
        assertThat(created).isEqualTo(2);
        var again = biller.post(corrections, "{}");
        assertThat(again.json().getInteger("createdCount")).as("idempotent").isZero();

        JsonArray list = biller.get(corrections).json().getJsonArray("corrections");
        assertThat(list).hasSize(2);
        JsonObject replacement = byPatient(list, longer);
        String longerClaim = Claim837Export.claimControlNumber(UUID.fromString(longer), lastMonth, 1);
        assertThat(replacement.getString("kind")).isEqualTo("replacement");
        assertThat(replacement.getString("frequency")).isEqualTo("7");
        assertThat(replacement.getString("claimControlNumber")).isEqualTo(longerClaim);
        assertThat(replacement.getString("status")).isEqualTo("waiting");
        assertThat(replacement.getString("waitingFor")).isEqualTo("waiting for the payer's claim number of " + longerClaim
                + " (import the 277CA that accepted it, or enter it on the billing page)");
        assertThat(replacement.getJsonArray("changes").getString(0)).startsWith("Added 99458 (1 unit) on " + lastMonth.atEndOfMonth());
        assertThat(codes(replacement)).containsExactly("99457", "99458");
        JsonObject voided = byPatient(list, shorter);
        assertThat(voided.getString("kind")).isEqualTo("void");
        assertThat(voided.getString("frequency")).isEqualTo("8");
        assertThat(voided.getJsonArray("changes").getString(0)).startsWith("Removed 99457 (1 unit) of " + lastMonth.atEndOfMonth() + ": ");
        assertThat(voided.getJsonArray("changes").getList()).contains("Nothing on this claim is billable any more: it is voided.");
        assertThat(voided.getString("billedCharge")).isEqualTo("0");

        // Shown in the month's exports: JSON and the CSV worklist.
        var json = biller.get("/api/v1/billing/months/" + lastMonth + "/claims.json").json();
        assertThat(json.getJsonArray("lines")).hasSize(2); // the close's lines never change
        assertThat(json.getJsonArray("corrections")).hasSize(2);
        String csv = biller.get("/api/v1/billing/months/" + lastMonth + "/claims.csv").body();
        assertThat(csv).contains("replaced by correction 1 of claim " + longerClaim).contains("voided by correction 1 of claim")
                .contains("replacement of claim " + longerClaim + " (correction 1, frequency 7): waiting for the payer's claim number of " + longerClaim);

        // Nothing is ready: the 837 of corrections is refused naming what it waits for.
        var waiting = biller.get(corrections + ".837");
        assertThat(waiting.status()).as(waiting.body()).isEqualTo(409);
        assertThat(waiting.json().getString("error")).isEqualTo("no_corrections_ready");
        assertThat(waiting.json().getString("message")).contains("waiting for the payer's claim number of " + longerClaim);

        // The payer's claim number of Jane's claim becomes known (entered by a biller, acks): the replacement is ready.
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setURL(platform.jdbcUrlForTests());
        assertThat(new ClaimStatuses(db).enterPayerClaimNumber(UUID.fromString(practice), longerClaim, "22126000999001", "staff:test")).isPresent();
        JsonObject ready = byPatient(biller.get(corrections).json().getJsonArray("corrections"), longer);
        assertThat(ready.getString("status")).isEqualTo("ready");
        assertThat(ready.getString("payerClaimControlNumber")).isEqualTo("22126000999001");

        var file = biller.get(corrections + ".837");
        assertThat(file.status()).as(file.body()).isEqualTo(200);
        assertThat(Claim837Check.problems(file.body())).isEmpty();
        assertThat(file.body()).contains("CLM*" + longerClaim + "*").contains(":B:7*").contains("REF*F8*22126000999001~").contains("HC:99458")
                .doesNotContain(":B:8*");
        assertThat(file.headers().firstValue(CorrectionsApi.WAITING_HEADER).orElseThrow())
                .isEqualTo(Claim837Export.claimControlNumber(UUID.fromString(shorter), lastMonth, 1));
        assertThat(biller.get(corrections + ".837").body()).as("byte-identical re-export").isEqualTo(file.body());
    }

    private static List<String> codes(JsonObject correction) {
        List<String> codes = new ArrayList<>();
        correction.getJsonArray("lines").forEach(l -> codes.add(((JsonObject) l).getString("code")));
        return codes;
    }

    private static JsonObject byPatient(JsonArray list, String patient) {
        return list.stream().map(JsonObject.class::cast).filter(o -> o.getString("patientId").equals(patient)).findFirst().orElseThrow();
    }

    private static JsonObject staff(String role, String npi, String name) throws Exception {
        return practices.staff(practice, role, name, npi);
    }

    private static ApiClient signIn(String email) throws Exception {
        return practices.signIn(email);
    }

    /** Hypertension, RPM consent and enrolment since 70 days ago, demographics with an MBI and an address. */
    private static String patient(String given, String family, String mbi) throws Exception {
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
        var saved = nurse.post("/api/v1/patients/" + patient + "/profile", new JsonObject().put("givenName", given).put("familyName", family)
                .put("birthDate", "1948-05-17").put("sex", "female").put("mbi", mbi)
                .put("address", new JsonObject().put("line1", "12 Elm St").put("city", "Evanston").put("state", "IL").put("zip", "60201")));
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        return patient;
    }

    private static String logTime(String patient, int day, int minutes) throws Exception {
        var logged = nurse.post("/api/v1/time-entries", new JsonObject().put("patientId", patient).put("program", "rpm").put("activity", "patient_call")
                .put("startedAt", callStart(day).toString()).put("endedAt", callStart(day).plusSeconds(minutes * 60L).toString())
                .put("interactive", true).put("interactionMode", "phone"));
        assertThat(logged.status()).as(logged.body()).isEqualTo(201);
        return logged.json().getString("id");
    }

    private static void adjust(String entry, int day, int minutes, String reason) throws Exception {
        var adjusted = nurse.post("/api/v1/time-entries/" + entry + "/adjust", new JsonObject().put("endedAt", callStart(day).plusSeconds(minutes * 60L).toString())
                .put("reason", reason));
        assertThat(adjusted.status()).as(adjusted.body()).isEqualTo(201);
    }

    private static java.time.Instant callStart(int day) {
        return lastMonth.atDay(day).atTime(9, 0).atZone(CHICAGO).toInstant();
    }
}
