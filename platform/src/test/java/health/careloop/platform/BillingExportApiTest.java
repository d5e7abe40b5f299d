package health.careloop.platform;

import health.careloop.billing.export.Claim837Export;
import health.careloop.billing.x12.Claim837Check;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The practice billing profile and the 837P export (issue 5): profile validation with the X12 records' messages, the
 * export's refusals (open month, no profile, patients without MBI/address), and a file that reads back cleanly, holds one
 * claim per billed patient with exactly the month's claim lines, and is identical when exported again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BillingExportApiTest {
    static final String DOCTOR_NPI = "1234567893";
    /** The practice's own (type 2) NPI: different from the doctor's, so claims name the rendering provider. */
    static final String PRACTICE_NPI = "1987654328";
    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    static Platform platform;
    static ApiClient system;
    static TestPractices practices;
    static String practice;
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
        practice = practices.practice("Export A", "America/Chicago");
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

    private static JsonObject staff(String role, String npi, String name) throws Exception {
        return practices.staff(practice, role, name, npi);
    }

    private static ApiClient signIn(String email) throws Exception {
        return practices.signIn(email);
    }

    /** Hypertension (and type 2 diabetes with CCM when asked), RPM consent and enrolment since 70 days ago. */
    private static String patient(boolean ccm) throws Exception {
        String patient = system.id(system.post("/api/v1/patients", new JsonObject().put("practiceId", practice)
                .put("externalRef", "MRN-" + UUID.randomUUID().toString().substring(0, 8))));
        LocalDate since = LocalDate.now(CHICAGO).minusDays(70);
        condition(patient, "I10", "Essential hypertension");
        program(patient, "rpm", new JsonObject().put("costSharing", true), "written", since);
        if (ccm) {
            condition(patient, "E11.9", "Type 2 diabetes");
            program(patient, "ccm", new JsonObject().put("serviceAvailable", true).put("costSharing", true).put("onePractitionerPerMonth", true)
                    .put("mayStopAnyTime", true), "verbal", since);
        }
        return patient;
    }

    private static void condition(String patient, String icd10, String description) throws Exception {
        var condition = nurse.post("/api/v1/patients/" + patient + "/conditions", new JsonObject().put("icd10", icd10)
                .put("description", description).put("onset", "2019-01-01").put("expectedDuration", "lifelong").put("significantRisk", true));
        assertThat(condition.status()).as(condition.body()).isEqualTo(201);
    }

    private static void program(String patient, String program, JsonObject told, String method, LocalDate since) throws Exception {
        var consent = nurse.post("/api/v1/patients/" + patient + "/consents", new JsonObject().put("program", program).put("method", method)
                .put("obtainedOn", since.toString()).put("obtainedBy", nurseId).put("told", told).put("accepted", true));
        assertThat(consent.status()).as(consent.body()).isEqualTo(201);
        var enrol = nurse.post("/api/v1/patients/" + patient + "/enrolments", new JsonObject().put("program", program)
                .put("startDate", since.toString()).put("billingPractitionerId", doctorId));
        assertThat(enrol.status()).as(enrol.body()).isEqualTo(201);
    }

    private static void demographics(String patient, String given, String family, String mbi, JsonObject address) throws Exception {
        var saved = nurse.post("/api/v1/patients/" + patient + "/profile", new JsonObject().put("givenName", given).put("familyName", family)
                .put("birthDate", "1948-05-17").put("sex", "female").put("mbi", mbi).put("address", address));
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
    }

    private static void logTime(String patient, String program, int day, int minutes, boolean call) throws Exception {
        String start = lastMonth.atDay(day).atTime(9, 0).atZone(CHICAGO).toInstant().toString();
        String end = lastMonth.atDay(day).atTime(9, 0).plusMinutes(minutes).atZone(CHICAGO).toInstant().toString();
        JsonObject entry = new JsonObject().put("patientId", patient).put("program", program).put("activity", "patient_call")
                .put("startedAt", start).put("endedAt", end);
        if (call) {
            entry.put("interactive", true).put("interactionMode", "phone");
        }
        var logged = nurse.post("/api/v1/time-entries", entry);
        assertThat(logged.status()).as(logged.body()).isEqualTo(201);
    }

    static JsonObject validProfile() {
        return new JsonObject()
                .put("billingProvider", new JsonObject().put("organizationName", "EXPORT A FAMILY MEDICINE LLC").put("npi", PRACTICE_NPI)
                        .put("ein", "521234567").put("address", new JsonObject().put("line1", "100 N MICHIGAN AVE").put("line2", "SUITE 200")
                                .put("city", "CHICAGO").put("state", "IL").put("zip", "606011234")))
                .put("submitter", new JsonObject().put("name", "EXPORT A FAMILY MEDICINE").put("id", "EXPA0001").put("contactName", "BILLING OFFICE")
                        .put("contactPhone", "3125550100"))
                .put("receiver", new JsonObject().put("name", "WPS GOVERNMENT HEALTH ADMINISTRATORS").put("id", "05201"))
                .put("payer", new JsonObject().put("name", "MEDICARE PART B").put("payerId", "06102"))
                .put("usage", "test");
    }

    @Test
    void profileAndExport837() throws Exception {
        String complete = patient(true);
        String withAddOn = patient(false);
        String noMbi = patient(false);
        demographics(complete, "José", "Núñez", "1EG4TE5MK73", new JsonObject().put("line1", "12 Elm St").put("city", "Evanston")
                .put("state", "IL").put("zip", "60201"));
        demographics(withAddOn, "John", "Roe", "2CD5EF6GH78", new JsonObject().put("line1", "9 Oak Ave").put("line2", "Apt 3").put("city", "Oak Park")
                .put("state", "IL").put("zip", "603021234"));
        // Name, birth date and sex, but no MBI and no address yet.
        var partial = nurse.post("/api/v1/patients/" + noMbi + "/profile", new JsonObject().put("givenName", "Ann").put("familyName", "Poe")
                .put("birthDate", "1950-01-02").put("sex", "female"));
        assertThat(partial.status()).as(partial.body()).isEqualTo(200);

        logTime(complete, "rpm", 3, 25, true);    // 99457
        logTime(complete, "ccm", 4, 45, false);   // CCM minutes: billed if the rules allow
        logTime(withAddOn, "rpm", 5, 45, true);   // 99457 + 99458 (add-on)
        logTime(noMbi, "rpm", 6, 25, true);       // 99457

        // ---- the profile: role, validation with the X12 records' own messages
        assertThat(biller.get("/api/v1/billing/profile").status()).isEqualTo(404);
        assertThat(nurse.put("/api/v1/billing/profile", validProfile()).status()).isEqualTo(403);
        var noPractice = system.put("/api/v1/billing/profile", validProfile());
        assertThat(noPractice.status()).as(noPractice.body()).isEqualTo(400);
        assertThat(noPractice.json().getString("message")).contains("practiceId");

        JsonObject badEin = validProfile();
        badEin.getJsonObject("billingProvider").put("ein", "52-1234567");
        var ein = biller.put("/api/v1/billing/profile", badEin);
        assertThat(ein.status()).as(ein.body()).isEqualTo(400);
        assertThat(ein.json().getString("error")).isEqualTo("invalid_billing_profile");
        assertThat(ein.json().getString("message")).isEqualTo("BillingProvider.ein must be 9 digits without a dash, not '52-1234567'");

        JsonObject poBox = validProfile();
        poBox.getJsonObject("billingProvider").getJsonObject("address").put("line1", "PO Box 4411");
        var box = biller.put("/api/v1/billing/profile", poBox);
        assertThat(box.status()).as(box.body()).isEqualTo(400);
        assertThat(box.json().getString("message")).contains("BillingProvider.address must be a street address, not a post office or lock box");

        JsonObject zip5 = validProfile();
        zip5.getJsonObject("billingProvider").getJsonObject("address").put("zip", "60601");
        var zip = biller.put("/api/v1/billing/profile", zip5);
        assertThat(zip.status()).as(zip.body()).isEqualTo(400);
        assertThat(zip.json().getString("message")).contains("BillingProvider.address.zip must be the 9-digit ZIP");

        JsonObject badNpi = validProfile();
        badNpi.getJsonObject("billingProvider").put("npi", "1234567890");
        assertThat(biller.put("/api/v1/billing/profile", badNpi).json().getString("message")).contains("BillingProvider.npi");
        JsonObject noSubmitter = validProfile();
        noSubmitter.remove("submitter");
        assertThat(biller.put("/api/v1/billing/profile", noSubmitter).json().getString("message")).isEqualTo("submitter is required");
        JsonObject badPhone = validProfile();
        badPhone.getJsonObject("submitter").put("contactPhone", "(312) 555-0100");
        assertThat(biller.put("/api/v1/billing/profile", badPhone).json().getString("message")).startsWith("Submitter.contactPhone must be 10 digits");
        assertThat(biller.get("/api/v1/billing/profile").status()).isEqualTo(404); // nothing stored by the refusals

        // ---- the export's refusals: open month, then no profile
        String export = "/api/v1/billing/months/" + lastMonth + "/claims.837";
        var open = biller.get(export);
        assertThat(open.status()).as(open.body()).isEqualTo(409);
        assertThat(open.json().getString("error")).isEqualTo("month_not_closed");
        assertThat(open.json().getString("message")).contains("close it first");

        var closed = biller.post("/api/v1/billing/months/" + lastMonth + "/close", "{}");
        assertThat(closed.status()).as(closed.body()).isEqualTo(200);
        JsonArray lines = closed.json().getJsonArray("lines");

        var noProfile = biller.get(export);
        assertThat(noProfile.status()).as(noProfile.body()).isEqualTo(409);
        assertThat(noProfile.json().getString("error")).isEqualTo("no_billing_profile");
        assertThat(noProfile.json().getString("message")).contains("PUT /billing/profile");

        var saved = biller.put("/api/v1/billing/profile", validProfile());
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.json().getJsonObject("billingProvider").getString("ein")).isEqualTo("521234567");
        assertThat(saved.json().getString("updatedBy")).startsWith("staff:");
        var read = biller.get("/api/v1/billing/profile");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(saved.json());
        assertThat(system.get("/api/v1/billing/profile?practiceId=" + practice).json()).isEqualTo(saved.json());

        // ---- a billed patient without MBI and address: refused, naming the patient; or left out on request
        var incomplete = biller.get(export);
        assertThat(incomplete.status()).as(incomplete.body()).isEqualTo(409);
        assertThat(incomplete.json().getString("error")).isEqualTo("incomplete_patients");
        assertThat(incomplete.json().getString("message")).contains(noMbi).contains("no MBI and no address recorded").contains("skipIncomplete=true")
                .doesNotContain(complete).doesNotContain(withAddOn);

        HttpResponse<String> skipped = biller.getResponse(export + "?skipIncomplete=true");
        assertThat(skipped.statusCode()).as(skipped.body()).isEqualTo(200);
        assertThat(skipped.headers().firstValue("X-CareLoop-Skipped-Patients")).hasValue(noMbi);
        assertThat(Claim837Check.problems(skipped.body())).isEmpty();
        assertThat(segments(skipped.body(), "CLM")).hasSize(2);
        assertThat(sv1ByClaim(skipped.body())).doesNotContainKey(Claim837Export.claimControlNumber(UUID.fromString(noMbi), lastMonth, 1));

        // ---- complete demographics: every billed patient on the file, exactly their claim lines
        demographics(noMbi, "Ann", "Poe", "3AC4DE5FG67", new JsonObject().put("line1", "1 Lake Shore Dr").put("city", "Chicago")
                .put("state", "IL").put("zip", "60611"));
        HttpResponse<String> file = biller.getResponse(export);
        assertThat(file.statusCode()).as(file.body()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/edi-x12");
        assertThat(file.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"claims-" + lastMonth + ".837\"");
        assertThat(file.headers().firstValue("X-CareLoop-Skipped-Patients")).isEmpty();
        String text = file.body();
        assertThat(Claim837Check.problems(text)).isEmpty();

        Map<String, List<String>> expected = new HashMap<>();
        for (Object o : lines) {
            JsonObject l = (JsonObject) o;
            String ctl = Claim837Export.claimControlNumber(UUID.fromString(l.getString("patientId")), lastMonth, 1);
            expected.computeIfAbsent(ctl, k -> new ArrayList<>()).add(l.getString("code") + "*" + l.getInteger("units"));
        }
        long billedPatients = lines.stream().map(o -> ((JsonObject) o).getString("patientId")).distinct().count();
        assertThat(billedPatients).isEqualTo(3);
        assertThat(segments(text, "CLM")).hasSize((int) billedPatients);
        assertThat(file.headers().firstValue("X-CareLoop-Claim-Count")).hasValue(Long.toString(billedPatients));
        Map<String, List<String>> actual = sv1ByClaim(text);
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((ctl, codes) -> assertThat(actual.get(ctl)).as(ctl).containsExactlyInAnyOrderElementsOf(codes));
        // The add-on follows its base code on the claim.
        List<String> addOnClaim = actual.get(Claim837Export.claimControlNumber(UUID.fromString(withAddOn), lastMonth, 1));
        assertThat(addOnClaim).containsSubsequence("99457*1", "99458*1");
        assertThat(addOnClaim.indexOf("99458*1")).isEqualTo(addOnClaim.indexOf("99457*1") + 1);

        // Subscriber names in upper case ASCII, the rendering provider (doctor's NPI differs from the practice's), no dots in HI.
        assertThat(text).contains("NM1*IL*1*NUNEZ*JOSE****MI*1EG4TE5MK73~").contains("NM1*82*1*OKAFOR*ADAEZE****XX*" + DOCTOR_NPI + "~")
                .contains("NM1*85*2*EXPORT A FAMILY MEDICINE LLC*****XX*" + PRACTICE_NPI + "~").contains("REF*EI*521234567~")
                .contains("NM1*PR*2*MEDICARE PART B*****PI*06102~").contains("HI*ABK:I10");
        assertThat(segments(text, "ISA").get(0)).contains("*T*:"); // usage test
        String icn = String.format("%09d", Claim837Export.interchangeControlNumber(UUID.fromString(practice), lastMonth));
        assertThat(segments(text, "IEA").get(0)).isEqualTo("IEA*1*" + icn);

        // ---- a re-export is byte-identical
        assertThat(biller.getResponse(export).body()).isEqualTo(text);
        assertThat(system.getResponse(export + "?practiceId=" + practice).body()).isEqualTo(text);
        assertThat(biller.get(export + "?skipIncomplete=maybe").status()).isEqualTo(400);

        // ---- every download names, in the audit trail, the patients whose claims it holds (issue 14)
        var worklist = biller.get("/api/v1/billing/months/" + lastMonth + "/claims.csv");
        assertThat(worklist.status()).isEqualTo(200);
        // The biller's worklist: name, birth date, MBI, date of service, code, units, modifiers, diagnoses, rendering and
        // billing NPI, place of service, charge, status.
        assertThat(worklist.body()).contains("\"Núñez, José\",1948-05-17,1EG4TE5MK73,")
                .contains(lastMonth.atEndOfMonth() + ",99457,1,,I10").contains("," + DOCTOR_NPI + "," + PRACTICE_NPI + ",11,42.42,\"sent, waiting for the clearinghouse's 999\",");
        assertThat(biller.get("/api/v1/billing/months/" + lastMonth + "/claims.json").status()).isEqualTo(200);
        String all = "ARRAY['" + complete + "', '" + withAddOn + "', '" + noMbi + "']::uuid[]";
        String base = "resource = '/api/v1/billing/months/" + lastMonth + "/claims.";
        awaitAudit(base + "csv' AND outcome = 200 AND practice_id = '" + practice + "' AND patient_ids @> " + all + " AND cardinality(patient_ids) = 3");
        awaitAudit(base + "json' AND outcome = 200 AND patient_ids @> " + all + " AND cardinality(patient_ids) = 3");
        awaitAudit(base + "837' AND query IS NULL AND outcome = 200 AND patient_ids @> " + all + " AND cardinality(patient_ids) = 3");
        awaitAudit(base + "837' AND query = 'skipIncomplete=true' AND outcome = 200 AND patient_ids @> ARRAY['" + complete + "', '" + withAddOn
                + "']::uuid[] AND cardinality(patient_ids) = 2");
        awaitAudit(base + "837' AND outcome = 409 AND patient_id = '" + noMbi + "'");
    }

    private static void awaitAudit(String condition) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
            try (var c = java.sql.DriverManager.getConnection(platform.jdbcUrlForTests()); var st = c.createStatement();
                 var rs = st.executeQuery("SELECT count(*) FROM core.audit_event WHERE " + condition)) {
                rs.next();
                return rs.getLong(1) >= 1;
            }
        });
    }

    private static List<String> segments(String x12, String id) {
        List<String> found = new ArrayList<>();
        for (String segment : x12.split("~\n?")) {
            if (segment.startsWith(id + "*")) {
                found.add(segment);
            }
        }
        return found;
    }

    /** CLM01 → the claim's SV1 lines as "code*units", in file order. */
    private static Map<String, List<String>> sv1ByClaim(String x12) {
        Map<String, List<String>> byClaim = new HashMap<>();
        String claim = null;
        for (String segment : x12.split("~\n?")) {
            String[] e = segment.split("\\*", -1);
            if (e[0].equals("CLM")) {
                claim = e[1];
                assertThat(byClaim).doesNotContainKey(claim);
                byClaim.put(claim, new ArrayList<>());
            } else if (e[0].equals("SV1")) {
                byClaim.get(claim).add(e[1].split(":")[1] + "*" + e[4]);
            }
        }
        return byClaim;
    }
}
