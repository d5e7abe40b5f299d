package health.careloop.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, the chart's API: care plans established on an earlier day and marked substantial, copies given to the
 * patient, a provider's record of complex medical decision making (withdrawn with a reason; neither in a closed month), a changed MRN and the refusal of conflicting
 * enrolments; each refusal for the wrong role (403), another practice (404) and bad input (400 naming the field). The
 * month close's use of these is at the end: the chart's readiness and the close give one answer.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CcmChartApiTest {
    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    static Platform platform;
    static ApiClient system;
    static TestPractices practices;
    static String practice;
    static ApiClient nurse;
    static String nurseId;
    static ApiClient doctor;
    static String doctorId;
    static ApiClient biller;
    static ApiClient otherNurse;
    static ApiClient otherDoctor;

    @BeforeAll
    static void start() throws Exception {
        platform = EmbeddedPlatforms.start();
        practices = TestPractices.of(platform);
        system = practices.system();
        practice = practices.practice("Chart A", "America/Chicago");
        String other = practices.practice("Chart B", "America/Denver");
        JsonObject n = staff(practice, "rn", null);
        nurseId = n.getString("id");
        nurse = signIn(n.getString("email"));
        JsonObject d = staff(practice, "physician", "1234567893");
        doctorId = d.getString("id");
        doctor = signIn(d.getString("email"));
        biller = signIn(staff(practice, "billing", null).getString("email"));
        otherNurse = signIn(staff(other, "rn", null).getString("email"));
        otherDoctor = signIn(staff(other, "physician", "1245319599").getString("email"));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void aCarePlanEstablishedEarlierIsOnRecordFromThatDayAndTheChartSaysSo() throws Exception {
        String patient = ccmPatient(LocalDate.now(CHICAGO).minusDays(90));
        LocalDate today = LocalDate.now(CHICAGO);
        LocalDate twoMonthsAgo = today.minusMonths(2);
        JsonObject plan = plan(patient).put("establishedOn", twoMonthsAgo.toString());

        var future = doctor.post("/api/v1/patients/" + patient + "/care-plan", plan.copy().put("establishedOn", today.plusDays(1).toString()));
        assertThat(future.status()).isEqualTo(400);
        assertThat(future.json().getString("message")).contains("'establishedOn'").contains("future");
        var notADate = doctor.post("/api/v1/patients/" + patient + "/care-plan", plan.copy().put("establishedOn", "last spring"));
        assertThat(notADate.status()).isEqualTo(400);
        assertThat(notADate.json().getString("message")).contains("establishedOn");
        assertThat(nurse.post("/api/v1/patients/" + patient + "/care-plan", plan).status()).isEqualTo(403);
        assertThat(otherDoctor.post("/api/v1/patients/" + patient + "/care-plan", plan).status()).isEqualTo(404);

        var first = doctor.post("/api/v1/patients/" + patient + "/care-plan", plan);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.json().getString("establishedOn")).isEqualTo(twoMonthsAgo.toString());
        assertThat(first.json().getBoolean("substantialRevision")).as("version 1 establishes the plan").isTrue();
        assertThat(first.json().getString("changedAt")).startsWith(String.valueOf(today.getYear()));

        // The chart's CCM readiness asks the close's question: a plan on record by today, established two months ago.
        JsonObject ccm = nurse.get("/api/v1/patients/" + patient).json().getJsonObject("programs").getJsonObject("ccm");
        assertThat(ccm.getBoolean("carePlanOnRecord")).isTrue();
        assertThat(ccm.getString("carePlanReason")).isEqualTo("Care plan on record, established on " + twoMonthsAgo + ".");
        assertThat(ccm.getBoolean("ready")).isTrue();

        // A later version may not be dated before the one it follows; one marked "not substantial" says so.
        JsonObject change = plan.copy().put("symptomManagement", "Dizziness: sit down, check BP, call the nurse line").put("baseVersion", 1)
                .put("changeNote", "Symptom advice clarified").put("substantialRevision", false);
        var backwards = doctor.post("/api/v1/patients/" + patient + "/care-plan", change.copy().put("establishedOn", twoMonthsAgo.minusDays(1).toString()));
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(backwards.json().getString("message")).contains("'establishedOn'").contains("runs forward");
        var second = doctor.post("/api/v1/patients/" + patient + "/care-plan", change);
        assertThat(second.status()).as(second.body()).isEqualTo(201);
        assertThat(second.json().getBoolean("substantialRevision")).isFalse();
    }

    @Test
    void aCopyGivenToThePatientIsRecordedWithItsDayAndHow() throws Exception {
        String patient = ccmPatient(LocalDate.now(CHICAGO).minusDays(40));
        LocalDate established = LocalDate.now(CHICAGO).minusDays(10);
        assertThat(doctor.post("/api/v1/patients/" + patient + "/care-plan", plan(patient).put("establishedOn", established.toString())).status())
                .isEqualTo(201);
        String copies = "/api/v1/patients/" + patient + "/care-plan/versions/1/copies";
        JsonObject copy = new JsonObject().put("givenOn", established.plusDays(1).toString()).put("method", "mail");
        assertThat(biller.post(copies, copy).status()).isEqualTo(403);
        assertThat(otherNurse.post(copies, copy).status()).isEqualTo(404);
        var badMethod = nurse.post(copies, copy.copy().put("method", "pigeon"));
        assertThat(badMethod.status()).isEqualTo(400);
        assertThat(badMethod.json().getString("message")).contains("'method'");
        var before = nurse.post(copies, copy.copy().put("givenOn", established.minusDays(1).toString()));
        assertThat(before.status()).isEqualTo(400);
        assertThat(before.json().getString("message")).contains("'givenOn'");
        assertThat(nurse.post("/api/v1/patients/" + patient + "/care-plan/versions/9/copies", copy).status()).isEqualTo(404);
        assertThat(nurse.post("/api/v1/patients/" + patient + "/care-plan/versions/first/copies", copy).status()).isEqualTo(400);

        var given = nurse.post(copies, copy);
        assertThat(given.status()).as(given.body()).isEqualTo(201);
        JsonArray versions = nurse.get("/api/v1/patients/" + patient + "/care-plan/versions").json().getJsonArray("items");
        JsonObject recorded = versions.getJsonObject(0).getJsonArray("copies").getJsonObject(0);
        assertThat(recorded.getString("givenOn")).isEqualTo(established.plusDays(1).toString());
        assertThat(recorded.getString("method")).isEqualTo("mail");
        assertThat(recorded.getString("recordedBy")).isNotBlank();
    }

    @Test
    void onlyASignedInProviderRecordsComplexDecisionMaking() throws Exception {
        String patient = ccmPatient(LocalDate.now(CHICAGO).minusDays(40));
        String path = "/api/v1/patients/" + patient + "/ccm-complexity";
        String month = YearMonth.now(CHICAGO).toString();
        JsonObject record = new JsonObject().put("month", month).put("level", "moderate").put("note", "Insulin started; cardiology and nephrology");
        assertThat(nurse.post(path, record).status()).isEqualTo(403);
        assertThat(biller.post(path, record).status()).isEqualTo(403);
        var token = system.post(path, record);
        assertThat(token.status()).as("the API token is not a person").isEqualTo(403);
        assertThat(otherDoctor.post(path, record).status()).isEqualTo(404);
        var level = doctor.post(path, record.copy().put("level", "low"));
        assertThat(level.status()).isEqualTo(400);
        assertThat(level.json().getString("message")).contains("'level'");
        var badMonth = doctor.post(path, record.copy().put("month", "November"));
        assertThat(badMonth.status()).isEqualTo(400);
        assertThat(badMonth.json().getString("message")).contains("'month'");
        var later = doctor.post(path, record.copy().put("month", YearMonth.now(CHICAGO).plusMonths(1).toString()));
        assertThat(later.status()).isEqualTo(400);
        assertThat(later.json().getString("message")).contains("'month'");

        assertThat(doctor.post(path, record).status()).isEqualTo(201);
        var again = doctor.post(path, record.copy().put("level", "high"));
        assertThat(again.status()).isEqualTo(201);
        JsonArray items = nurse.get(path).json().getJsonArray("items");
        assertThat(items).hasSize(1);
        assertThat(items.getJsonObject(0).getString("level")).isEqualTo("high");
        assertThat(items.getJsonObject(0).getString("providerId")).isEqualTo(doctorId);
        assertThat(otherNurse.get(path).status()).isEqualTo(404);
    }

    @Test
    void aProviderWithdrawsAComplexityRecordWithAReasonAndTheCloseNoLongerCountsIt() throws Exception {
        YearMonth lastMonth = YearMonth.now(CHICAGO).minusMonths(1);
        String complex = ccmPatient(lastMonth.atDay(1).minusDays(20));
        visit(complex, lastMonth.atDay(1).minusDays(20));
        time(complex, lastMonth, 14, 95);
        assertThat(doctor.post("/api/v1/patients/" + complex + "/care-plan", plan(complex).put("establishedOn", lastMonth.atDay(3).toString()))
                .status()).isEqualTo(201);
        String path = "/api/v1/patients/" + complex + "/ccm-complexity";
        var recorded = doctor.post(path, new JsonObject().put("month", lastMonth.toString()).put("level", "high"));
        assertThat(recorded.status()).isEqualTo(201);
        String id = recorded.json().getString("id");
        assertThat(billable(complex, lastMonth)).contains("99487");

        String withdraw = path + "/" + id + "/withdraw";
        JsonObject reason = new JsonObject().put("reason", "Entered for the wrong month; the admissions were in the month before");
        assertThat(nurse.post(withdraw, reason).status()).isEqualTo(403);
        assertThat(biller.post(withdraw, reason).status()).isEqualTo(403);
        assertThat(system.post(withdraw, reason).status()).as("the API token is not a provider").isEqualTo(403);
        assertThat(otherDoctor.post(withdraw, reason).status()).as("another practice's provider").isEqualTo(404);
        assertThat(doctor.post(path + "/" + UUID.randomUUID() + "/withdraw", reason).status()).isEqualTo(404);
        String otherPatient = ccmPatient(lastMonth.atDay(1));
        assertThat(doctor.post("/api/v1/patients/" + otherPatient + "/ccm-complexity/" + id + "/withdraw", reason).status())
                .as("the record of another patient").isEqualTo(404);
        var noReason = doctor.post(withdraw, new JsonObject().put("reason", "  "));
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().getString("message")).contains("'reason'");

        var withdrawn = doctor.post(withdraw, reason);
        assertThat(withdrawn.status()).as(withdrawn.body()).isEqualTo(200);
        assertThat(withdrawn.json().getBoolean("inForce")).isFalse();
        assertThat(withdrawn.json().getJsonObject("withdrawal").getString("reason")).isEqualTo(reason.getString("reason"));
        assertThat(withdrawn.json().getJsonObject("withdrawal").getString("staffId")).isEqualTo(doctorId);
        // Kept in the history; the close no longer counts it.
        JsonArray history = nurse.get(path).json().getJsonArray("items");
        assertThat(history).hasSize(1);
        assertThat(history.getJsonObject(0).getBoolean("inForce")).isFalse();
        assertThat(billable(complex, lastMonth)).doesNotContain("99487");
        assertThat(missing(complex, lastMonth)).contains("99487: no provider recorded moderate or high complexity medical decision making for "
                + lastMonth + " (complex CCM needs it).");

        var twice = doctor.post(withdraw, reason);
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.json().getString("error")).isEqualTo("already_withdrawn");
        assertThat(twice.json().getString("message")).contains("already withdrawn").contains("nothing was changed");

        // The month may be recorded again; the withdrawn record stays beside the new one.
        assertThat(doctor.post(path, new JsonObject().put("month", lastMonth.toString()).put("level", "moderate")).status()).isEqualTo(201);
        history = nurse.get(path).json().getJsonArray("items");
        assertThat(history).hasSize(2);
        assertThat(history.stream().map(JsonObject.class::cast).filter(r -> r.getBoolean("inForce")).toList()).hasSize(1);
        assertThat(billable(complex, lastMonth)).contains("99487");
    }

    @Test
    void aClosedMonthRefusesANewComplexityRecordAndAWithdrawalInWords() throws Exception {
        // A practice of its own, so that closing its month leaves the other tests' months open.
        String closing = system.id(system.post("/api/v1/practices", "{\"name\":\"Chart C\",\"timeZone\":\"America/Chicago\"}"));
        ApiClient doctorC = signIn(staff(closing, "physician", "1234567893").getString("email"));
        String patient = system.id(system.post("/api/v1/patients", new JsonObject().put("practiceId", closing).put("externalRef", "MRN-C1")));
        YearMonth lastMonth = YearMonth.now(CHICAGO).minusMonths(1);
        String path = "/api/v1/patients/" + patient + "/ccm-complexity";
        var recorded = doctorC.post(path, new JsonObject().put("month", lastMonth.toString()).put("level", "moderate"));
        assertThat(recorded.status()).isEqualTo(201);
        var closed = system.post("/api/v1/billing/months/" + lastMonth + "/close?practiceId=" + closing, "");
        assertThat(closed.status()).as(closed.body()).isBetween(200, 201);

        String inWords = lastMonth.getMonth().getDisplayName(java.time.format.TextStyle.FULL, java.util.Locale.US) + " " + lastMonth.getYear();
        var again = doctorC.post(path, new JsonObject().put("month", lastMonth.toString()).put("level", "high"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().getString("error")).as("the ledger's code for a closed month").isEqualTo("month_closed");
        assertThat(again.json().getString("message")).isEqualTo("Billing for " + inWords + " (" + lastMonth + ") is closed; medical decision making "
                + "can no longer be recorded for it (its claims were made from what was on record).");
        var withdraw = doctorC.post(path + "/" + recorded.json().getString("id") + "/withdraw", new JsonObject().put("reason", "Wrong patient"));
        assertThat(withdraw.status()).isEqualTo(409);
        assertThat(withdraw.json().getString("error")).isEqualTo("month_closed");
        assertThat(withdraw.json().getString("message")).isEqualTo("Billing for " + inWords + " (" + lastMonth + ") is closed; the record stays as "
                + "the month was billed and can no longer be withdrawn.");
        JsonArray items = doctorC.get(path).json().getJsonArray("items");
        assertThat(items).hasSize(1);
        assertThat(items.getJsonObject(0).getString("level")).isEqualTo("moderate");
        assertThat(items.getJsonObject(0).getBoolean("inForce")).isTrue();
        // The open month is not affected.
        assertThat(doctorC.post(path, new JsonObject().put("month", YearMonth.now(CHICAGO).toString()).put("level", "high")).status()).isEqualTo(201);
    }

    @Test
    void theMedicalRecordNumberCanBeCorrected() throws Exception {
        String patient = patient("MRN-" + UUID.randomUUID().toString().substring(0, 8));
        String taken = "MRN-" + UUID.randomUUID().toString().substring(0, 8);
        patient(taken);
        String path = "/api/v1/patients/" + patient + "/external-ref";
        assertThat(biller.post(path, new JsonObject().put("externalRef", "MRN-NEW")).status()).isEqualTo(403);
        assertThat(otherNurse.post(path, new JsonObject().put("externalRef", "MRN-NEW")).status()).isEqualTo(404);
        var empty = nurse.post(path, new JsonObject().put("externalRef", ""));
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().getString("message")).contains("externalRef");
        assertThat(nurse.post(path, new JsonObject().put("externalRef", taken)).status()).isEqualTo(409);
        String fresh = "MRN-" + UUID.randomUUID().toString().substring(0, 8);
        var changed = nurse.post(path, new JsonObject().put("externalRef", fresh));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(nurse.get("/api/v1/patients/" + patient).json().getString("externalRef")).isEqualTo(fresh);
    }

    @Test
    void aConflictingCareManagementEnrolmentIsRefusedInWords() throws Exception {
        LocalDate since = LocalDate.now(CHICAGO).minusDays(30);
        String patient = ccmPatient(since);
        consent(patient, "apcm", since);
        consent(patient, "pcm", since);
        var apcm = nurse.post("/api/v1/patients/" + patient + "/enrolments", new JsonObject().put("program", "apcm")
                .put("startDate", since.plusDays(3).toString()).put("billingPractitionerId", doctorId));
        assertThat(apcm.status()).as(apcm.body()).isEqualTo(409);
        assertThat(apcm.json().getString("error")).isEqualTo("conflicting_enrolment");
        assertThat(apcm.json().getString("message")).isEqualTo("The patient is already enrolled in CCM with this billing practitioner from " + since
                + " with no end date, and APCM from " + since.plusDays(3) + " would overlap it: APCM includes CCM and PCM, so one practitioner "
                + "never bills APCM together with either. End the CCM enrolment the day before, or enrol with another billing practitioner.");
        var pcm = nurse.post("/api/v1/patients/" + patient + "/enrolments", new JsonObject().put("program", "pcm")
                .put("startDate", since.plusDays(3).toString()).put("billingPractitionerId", doctorId));
        assertThat(pcm.status()).isEqualTo(409);
        assertThat(pcm.json().getString("message")).contains("CCM and PCM are never billed together by one practitioner");

        // Once CCM ends, APCM from the next day is accepted.
        String ccmEnrolment = nurse.get("/api/v1/patients/" + patient).json().getJsonArray("enrolments").stream().map(JsonObject.class::cast)
                .filter(e -> e.getString("program").equals("ccm")).findFirst().orElseThrow().getString("id");
        assertThat(nurse.post("/api/v1/patients/" + patient + "/enrolments/" + ccmEnrolment + "/end",
                new JsonObject().put("endDate", since.plusDays(9).toString())).status()).isEqualTo(200);
        var after = nurse.post("/api/v1/patients/" + patient + "/enrolments", new JsonObject().put("program", "apcm")
                .put("startDate", since.plusDays(10).toString()).put("billingPractitionerId", doctorId));
        assertThat(after.status()).as(after.body()).isEqualTo(201);
    }

    @Test
    void theCloseBillsComplexCcmOnlyWithTheProvidersRecordAndNamesALatePlan() throws Exception {
        YearMonth lastMonth = YearMonth.now(CHICAGO).minusMonths(1);
        LocalDate since = lastMonth.atDay(1).minusDays(20);
        // A plan established today, after last month's date of service: the reason says exactly that.
        String late = ccmPatient(since);
        visit(late, since);
        time(late, lastMonth, 10, 25);
        assertThat(doctor.post("/api/v1/patients/" + late + "/care-plan", plan(late)).status()).isEqualTo(201);
        assertThat(missing(late, lastMonth)).contains("99490: a care plan exists but was established on " + LocalDate.now(CHICAGO)
                + ", after the date of service (" + lastMonth.atEndOfMonth() + "); CCM needs one.");

        // 95 minutes and a plan established in the month: standard CCM until a provider records the decision making.
        String complex = ccmPatient(since);
        visit(complex, since);
        time(complex, lastMonth, 12, 95);
        assertThat(doctor.post("/api/v1/patients/" + complex + "/care-plan", plan(complex).put("establishedOn", lastMonth.atDay(3).toString()))
                .status()).isEqualTo(201);
        assertThat(billable(complex, lastMonth)).contains("99490", "99439").doesNotContain("99487");
        assertThat(missing(complex, lastMonth)).contains("99487: no provider recorded moderate or high complexity medical decision making for "
                + lastMonth + " (complex CCM needs it).");
        assertThat(doctor.post("/api/v1/patients/" + complex + "/ccm-complexity", new JsonObject().put("month", lastMonth.toString())
                .put("level", "high")).status()).isEqualTo(201);
        assertThat(billable(complex, lastMonth)).contains("99487", "99489").doesNotContain("99490");
    }

    // ---------------------------------------------------------------- helpers

    private static void visit(String patient, LocalDate on) throws Exception {
        var visit = nurse.post("/api/v1/patients/" + patient + "/visits", new JsonObject().put("kind", "em").put("date", on.toString())
                .put("practitionerId", doctorId));
        assertThat(visit.status()).as(visit.body()).isEqualTo(201);
    }

    private static void time(String patient, YearMonth month, int day, int minutes) throws Exception {
        var start = month.atDay(day).atTime(9, 0).atZone(CHICAGO);
        var logged = nurse.post("/api/v1/time-entries", new JsonObject().put("patientId", patient).put("program", "ccm").put("activity", "patient_call")
                .put("startedAt", start.toInstant().toString()).put("endedAt", start.plusMinutes(minutes).toInstant().toString()));
        assertThat(logged.status()).as(logged.body()).isEqualTo(201);
    }

    private static java.util.List<String> missing(String patient, YearMonth month) throws Exception {
        return readiness(patient, month).getJsonArray("missing").stream().map(o -> ((JsonObject) o).getString("reason")).toList();
    }

    private static java.util.List<String> billable(String patient, YearMonth month) throws Exception {
        return readiness(patient, month).getJsonArray("billableSoFar").stream().map(o -> ((JsonObject) o).getString("code")).toList();
    }

    private static JsonObject readiness(String patient, YearMonth month) throws Exception {
        return biller.get("/api/v1/billing/readiness?month=" + month).json().getJsonArray("patients").stream().map(JsonObject.class::cast)
                .filter(p -> p.getString("patientId").equals(patient)).findFirst().orElseThrow();
    }

    /** Hypertension and diabetes, CCM consent (all four elements) and enrolment with the doctor since the day given. */
    private static String ccmPatient(LocalDate since) throws Exception {
        String patient = patient("MRN-" + UUID.randomUUID().toString().substring(0, 8));
        for (String[] c : new String[][]{{"I10", "Essential hypertension"}, {"E11.9", "Type 2 diabetes mellitus without complications"}}) {
            var condition = nurse.post("/api/v1/patients/" + patient + "/conditions", new JsonObject().put("icd10", c[0]).put("description", c[1])
                    .put("onset", "2019-01-01").put("expectedDuration", "lifelong").put("significantRisk", true));
            assertThat(condition.status()).as(condition.body()).isEqualTo(201);
        }
        consent(patient, "ccm", since);
        var enrol = nurse.post("/api/v1/patients/" + patient + "/enrolments", new JsonObject().put("program", "ccm").put("startDate", since.toString())
                .put("billingPractitionerId", doctorId));
        assertThat(enrol.status()).as(enrol.body()).isEqualTo(201);
        return patient;
    }

    private static void consent(String patient, String program, LocalDate on) throws Exception {
        var consent = nurse.post("/api/v1/patients/" + patient + "/consents", new JsonObject().put("program", program).put("method", "verbal")
                .put("obtainedOn", on.toString()).put("obtainedBy", nurseId).put("told", new JsonObject().put("serviceAvailable", true)
                        .put("costSharing", true).put("onePractitionerPerMonth", true).put("mayStopAnyTime", true)).put("accepted", true));
        assertThat(consent.status()).as(consent.body()).isEqualTo(201);
    }

    private static JsonObject plan(String patient) throws Exception {
        JsonArray conditions = nurse.get("/api/v1/patients/" + patient).json().getJsonArray("conditions");
        LocalDate today = LocalDate.now(CHICAGO);
        return new JsonObject()
                .put("problems", new JsonArray(conditions.stream().map(c -> ((JsonObject) c).getString("id")).toList()))
                .put("expectedOutcome", "Blood pressure and glucose controlled at home").put("prognosis", "Good with adherence")
                .put("goals", new JsonArray().add(new JsonObject().put("description", "Lower blood pressure").put("target", "SBP < 130 mmHg")
                        .put("targetDate", today.plusMonths(3).toString())))
                .put("symptomManagement", "Chest pain: call 911")
                .put("interventions", new JsonArray().add(new JsonObject().put("description", "Weekly review").put("responsibleParty", "RN")))
                .put("medications", new JsonArray().add(new JsonObject().put("name", "Lisinopril").put("dose", "10 mg").put("frequency", "daily")))
                .put("communityResources", new JsonArray()).put("coordinatingProviders", new JsonArray())
                .put("reviewDate", today.plusMonths(6).toString()).put("changeNote", "Plan from the EHR, documented at the visit");
    }

    private static String patient(String mrn) throws Exception {
        return system.id(system.post("/api/v1/patients", new JsonObject().put("practiceId", practice).put("externalRef", mrn)));
    }

    private static JsonObject staff(String practiceId, String role, String npi) throws Exception {
        return practices.staff(practiceId, role, "Test " + role, npi);
    }

    private static ApiClient signIn(String email) throws Exception {
        return practices.signIn(email);
    }
}
