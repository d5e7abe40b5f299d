package health.careloop.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18 through the API, as a practice with two physicians works: a colleague's CCM minutes are never billed as the
 * enrolled billing practitioner's own 99491 (the close and readiness say whose minutes went where), a blocking reason
 * is said once, claims.csv still carries every patient's demographics, and the ledger accepts messaging as interactive
 * communication exactly from the month the practice's setting takes effect.
 */
class PractitionerTimeApiTest {
    static final String DOCTOR_NPI = "1234567893";
    static final String COLLEAGUE_NPI = "1245319599";
    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    static Platform platform;
    static ApiClient system;
    static TestPractices practices;
    static YearMonth lastMonth;
    static YearMonth thisMonth;

    @BeforeAll
    static void start() throws Exception {
        platform = EmbeddedPlatforms.start();
        practices = TestPractices.of(platform);
        system = practices.system();
        thisMonth = YearMonth.now(CHICAGO);
        lastMonth = thisMonth.minusMonths(1);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    /** One practice and its people: a nurse, the enrolled physician Okafor, a colleague physician Byrne, a biller. */
    record Practice(String id, ApiClient nurse, String nurseId, ApiClient doctor, String doctorId, ApiClient colleague, ApiClient biller) {
    }

    static Practice practice(String name) throws Exception {
        String id = system.id(system.post("/api/v1/practices", new JsonObject().put("name", name).put("timeZone", CHICAGO.getId()).encode()));
        JsonObject nurse = staff(id, "rn", null, "Nurse, Nina");
        JsonObject doctor = staff(id, "physician", DOCTOR_NPI, "Okafor, Adaeze");
        JsonObject colleague = staff(id, "physician", COLLEAGUE_NPI, "Byrne, Brendan");
        JsonObject biller = staff(id, "billing", null, "Biller, Bo");
        return new Practice(id, signIn(nurse), nurse.getString("id"), signIn(doctor), doctor.getString("id"), signIn(colleague), signIn(biller));
    }

    @Test
    void aColleaguesMinutesAreStaffTimeNeverTheEnrolledPractitionersOwn() throws Exception {
        Practice p = practice("Two Doctors");
        String colleagueOnly = ccmPatient(p, true);
        String both = ccmPatient(p, true);
        String noVisit = ccmPatient(p, false);
        // Byrne, who is nobody's billing practitioner here, logs 30 minutes for the first patient; for the second, Okafor
        // logs 30 of his own and Byrne 30 more on another day; the third has a nurse's 25 minutes and no initiating visit.
        log(p.colleague(), colleagueOnly, "ccm", lastMonth, 3, 9, 30, null);
        log(p.doctor(), both, "ccm", lastMonth, 4, 9, 30, null);
        log(p.colleague(), both, "ccm", lastMonth, 5, 9, 30, null);
        log(p.nurse(), noVisit, "ccm", lastMonth, 6, 9, 25, null);
        var profile = p.nurse().post("/api/v1/patients/" + colleagueOnly + "/profile", new JsonObject().put("givenName", "Ann").put("familyName", "Poe")
                .put("birthDate", "1950-01-02").put("sex", "female").put("mbi", "3AC4DE5FG67"));
        assertThat(profile.status()).as(profile.body()).isEqualTo(200);

        // Readiness counts the billing practitioner's own minutes apart, as the close does.
        JsonArray readiness = p.biller().get("/api/v1/billing/readiness?month=" + lastMonth).json().getJsonArray("patients");
        assertThat(patientIn(readiness, colleagueOnly).getJsonObject("minutes").getInteger("ccm")).isEqualTo(30);
        assertThat(patientIn(readiness, colleagueOnly).getJsonObject("minutes").getInteger("ccmPhysician")).isZero();
        assertThat(patientIn(readiness, both).getJsonObject("minutes").getInteger("ccm")).isEqualTo(60);
        assertThat(patientIn(readiness, both).getJsonObject("minutes").getInteger("ccmPhysician")).isEqualTo(30);

        var closed = p.biller().post("/api/v1/billing/months/" + lastMonth + "/close", "{}");
        assertThat(closed.status()).as(closed.body()).isEqualTo(200);
        JsonObject month = closed.json();

        // Byrne's 30 minutes: 99490 under Okafor as clinical staff time, no 99491, and the reason says whose minutes they were.
        assertThat(codes(month, colleagueOnly)).containsExactly("99490");
        JsonObject staffLine = line(month, colleagueOnly, "99490");
        assertThat(staffLine.getString("billingNpi")).isEqualTo(DOCTOR_NPI);
        assertThat(staffLine.getInteger("minutesCounted")).isEqualTo(30);
        assertThat(staffLine.getString("justification")).contains("(30 minutes by Byrne, Brendan, who is not the enrolled billing practitioner, "
                + "counted as clinical staff time)");
        assertThat(reason(month, colleagueOnly, "99491")).isEqualTo("99491: 0 of 30 minutes personally by the enrolled billing practitioner "
                + "Okafor, Adaeze; 30 minutes by Byrne, Brendan, who is not the enrolled billing practitioner Okafor, Adaeze, are not counted toward "
                + "99491; they count as clinical staff time toward 99490 instead (billing-rules.md 2.1).");
        // Reasons only for codes that could apply: no add-on of a base that is not billed.
        assertThat(reasonCodes(month, colleagueOnly)).doesNotContain("99437", "99489");

        // Okafor's own 30 minutes bill 99491; Byrne's 30 are named and counted nowhere else (one track a month).
        assertThat(codes(month, both)).containsExactly("99491");
        assertThat(line(month, both, "99491").getInteger("minutesCounted")).isEqualTo(30);
        assertThat(line(month, both, "99491").getString("justification")).startsWith("99491: 30 minutes personally by the enrolled billing "
                + "practitioner Okafor, Adaeze (30 minutes by Byrne, Brendan, who is not the enrolled billing practitioner Okafor, Adaeze, are not "
                + "counted toward 99491)");
        assertThat(reason(month, both, "99490")).isEqualTo("99490: the 30 minutes personally by the enrolled billing practitioner Okafor, Adaeze "
                + "are billed on 99491 and one CCM track is billed per month; the other 30 minutes of clinical staff time are not billed.");

        // No initiating visit: said once for the patient's CCM month, not on every code.
        List<String> blocked = month.getJsonArray("notBilled").stream().map(JsonObject.class::cast)
                .filter(n -> n.getString("patientId").equals(noVisit) && n.getString("reason").contains("no initiating visit")).map(n -> n.getString("code"))
                .toList();
        assertThat(blocked).containsExactly("99490");

        // claims.csv: every billed patient's row, demographics where recorded (read in one batch), blank where not.
        var csv = p.biller().get("/api/v1/billing/months/" + lastMonth + "/claims.csv");
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        String[] rows = csv.body().split("\r?\n");
        assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("\"Poe, Ann\",1950-01-02,3AC4DE5FG67,").contains(",99490,1,"));
        assertThat(rows).anySatisfy(r -> assertThat(r).startsWith(",,,").contains(",99491,1,"));
    }

