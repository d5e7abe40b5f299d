package health.careloop.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The billing tier through the API (issue 5): the time ledger's refusals (overlap across programs, role, future time,
 * closed month), month close and its idempotency, adjustments after close, readiness, and the CSV/JSON exports.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BillingApiTest {
    static final String NPI = "1234567893";
    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    static Platform platform;
    static ApiClient system;
    static TestPractices practices;
    static String practice;
    static ApiClient nurse;
    static String nurseId;
    static String doctorId;
    static ApiClient doctor;
    static ApiClient biller;
    static String billerId;
    static ApiClient coordinator;
    static String coordinatorId;
    static ApiClient admin;
    static String adminId;
    static YearMonth lastMonth;

    @BeforeAll
    static void start() throws Exception {
        platform = EmbeddedPlatforms.start();
        practices = TestPractices.of(platform);
        system = practices.system();
        practice = practices.practice("Billing A", "America/Chicago");
        JsonObject n = staff("rn", null);
        nurseId = n.getString("id");
        nurse = signIn(n.getString("email"));
        JsonObject d = staff("physician", NPI);
        doctorId = d.getString("id");
        doctor = signIn(d.getString("email"));
        JsonObject b = staff("billing", null);
        billerId = b.getString("id");
        biller = signIn(b.getString("email"));
        JsonObject cc = staff("care_coordinator", null);
        coordinatorId = cc.getString("id");
        coordinator = signIn(cc.getString("email"));
        JsonObject a = staff("admin", null);
        adminId = a.getString("id");
        admin = signIn(a.getString("email"));
        lastMonth = YearMonth.now(CHICAGO).minusMonths(1);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static JsonObject staff(String role, String npi) throws Exception {
        return practices.staff(practice, role, "Test, " + role, npi);
    }

    private static ApiClient signIn(String email) throws Exception {
        return practices.signIn(email);
    }

    /** A patient with hypertension, RPM consent and enrolment since 70 days ago. */
    private static String rpmPatient() throws Exception {
        return rpmPatient("MRN-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static String rpmPatient(String externalRef) throws Exception {
        String patient = system.id(system.post("/api/v1/patients", new JsonObject().put("practiceId", practice)
                .put("externalRef", externalRef)));
        var condition = nurse.post("/api/v1/patients/" + patient + "/conditions", new JsonObject().put("icd10", "I10")
                .put("description", "Essential hypertension").put("onset", "2019-01-01").put("expectedDuration", "lifelong").put("significantRisk", true));
        assertThat(condition.status()).as(condition.body()).isEqualTo(201);
        LocalDate since = LocalDate.now(CHICAGO).minusDays(70);
        var consent = nurse.post("/api/v1/patients/" + patient + "/consents", new JsonObject().put("program", "rpm").put("method", "written")
                .put("obtainedOn", since.toString()).put("obtainedBy", nurseId).put("told", new JsonObject().put("costSharing", true)).put("accepted", true));
        assertThat(consent.status()).as(consent.body()).isEqualTo(201);
        var enrol = nurse.post("/api/v1/patients/" + patient + "/enrolments", new JsonObject().put("program", "rpm").put("startDate", since.toString())
                .put("billingPractitionerId", doctorId));
        assertThat(enrol.status()).as(enrol.body()).isEqualTo(201);
        return patient;
    }

    /** As above, also with diabetes and CCM consent and enrolment. */
    private static String rpmAndCcmPatient() throws Exception {
        return rpmAndCcmPatient("MRN-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static String rpmAndCcmPatient(String externalRef) throws Exception {
        String patient = rpmPatient(externalRef);
        var condition = nurse.post("/api/v1/patients/" + patient + "/conditions", new JsonObject().put("icd10", "E11.9")
                .put("description", "Type 2 diabetes").put("onset", "2019-01-01").put("expectedDuration", "lifelong").put("significantRisk", true));
        assertThat(condition.status()).as(condition.body()).isEqualTo(201);
        LocalDate since = LocalDate.now(CHICAGO).minusDays(70);
        var consent = nurse.post("/api/v1/patients/" + patient + "/consents", new JsonObject().put("program", "ccm").put("method", "verbal")
                .put("obtainedOn", since.toString()).put("obtainedBy", nurseId).put("told", new JsonObject().put("serviceAvailable", true)
                        .put("costSharing", true).put("onePractitionerPerMonth", true).put("mayStopAnyTime", true)).put("accepted", true));
        assertThat(consent.status()).as(consent.body()).isEqualTo(201);
        var enrol = nurse.post("/api/v1/patients/" + patient + "/enrolments", new JsonObject().put("program", "ccm").put("startDate", since.toString())
                .put("billingPractitionerId", doctorId));
        assertThat(enrol.status()).as(enrol.body()).isEqualTo(201);
        return patient;
    }

    private static String at(YearMonth month, int day, int hour, int minute) {
        return month.atDay(day).atTime(hour, minute).atZone(CHICAGO).toInstant().toString();
    }

    private static JsonObject entry(String patient, String program, String start, String end) {
        return new JsonObject().put("patientId", patient).put("program", program).put("activity", "patient_call")
                .put("startedAt", start).put("endedAt", end);
    }

    @Test
    void ledgerRefusalsCloseExportsAndAdjustments() throws Exception {
        // An external reference a spreadsheet would run as a formula (issue 14): the CSV must hand it over as text.
        String formula = "=HYPERLINK(\"http://evil.example/\",\"MRN\")";
        String patient = rpmAndCcmPatient(formula);
        String rpmOnly = rpmPatient();
        // 25 minutes of RPM with a phone call last month.
        var call = nurse.post("/api/v1/time-entries", entry(patient, "rpm", at(lastMonth, 10, 10, 0), at(lastMonth, 10, 10, 25))
                .put("interactive", true).put("interactionMode", "phone").put("note", "Reviewed BP trend, called patient"));
        assertThat(call.status()).as(call.body()).isEqualTo(201);
        String callId = call.json().getString("id");

        // The same nurse cannot log an overlapping CCM (or RPM) minute.
        var overlap = nurse.post("/api/v1/time-entries", entry(patient, "ccm", at(lastMonth, 10, 10, 20), at(lastMonth, 10, 10, 40)));
        assertThat(overlap.status()).as(overlap.body()).isEqualTo(409);
        assertThat(overlap.json().getString("error")).isEqualTo("overlapping_time");
        // In words: the practice's time (Chicago), the other patient by name, no ids.
        assertThat(overlap.json().getString("message")).startsWith("You already logged time for ").contains("(RPM, call with the patient) from 10:00 AM to 10:25 AM on ")
                .contains("(Central Time)").contains("A minute of your time counts only once").doesNotContain(callId).doesNotContain(patient);
        // Not enrolled in CCM: refused with the reason.
        var noCcm = nurse.post("/api/v1/time-entries", entry(rpmOnly, "ccm", at(lastMonth, 11, 10, 0), at(lastMonth, 11, 10, 20)));
        assertThat(noCcm.status()).as(noCcm.body()).isEqualTo(409);
        assertThat(noCcm.json().getString("error")).isEqualTo("not_consented");
        // Future time.
        var future = nurse.post("/api/v1/time-entries", entry(patient, "rpm", Instant.now().plusSeconds(600).toString(),
                Instant.now().plusSeconds(1800).toString()));
        assertThat(future.status()).as(future.body()).isEqualTo(422);
        assertThat(future.json().getString("error")).isEqualTo("future_time");
        // Messaging is not interactive communication by default (billing-rules.md 1.4).
        var messaging = nurse.post("/api/v1/time-entries", entry(patient, "rpm", at(lastMonth, 12, 10, 0), at(lastMonth, 12, 10, 5))
                .put("interactive", true).put("interactionMode", "messaging"));
        assertThat(messaging.status()).as(messaging.body()).isIn(400, 422);
        // Billing staff do not work the queue (403), and their time is refused when entered for them (422).
        assertThat(biller.post("/api/v1/time-entries", entry(patient, "rpm", at(lastMonth, 12, 9, 0), at(lastMonth, 12, 9, 5))).status())
                .isEqualTo(403);
        var forBiller = coordinator.post("/api/v1/time-entries", entry(patient, "rpm", at(lastMonth, 12, 9, 0), at(lastMonth, 12, 9, 5))
                .put("staffId", billerId));
        assertThat(forBiller.status()).as(forBiller.body()).isEqualTo(422);
        assertThat(forBiller.json().getString("error")).isEqualTo("role_not_allowed");
        // Nurses cannot close a month.
        assertThat(nurse.post("/api/v1/billing/months/" + lastMonth + "/close", "{}").status()).isEqualTo(403);

        // Readiness during (here: after) the month.
        var readiness = biller.get("/api/v1/billing/readiness?month=" + lastMonth);
        assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
        JsonObject mine = patientIn(readiness.json().getJsonArray("patients"), patient);
        assertThat(mine.getJsonObject("minutes").getInteger("rpm")).isEqualTo(25);

        // An open month has no export yet.
        assertThat(biller.get("/api/v1/billing/months/" + lastMonth + "/claims.csv").status()).isEqualTo(409);
        // The current month cannot be closed before it ends.
        assertThat(biller.post("/api/v1/billing/months/" + YearMonth.now(CHICAGO) + "/close", "{}").status()).isEqualTo(409);

        var closed = biller.post("/api/v1/billing/months/" + lastMonth + "/close", "{}");
        assertThat(closed.status()).as(closed.body()).isEqualTo(200);
        JsonArray lines = closed.json().getJsonArray("lines");
        JsonObject line = lines.stream().map(JsonObject.class::cast).filter(l -> l.getString("patientId").equals(patient)).findFirst().orElseThrow();
        assertThat(line.getString("code")).isEqualTo("99457");
        assertThat(line.getString("billingNpi")).isEqualTo(NPI);
        assertThat(line.getString("placeOfService")).isEqualTo("11");
        assertThat(line.getString("dateOfService")).isEqualTo(lastMonth.atEndOfMonth().toString());
        assertThat(line.getJsonArray("diagnoses").getList()).containsExactly("I10", "E11.9");
        assertThat(closed.json().getJsonArray("notBilled").stream().map(o -> ((JsonObject) o).getString("reason")))
                .anySatisfy(r -> assertThat(r).startsWith("99470: 25 minutes; 99457 billed instead"));

        // Idempotent: a second close returns the same lines and writes nothing new.
        var again = biller.post("/api/v1/billing/months/" + lastMonth + "/close", "{}");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().getBoolean("alreadyClosed")).isTrue();
        assertThat(again.json().getJsonArray("lines")).isEqualTo(lines);
        assertThat(again.json().getString("closedAt")).isEqualTo(closed.json().getString("closedAt"));

        // A closed month does not change: new time is refused; a correction is an adjustment that keeps the original.
        var late = nurse.post("/api/v1/time-entries", entry(patient, "rpm", at(lastMonth, 20, 10, 0), at(lastMonth, 20, 10, 30)));
        assertThat(late.status()).as(late.body()).isEqualTo(409);
        assertThat(late.json().getString("error")).isEqualTo("month_closed");
        var adjusted = nurse.post("/api/v1/time-entries/" + callId + "/adjust", new JsonObject().put("endedAt", at(lastMonth, 10, 10, 22))
                .put("reason", "Call ended at 10:22 per phone log"));
        assertThat(adjusted.status()).as(adjusted.body()).isEqualTo(201);
        assertThat(adjusted.json().getBoolean("adjustedAfterClose")).isTrue();
        assertThat(adjusted.json().getString("replacesEntryId")).isEqualTo(callId);
        var listed = nurse.get("/api/v1/patients/" + patient + "/time-entries?month=" + lastMonth);
        assertThat(listed.status()).isEqualTo(200);
        JsonObject original = listed.json().getJsonArray("items").stream().map(JsonObject.class::cast)
                .filter(e -> e.getString("id").equals(callId)).findFirst().orElseThrow();
        assertThat(original.getString("supersededByEntry")).isEqualTo(adjusted.json().getString("id"));
        assertThat(original.getString("supersededBy")).startsWith("staff:");
        assertThat(original.getString("endedAt")).isEqualTo(at(lastMonth, 10, 10, 25));
        // ... and the closed claims stay as they were.
        assertThat(biller.get("/api/v1/billing/months/" + lastMonth + "/claims.json").json().getJsonArray("lines")).isEqualTo(lines);

        var csv = biller.get("/api/v1/billing/months/" + lastMonth + "/claims.csv");
        assertThat(csv.status()).isEqualTo(200);
        String[] rows = csv.body().split("\r\n");
        assertThat(rows[0]).startsWith("patient_name,birth_date,mbi,external_ref,date_of_service,code,units,modifiers,diagnoses,rendering_npi,billing_npi,"
                + "place_of_service,charge,claim_status");
        assertThat(rows).hasSize(1 + lines.size());
        assertThat(csv.body()).contains(patient).contains("," + lastMonth.atEndOfMonth() + ",99457,1,,");
        assertThat(csv.body()).endsWith("\r\n");
        assertThat(csv.body()).as("the formula-leading external reference, neutralised and quoted")
                .contains("," + "\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"MRN\"\")\"" + ",").doesNotContain(",=HYPERLINK", ",\"=HYPERLINK");
        // The JSON export carries the value as it is (a JSON consumer does not evaluate formulas).
        assertThat(lines.stream().map(JsonObject.class::cast).filter(l -> l.getString("patientId").equals(patient)).findFirst().orElseThrow()
                .getString("externalRef")).isEqualTo(formula);
    }

    @Test
    void visitsAndInpatientStaysGateCcm() throws Exception {
        String patient = rpmAndCcmPatient();
        YearMonth month = YearMonth.now(CHICAGO);
        LocalDate first = month.atDay(1);
        // 25 minutes of CCM early on the 1st (in the past whenever this runs after 00:40 on the 1st).
        var logged = nurse.post("/api/v1/time-entries", entry(patient, "ccm", at(month, 1, 0, 10), at(month, 1, 0, 35)));
        assertThat(logged.status()).as(logged.body()).isEqualTo(201);
        JsonArray conditions = nurse.get("/api/v1/patients/" + patient).json().getJsonArray("conditions");
        var plan = doctor.post("/api/v1/patients/" + patient + "/care-plan", new JsonObject()
                .put("problems", new JsonArray(conditions.stream().map(c -> ((JsonObject) c).getString("id")).toList()))
                .put("expectedOutcome", "Blood pressure and glucose controlled at home").put("prognosis", "Good with adherence")
                .put("goals", new JsonArray().add(new JsonObject().put("description", "Lower blood pressure").put("target", "SBP < 130 mmHg")
                        .put("targetDate", LocalDate.now(CHICAGO).plusMonths(3).toString())))
                .put("symptomManagement", "Chest pain: call 911")
                .put("interventions", new JsonArray().add(new JsonObject().put("description", "Weekly review").put("responsibleParty", "RN")))
                .put("medications", new JsonArray().add(new JsonObject().put("name", "Lisinopril").put("dose", "10 mg").put("frequency", "daily")))
                .put("communityResources", new JsonArray()).put("coordinatingProviders", new JsonArray())
                .put("reviewDate", LocalDate.now(CHICAGO).plusMonths(6).toString()).put("changeNote", "Initial plan"));
        assertThat(plan.status()).as(plan.body()).isEqualTo(201);
        assertThat(missing(patient, month)).anySatisfy(r -> assertThat(r).startsWith("99490: no initiating visit on record"));

        // Visits: nurses record them (EDIT_PATIENTS), billers do not; the practitioner is a physician or NPP; not in the future.
        JsonObject visit = new JsonObject().put("kind", "em").put("date", first.toString()).put("practitionerId", doctorId).put("ccmAssessment", true);
        assertThat(biller.post("/api/v1/patients/" + patient + "/visits", visit).status()).isEqualTo(403);
        assertThat(nurse.post("/api/v1/patients/" + patient + "/visits", visit.copy().put("kind", "telehealth")).status()).isEqualTo(400);
        assertThat(nurse.post("/api/v1/patients/" + patient + "/visits", visit.copy().put("practitionerId", nurseId)).status()).isEqualTo(400);
        assertThat(nurse.post("/api/v1/patients/" + patient + "/visits", visit.copy().put("date", LocalDate.now(CHICAGO).plusDays(2).toString()))
                .status()).isEqualTo(400);
        var recorded = nurse.post("/api/v1/patients/" + patient + "/visits", visit);
        assertThat(recorded.status()).as(recorded.body()).isEqualTo(201);
        assertThat(nurse.get("/api/v1/patients/" + patient + "/visits").json().getJsonArray("items")).hasSize(1);
        assertThat(billable(patient, month)).contains("99490", "G0506");

        // A hospital stay over the logged time: those minutes do not count.
        var stay = nurse.post("/api/v1/patients/" + patient + "/inpatient-stays", new JsonObject().put("setting", "hospital")
                .put("admittedAt", at(month, 1, 0, 0)));
        assertThat(stay.status()).as(stay.body()).isEqualTo(201);
        assertThat(missing(patient, month)).anySatisfy(r -> assertThat(r).contains("25 minutes during an inpatient stay not counted"));
        String stayId = stay.json().getString("id");
        var discharged = nurse.post("/api/v1/patients/" + patient + "/inpatient-stays/" + stayId + "/discharge",
                new JsonObject().put("dischargedAt", at(month, 1, 0, 5)));
        assertThat(discharged.status()).as(discharged.body()).isEqualTo(200);
        assertThat(nurse.post("/api/v1/patients/" + patient + "/inpatient-stays/" + stayId + "/discharge",
                new JsonObject().put("dischargedAt", at(month, 1, 0, 6))).status()).isEqualTo(409);
        assertThat(billable(patient, month)).contains("99490");
        assertThat(nurse.get("/api/v1/patients/" + patient + "/inpatient-stays").json().getJsonArray("items")).hasSize(1);
        assertThat(biller.post("/api/v1/patients/" + patient + "/inpatient-stays", new JsonObject().put("setting", "snf")
                .put("admittedAt", at(month, 1, 0, 0))).status()).isEqualTo(403);
    }

    /** Consent (CCM's elements) and enrolment with the physician in a care-management program since 70 days ago. */
    private static void careManagement(String patient, String program) throws Exception {
        LocalDate since = LocalDate.now(CHICAGO).minusDays(70);
        var consent = nurse.post("/api/v1/patients/" + patient + "/consents", new JsonObject().put("program", program).put("method", "verbal")
                .put("obtainedOn", since.toString()).put("obtainedBy", nurseId).put("told", new JsonObject().put("serviceAvailable", true)
                        .put("costSharing", true).put("onePractitionerPerMonth", true).put("mayStopAnyTime", true)).put("accepted", true));
        assertThat(consent.status()).as(consent.body()).isEqualTo(201);
        var enrol = nurse.post("/api/v1/patients/" + patient + "/enrolments", new JsonObject().put("program", program).put("startDate", since.toString())
                .put("billingPractitionerId", doctorId));
        assertThat(enrol.status()).as(enrol.body()).isEqualTo(201);
    }

    @Test
    void pcmTimeAndApcmThroughTheApi() throws Exception {
        YearMonth month = YearMonth.now(CHICAGO);
        String pcmPatient = rpmPatient();
        careManagement(pcmPatient, "pcm");
        var visit = nurse.post("/api/v1/patients/" + pcmPatient + "/visits", new JsonObject().put("kind", "awv")
                .put("date", month.atDay(1).toString()).put("practitionerId", doctorId));
        assertThat(visit.status()).as(visit.body()).isEqualTo(201);
        var pcmTime = nurse.post("/api/v1/time-entries", entry(pcmPatient, "pcm", at(month, 1, 1, 0), at(month, 1, 1, 31)));
        assertThat(pcmTime.status()).as(pcmTime.body()).isEqualTo(201);
        JsonObject pcmReadiness = patientIn(biller.get("/api/v1/billing/readiness?month=" + month).json().getJsonArray("patients"), pcmPatient);
        assertThat(pcmReadiness.getJsonObject("minutes").getInteger("pcm")).isEqualTo(31);
        // No care plan yet: PCM says what is missing.
        assertThat(missing(pcmPatient, month)).anySatisfy(r -> assertThat(r).startsWith("99426: no care plan on record"));

        String apcmPatient = rpmAndCcmPatient();
        // Issue 16/18: APCM with the practitioner who already has the patient in CCM is refused at enrolment, in words.
        LocalDate since = LocalDate.now(CHICAGO).minusDays(70);
        var apcmConsent = nurse.post("/api/v1/patients/" + apcmPatient + "/consents", new JsonObject().put("program", "apcm").put("method", "verbal")
                .put("obtainedOn", since.toString()).put("obtainedBy", nurseId).put("told", new JsonObject().put("serviceAvailable", true)
                        .put("costSharing", true).put("onePractitionerPerMonth", true).put("mayStopAnyTime", true)).put("accepted", true));
        assertThat(apcmConsent.status()).as(apcmConsent.body()).isEqualTo(201);
        var conflicting = nurse.post("/api/v1/patients/" + apcmPatient + "/enrolments", new JsonObject().put("program", "apcm")
                .put("startDate", since.toString()).put("billingPractitionerId", doctorId));
        assertThat(conflicting.status()).as(conflicting.body()).isEqualTo(409);
        assertThat(conflicting.json().getString("error")).isEqualTo("conflicting_enrolment");
        assertThat(conflicting.json().getString("message")).contains("already enrolled in CCM with this billing practitioner")
                .contains("APCM includes CCM and PCM");
        // Such an enrolment made before the refusal existed: the close still bills APCM and not CCM, and says why.
        try (var c = java.sql.DriverManager.getConnection(platform.jdbcUrlForTests());
             var ps = c.prepareStatement("INSERT INTO clinical.enrolment (id, practice_id, patient_id, program, start_date, billing_practitioner_id, "
                     + "consent_id, enrolled_by) VALUES (gen_random_uuid(), ?::uuid, ?::uuid, 'apcm', ?, ?::uuid, ?::uuid, 'test')")) {
            ps.setString(1, practice);
            ps.setString(2, apcmPatient);
            ps.setObject(3, since);
            ps.setString(4, doctorId);
            ps.setString(5, apcmConsent.json().getString("id"));
            ps.executeUpdate();
        }
        assertThat(nurse.post("/api/v1/patients/" + apcmPatient + "/visits", new JsonObject().put("kind", "em")
                .put("date", month.atDay(1).toString()).put("practitionerId", doctorId)).status()).isEqualTo(201);
        // APCM is not time-based: the ledger refuses APCM minutes.
        var apcmTime = nurse.post("/api/v1/time-entries", entry(apcmPatient, "apcm", at(month, 1, 2, 0), at(month, 1, 2, 20)));
        assertThat(apcmTime.status()).as(apcmTime.body()).isEqualTo(422);
        assertThat(apcmTime.json().getString("error")).isEqualTo("not_time_based");
        var ccmTime = nurse.post("/api/v1/time-entries", entry(apcmPatient, "ccm", at(month, 1, 2, 0), at(month, 1, 2, 25)));
        assertThat(ccmTime.status()).as(ccmTime.body()).isEqualTo(201);
        assertThat(billable(apcmPatient, month)).contains("G0557").doesNotContain("99490");
        assertThat(missing(apcmPatient, month)).anySatisfy(r -> assertThat(r).startsWith("99490: APCM (G0557) is billed"));
    }

    private static java.util.List<String> missing(String patient, YearMonth month) throws Exception {
        JsonObject mine = patientIn(biller.get("/api/v1/billing/readiness?month=" + month).json().getJsonArray("patients"), patient);
        return mine.getJsonArray("missing").stream().map(o -> ((JsonObject) o).getString("reason")).toList();
    }

    private static java.util.List<String> billable(String patient, YearMonth month) throws Exception {
        JsonObject mine = patientIn(biller.get("/api/v1/billing/readiness?month=" + month).json().getJsonArray("patients"), patient);
        return mine.getJsonArray("billableSoFar").stream().map(o -> ((JsonObject) o).getString("code")).toList();
    }

    @Test
    void aPersonLogsAndCorrectsOnlyTheirOwnTimeUnlessAllowedToTranscribe() throws Exception {
        String patient = rpmAndCcmPatient();
        // Two months ago, days 25 to 28: always within the 70 days of consent, and no test here closes that month.
        YearMonth month = lastMonth.minusMonths(1);
        String start = at(month, 26, 9, 0);
        String end = at(month, 26, 9, 20);

        // A nurse cannot log time in the physician's name...
        var asDoctor = nurse.post("/api/v1/time-entries", entry(patient, "rpm", start, end).put("staffId", doctorId));
        assertThat(asDoctor.status()).as(asDoctor.body()).isEqualTo(403);
        assertThat(asDoctor.json().getString("error")).isEqualTo("not_your_time");
        assertThat(asDoctor.json().getString("message")).contains("only your own time").contains("care coordinators and administrators");
        // ...nor stretch a colleague's entry.
        var doctors = doctor.post("/api/v1/time-entries", entry(patient, "rpm", start, end));
        assertThat(doctors.status()).as(doctors.body()).isEqualTo(201);
        assertThat(doctors.json().getString("enteredBy")).isEqualTo(doctorId);
        assertThat(doctors.json().getBoolean("enteredForColleague")).isFalse();
        var stretched = nurse.post("/api/v1/time-entries/" + doctors.json().getString("id") + "/adjust", new JsonObject()
                .put("endedAt", Instant.parse(end).plus(Duration.ofMinutes(40)).toString()).put("reason", "longer call"));
        assertThat(stretched.status()).as(stretched.body()).isEqualTo(403);
        assertThat(stretched.json().getString("error")).isEqualTo("not_your_time");
        // A biller may do neither, even for themselves.
        assertThat(biller.post("/api/v1/time-entries/" + doctors.json().getString("id") + "/adjust", new JsonObject().put("reason", "x")).status())
                .isEqualTo(403);

        // A care coordinator transcribing the nurse's paper log may; the entry says who entered it and when.
        String paperStart = at(month, 25, 14, 0);
        String paperEnd = at(month, 25, 14, 12);
        var transcribed = coordinator.post("/api/v1/time-entries", entry(patient, "ccm", paperStart, paperEnd).put("staffId", nurseId)
                .put("note", "From the paper log"));
        assertThat(transcribed.status()).as(transcribed.body()).isEqualTo(201);
        JsonObject t = transcribed.json();
        assertThat(t.getString("staffId")).isEqualTo(nurseId);
        assertThat(t.getString("staffRole")).as("the nurse's time, counted as hers").isEqualTo("rn");
        assertThat(t.getString("enteredBy")).isEqualTo(coordinatorId);
        assertThat(t.getString("enteredByName")).isEqualTo("Test, care_coordinator");
        assertThat(t.getString("staffName")).isEqualTo("Test, rn");
        assertThat(t.getBoolean("enteredForColleague")).isTrue();
        assertThat(t.getString("enteredAt")).isNotBlank();
        // An administrator corrects it; the correction names the administrator.
        var corrected = admin.post("/api/v1/time-entries/" + t.getString("id") + "/adjust", new JsonObject()
                .put("endedAt", Instant.parse(paperStart).plus(Duration.ofMinutes(15)).toString()).put("reason", "Paper log said 15 minutes"));
        assertThat(corrected.status()).as(corrected.body()).isEqualTo(201);
        assertThat(corrected.json().getString("enteredBy")).isEqualTo(adminId);
        assertThat(corrected.json().getString("staffId")).isEqualTo(nurseId);
        // The nurse corrects her own entry that someone else entered: it is her time.
        var own = nurse.post("/api/v1/time-entries/" + corrected.json().getString("id") + "/adjust", new JsonObject()
                .put("note", "Checked").put("reason", "Added a note"));
        assertThat(own.status()).as(own.body()).isEqualTo(201);
        assertThat(own.json().getBoolean("enteredForColleague")).isFalse();
        // The API token is not a person: it enters nobody's time.
        assertThat(system.post("/api/v1/time-entries", entry(patient, "rpm", start, end).put("staffId", nurseId)).status()).isEqualTo(403);

        // The ledger's invariants hold for transcribed time too: no overlap for the staff member, across programs...
        var overlapping = coordinator.post("/api/v1/time-entries", entry(patient, "rpm", paperStart, paperEnd).put("staffId", nurseId));
        assertThat(overlapping.status()).as(overlapping.body()).isEqualTo(409);
        assertThat(overlapping.json().getString("error")).isEqualTo("overlapping_time");
        // ...the same minutes of another person are theirs to count.
        var doctorsOwn = coordinator.post("/api/v1/time-entries", entry(patient, "rpm", paperStart, paperEnd).put("staffId", doctorId));
        assertThat(doctorsOwn.status()).as(doctorsOwn.body()).isEqualTo(201);

        var log = nurse.get("/api/v1/patients/" + patient + "/time-entries?month=" + month).json().getJsonArray("items");
        JsonObject current = log.stream().map(JsonObject.class::cast).filter(e -> e.getString("id").equals(own.json().getString("id")))
                .findFirst().orElseThrow();
        assertThat(current.getString("staffName")).isEqualTo("Test, rn");
        JsonObject byCoordinator = log.stream().map(JsonObject.class::cast).filter(e -> e.getString("id").equals(t.getString("id")))
                .findFirst().orElseThrow();
        assertThat(byCoordinator.getString("enteredByName")).isEqualTo("Test, care_coordinator");
        assertThat(byCoordinator.getString("supersededByEntry")).isEqualTo(corrected.json().getString("id"));
    }

    @Test
    void timerStartsAndStopsAndATimerBlocksOtherTime() throws Exception {
        String patient = rpmPatient();
        var started = nurse.post("/api/v1/time-entries/timer/start", new JsonObject().put("patientId", patient).put("program", "rpm")
                .put("activity", "data_review"));
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        assertThat(started.json().getBoolean("running")).isTrue();
        var second = nurse.post("/api/v1/time-entries/timer/start", new JsonObject().put("patientId", patient).put("program", "rpm")
                .put("activity", "data_review"));
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().getString("message")).contains("timer running");
        Thread.sleep(1100);
        var stopped = nurse.post("/api/v1/time-entries/timer/stop", new JsonObject().put("interactive", true).put("interactionMode", "video"));
        assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
        assertThat(stopped.json().getBoolean("running")).isFalse();
        assertThat(stopped.json().getString("interactionMode")).isEqualTo("video");
        assertThat(nurse.post("/api/v1/time-entries/timer/stop", "{}").status()).isEqualTo(409);
    }

    private static JsonObject patientIn(JsonArray patients, String patient) {
        return patients.stream().map(JsonObject.class::cast).filter(p -> p.getString("patientId").equals(patient)).findFirst()
                .orElseThrow(() -> new AssertionError(patient + " not in " + patients));
    }
}