    @Test
    void messagingCountsFromTheMonthThePracticeSettingTakesEffectAndNotBefore() throws Exception {
        Practice p = practice("Messaging From This Month");
        Practice other = practice("Messaging Default");
        var saved = p.biller().put("/api/v1/billing/settings", new JsonObject().put("effectiveFrom", thisMonth.toString())
                .put("settings", new JsonObject().put("messagingIsInteractive", "true")));
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        String patient = rpmPatient(p);
        String otherPatient = rpmPatient(other);

        // The last minutes before the setting takes effect: refused, naming the month and the setting.
        var before = p.nurse().post("/api/v1/time-entries", entry(patient, "rpm", lastMonth, lastMonth.lengthOfMonth(), 23, 30, 15)
                .put("interactive", true).put("interactionMode", "messaging"));
        assertThat(before.status()).as(before.body()).isEqualTo(422);
        assertThat(before.json().getString("error")).isEqualTo("messaging_not_interactive");
        assertThat(before.json().getString("message")).contains("in " + lastMonth).contains("messagingIsInteractive = false");
        // The first minutes of the month it takes effect: accepted (early on the 1st: in the past whenever this runs after 00:20).
        var from = p.nurse().post("/api/v1/time-entries", entry(patient, "rpm", thisMonth, 1, 0, 5, 15)
                .put("interactive", true).put("interactionMode", "messaging"));
        assertThat(from.status()).as(from.body()).isEqualTo(201);
        assertThat(from.json().getString("interactionMode")).isEqualTo("messaging");
        // The close counts what the ledger accepted: 15 minutes with messaging as the interaction bill 99470 so far.
        JsonObject ready = patientIn(p.biller().get("/api/v1/billing/readiness?month=" + thisMonth).json().getJsonArray("patients"), patient);
        assertThat(ready.getJsonArray("billableSoFar").stream().map(o -> ((JsonObject) o).getString("code")).toList()).contains("99470");
        // A timer stopped with messaging this month is accepted too.
        var timer = p.nurse().post("/api/v1/time-entries/timer/start", new JsonObject().put("patientId", patient).put("program", "rpm")
                .put("activity", "data_review"));
        assertThat(timer.status()).as(timer.body()).isEqualTo(201);
        Thread.sleep(1100);
        var stopped = p.nurse().post("/api/v1/time-entries/timer/stop", new JsonObject().put("interactive", true).put("interactionMode", "messaging"));
        assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);

        // Another practice keeps the default: messaging is refused there, this month too, and so is its timer stop.
        var elsewhere = other.nurse().post("/api/v1/time-entries", entry(otherPatient, "rpm", thisMonth, 1, 0, 5, 15)
                .put("interactive", true).put("interactionMode", "messaging"));
        assertThat(elsewhere.status()).as(elsewhere.body()).isEqualTo(422);
        assertThat(elsewhere.json().getString("message")).contains("in " + thisMonth);
        assertThat(other.nurse().post("/api/v1/time-entries/timer/start", new JsonObject().put("patientId", otherPatient).put("program", "rpm")
                .put("activity", "data_review")).status()).isEqualTo(201);
        Thread.sleep(1100);
        var otherStop = other.nurse().post("/api/v1/time-entries/timer/stop", new JsonObject().put("interactive", true)
                .put("interactionMode", "messaging"));
        assertThat(otherStop.status()).as(otherStop.body()).isEqualTo(422);
        assertThat(other.nurse().post("/api/v1/time-entries/timer/stop", new JsonObject().put("interactive", true).put("interactionMode", "phone"))
                .status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ helpers

    /** Hypertension and diabetes, CCM consent and enrolment with Okafor since 70 days ago, a care plan since 60; an initiating visit when asked. */
    private static String ccmPatient(Practice p, boolean visit) throws Exception {
        String patient = patientWith(p, "ccm");
        JsonArray conditions = p.nurse().get("/api/v1/patients/" + patient).json().getJsonArray("conditions");
        LocalDate established = LocalDate.now(CHICAGO).minusDays(60);
        var plan = p.doctor().post("/api/v1/patients/" + patient + "/care-plan", new JsonObject()
                .put("problems", new JsonArray(conditions.stream().map(c -> ((JsonObject) c).getString("id")).toList()))
                .put("expectedOutcome", "Blood pressure and glucose controlled at home").put("prognosis", "Good with adherence")
                .put("goals", new JsonArray().add(new JsonObject().put("description", "Lower blood pressure").put("target", "SBP < 130 mmHg")
                        .put("targetDate", LocalDate.now(CHICAGO).plusMonths(3).toString())))
                .put("symptomManagement", "Chest pain: call 911")
                .put("interventions", new JsonArray().add(new JsonObject().put("description", "Weekly review").put("responsibleParty", "RN")))
                .put("medications", new JsonArray().add(new JsonObject().put("name", "Lisinopril").put("dose", "10 mg").put("frequency", "daily")))
                .put("communityResources", new JsonArray()).put("coordinatingProviders", new JsonArray())
                .put("reviewDate", LocalDate.now(CHICAGO).plusMonths(6).toString()).put("changeNote", "Initial plan")
                .put("establishedOn", established.toString()));
        assertThat(plan.status()).as(plan.body()).isEqualTo(201);
        if (visit) {
            var recorded = p.nurse().post("/api/v1/patients/" + patient + "/visits", new JsonObject().put("kind", "em")
                    .put("date", established.toString()).put("practitionerId", p.doctorId()));
            assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
        }
        return patient;
    }

    private static String rpmPatient(Practice p) throws Exception {
        return patientWith(p, "rpm");
    }

    /** A patient with hypertension and diabetes, consented and enrolled in the program with Okafor since 70 days ago. */
    private static String patientWith(Practice p, String program) throws Exception {
        String patient = system.id(system.post("/api/v1/patients", new JsonObject().put("practiceId", p.id())
                .put("externalRef", "MRN-" + UUID.randomUUID().toString().substring(0, 8))));
        for (String[] c : new String[][]{{"I10", "Essential hypertension"}, {"E11.9", "Type 2 diabetes"}}) {
            var condition = p.nurse().post("/api/v1/patients/" + patient + "/conditions", new JsonObject().put("icd10", c[0]).put("description", c[1])
                    .put("onset", "2019-01-01").put("expectedDuration", "lifelong").put("significantRisk", true));
            assertThat(condition.status()).as(condition.body()).isEqualTo(201);
        }
        LocalDate since = LocalDate.now(CHICAGO).minusDays(70);
        var consent = p.nurse().post("/api/v1/patients/" + patient + "/consents", new JsonObject().put("program", program).put("method", "verbal")
                .put("obtainedOn", since.toString()).put("obtainedBy", p.nurseId()).put("told", new JsonObject().put("serviceAvailable", true)
                        .put("costSharing", true).put("onePractitionerPerMonth", true).put("mayStopAnyTime", true)).put("accepted", true));
        assertThat(consent.status()).as(consent.body()).isEqualTo(201);
        var enrol = p.nurse().post("/api/v1/patients/" + patient + "/enrolments", new JsonObject().put("program", program)
                .put("startDate", since.toString()).put("billingPractitionerId", p.doctorId()));
        assertThat(enrol.status()).as(enrol.body()).isEqualTo(201);
        return patient;
    }

    private static void log(ApiClient who, String patient, String program, YearMonth month, int day, int hour, int minutes, String mode)
            throws Exception {
        JsonObject body = entry(patient, program, month, day, hour, 0, minutes);
        if (mode != null) {
            body.put("interactive", true).put("interactionMode", mode);
        }
        var logged = who.post("/api/v1/time-entries", body);
        assertThat(logged.status()).as(logged.body()).isEqualTo(201);
    }

    private static JsonObject entry(String patient, String program, YearMonth month, int day, int hour, int minute, int minutes) {
        var start = month.atDay(day).atTime(hour, minute).atZone(CHICAGO);
        return new JsonObject().put("patientId", patient).put("program", program).put("activity", "care_coordination")
                .put("startedAt", start.toInstant().toString()).put("endedAt", start.plusMinutes(minutes).toInstant().toString());
    }

    private static JsonObject staff(String practiceId, String role, String npi, String name) throws Exception {
        return practices.staff(practiceId, role, name, npi);
    }

    private static ApiClient signIn(JsonObject staff) throws Exception {
        return practices.signIn(staff.getString("email"));
    }

    private static JsonObject patientIn(JsonArray patients, String patient) {
        return patients.stream().map(JsonObject.class::cast).filter(p -> p.getString("patientId").equals(patient)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + patient + " in " + patients.encode()));
    }

    private static List<String> codes(JsonObject month, String patient) {
        return month.getJsonArray("lines").stream().map(JsonObject.class::cast).filter(l -> l.getString("patientId").equals(patient)
                && !l.getString("program").equals("rpm")).map(l -> l.getString("code")).toList();
    }

    private static JsonObject line(JsonObject month, String patient, String code) {
        return month.getJsonArray("lines").stream().map(JsonObject.class::cast)
                .filter(l -> l.getString("patientId").equals(patient) && l.getString("code").equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + code + " for " + patient + " in " + month.encode()));
    }

    private static List<String> reasonCodes(JsonObject month, String patient) {
        return month.getJsonArray("notBilled").stream().map(JsonObject.class::cast).filter(n -> n.getString("patientId").equals(patient))
                .map(n -> n.getString("code")).toList();
    }

    private static String reason(JsonObject month, String patient, String code) {
        return month.getJsonArray("notBilled").stream().map(JsonObject.class::cast)
                .filter(n -> n.getString("patientId").equals(patient) && n.getString("code").equals(code)).map(n -> n.getString("reason")).findFirst()
                .orElseThrow(() -> new AssertionError("no reason for " + code + " of " + patient + " in " + month.encode()));
    }
}
