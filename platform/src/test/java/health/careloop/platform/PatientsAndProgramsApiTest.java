package health.careloop.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Patients and programs through the API (issue 4): demographics and the practice list, conditions and eligibility,
 * consent and enrolment, versioned care plans, roles (403), practices (404) and sign-in (401).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PatientsAndProgramsApiTest {
    static final String NPI = "1234567893";
    static final LocalDate TODAY = LocalDate.now();

    static Platform platform;
    static ApiClient system;
    static TestPractices practices;
    static String practiceA;
    static String practiceB;
    static ApiClient nurse;
    static String nurseId;
    static ApiClient doctor;
    static String doctorId;
    static ApiClient biller;
    static ApiClient otherNurse;

    @BeforeAll
    static void start() throws Exception {
        platform = EmbeddedPlatforms.start();
        practices = TestPractices.of(platform);
        system = practices.system();
        practiceA = practices.practice("A", "America/Chicago");
        practiceB = practices.practice("B", "America/Denver");
        JsonObject n = staff(practiceA, "rn", null);
        nurseId = n.getString("id");
        nurse = signIn(n.getString("email"));
        JsonObject d = staff(practiceA, "physician", NPI);
        doctorId = d.getString("id");
        doctor = signIn(d.getString("email"));
        biller = signIn(staff(practiceA, "billing", null).getString("email"));
        otherNurse = signIn(staff(practiceB, "rn", null).getString("email"));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static JsonObject staff(String practice, String role, String npi) throws Exception {
        return practices.staff(practice, role, "Test " + role, npi);
    }

    private static ApiClient signIn(String email) throws Exception {
        return practices.signIn(email);
    }

    private static String patient(String practice) throws Exception {
        return system.id(system.post("/api/v1/patients", new JsonObject().put("practiceId", practice)
                .put("externalRef", "MRN-" + UUID.randomUUID().toString().substring(0, 8))));
    }

    private static JsonObject profile(String given, String family, String mbi) {
        return new JsonObject().put("givenName", given).put("familyName", family).put("birthDate", "1948-05-17").put("sex", "female")
                .put("mbi", mbi).put("phone", "(312) 555-0100")
                .put("address", new JsonObject().put("line1", "1 Main St").put("city", "Chicago").put("state", "IL").put("zip", "60601-1234"));
    }

    private static String condition(String patient, String icd10, String description, String duration) throws Exception {
        var created = nurse.post("/api/v1/patients/" + patient + "/conditions", new JsonObject().put("icd10", icd10).put("description", description)
                .put("onset", "2019-01-01").put("expectedDuration", duration).put("significantRisk", true));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().getString("id");
    }

    private static JsonObject ccmConsent(LocalDate obtainedOn) {
        return new JsonObject().put("program", "ccm").put("method", "verbal").put("obtainedOn", obtainedOn.toString()).put("obtainedBy", nurseId)
                .put("told", new JsonObject().put("serviceAvailable", true).put("costSharing", true).put("onePractitionerPerMonth", true)
                        .put("mayStopAnyTime", true)).put("accepted", true);
    }

    private static JsonObject rpmConsent(LocalDate obtainedOn) {
        return new JsonObject().put("program", "rpm").put("method", "written").put("obtainedOn", obtainedOn.toString()).put("obtainedBy", nurseId)
                .put("told", new JsonObject().put("costSharing", true)).put("accepted", true);
    }

    private static JsonObject enrolment(String program, LocalDate start, String practitioner) {
        return new JsonObject().put("program", program).put("startDate", start.toString()).put("billingPractitionerId", practitioner);
    }

    @Test
    void demographicsAreValidatedAndThePracticeListFindsPatientsByName() throws Exception {
        String patient = patient(practiceA);
        var badMbi = nurse.post("/api/v1/patients/" + patient + "/profile", profile("Ann", "Smithers", "1SG4TE5MK73"));
        assertThat(badMbi.status()).isEqualTo(400);
        assertThat(badMbi.json().getString("error")).isEqualTo("invalid_mbi");
        assertThat(badMbi.json().getString("message")).contains("position 2");
        var badZip = nurse.post("/api/v1/patients/" + patient + "/profile", profile("Ann", "Smithers", null)
                .put("address", new JsonObject().put("line1", "1 Main St").put("city", "Chicago").put("state", "IL").put("zip", "6060")));
        assertThat(badZip.status()).isEqualTo(400);
        assertThat(badZip.json().getString("message")).contains("address.zip");
        var badState = nurse.post("/api/v1/patients/" + patient + "/profile", profile("Ann", "Smithers", null)
                .put("address", new JsonObject().put("line1", "1 Main St").put("city", "Chicago").put("state", "XX").put("zip", "60601")));
        assertThat(badState.json().getString("message")).contains("address.state");
        assertThat(nurse.post("/api/v1/patients/" + patient + "/profile", profile("Ann", "Smithers", null).put("sex", "f")).status()).isEqualTo(400);

        var saved = nurse.post("/api/v1/patients/" + patient + "/profile", profile("Ann", "Smithers", "1eg4-te5-mk73"));
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(saved.json().getString("mbi")).isEqualTo("1EG4TE5MK73");
        assertThat(saved.json().getJsonObject("address").getString("zip")).isEqualTo("606011234");
        assertThat(saved.json().getString("updatedBy")).isEqualTo("staff:" + nurseId);

        String twin = patient(practiceA);
        var duplicate = nurse.post("/api/v1/patients/" + twin + "/profile", profile("Bea", "Smithers", "1EG4TE5MK73"));
        assertThat(duplicate.status()).isEqualTo(409);
        // The same MBI in another practice is another practice's business.
        String elsewhere = patient(practiceB);
        assertThat(otherNurse.post("/api/v1/patients/" + elsewhere + "/profile", profile("Ann", "Smithers", "1EG4TE5MK73")).status()).isEqualTo(200);

        JsonArray found = nurse.get("/api/v1/patients?name=smITH%20an").json().getJsonArray("items");
        assertThat(found).hasSize(1);
        assertThat(found.getJsonObject(0).getString("id")).isEqualTo(patient);
        assertThat(found.getJsonObject(0).getJsonObject("profile").getString("familyName")).isEqualTo("Smithers");
        assertThat(otherNurse.get("/api/v1/patients?name=smith").json().getJsonArray("items")).hasSize(1)
                .allSatisfy(p -> assertThat(((JsonObject) p).getString("id")).isEqualTo(elsewhere));
        assertThat(system.get("/api/v1/patients").status()).isEqualTo(400);
        assertThat(system.get("/api/v1/patients?practiceId=" + practiceA + "&name=smithers").json().getJsonArray("items")).hasSize(1);
        assertThat(otherNurse.get("/api/v1/patients?practiceId=" + practiceA).status()).isEqualTo(404);
        // The lookup by external reference (common's DirectoryApi) still answers.
        String ref = system.get("/api/v1/patients/" + patient).json().getString("externalRef");
        assertThat(nurse.get("/api/v1/patients?practiceId=" + practiceA + "&externalRef=" + ref).json().getJsonArray("items")).hasSize(1);
    }

    @Test
    void conditionsAreCheckedAndEligibilityFollowsThem() throws Exception {
        String patient = patient(practiceA);
        var n183 = nurse.post("/api/v1/patients/" + patient + "/conditions", new JsonObject().put("icd10", "N18.3")
                .put("description", "CKD stage 3").put("expectedDuration", "lifelong").put("significantRisk", true));
        assertThat(n183.status()).isEqualTo(400);
        assertThat(n183.json().getString("error")).isEqualTo("invalid_icd10");
        assertThat(n183.json().getString("message")).contains("N18.30, N18.31 or N18.32");
        var malformed = nurse.post("/api/v1/patients/" + patient + "/conditions", new JsonObject().put("icd10", "HTN-1")
                .put("description", "HTN").put("expectedDuration", "lifelong").put("significantRisk", true));
        assertThat(malformed.json().getString("message")).contains("is not an ICD-10-CM code");
        var depression = nurse.post("/api/v1/patients/" + patient + "/conditions", new JsonObject().put("icd10", "F32.9")
                .put("description", "Depression").put("expectedDuration", "lifelong").put("significantRisk", true));
        assertThat(depression.status()).isEqualTo(201);
        assertThat(depression.json().getString("warning")).contains("F32.A");
        nurse.post("/api/v1/patients/" + patient + "/conditions/" + depression.json().getString("id") + "/end",
                new JsonObject().put("endedOn", "2019-06-01"));

        JsonObject none = nurse.get("/api/v1/patients/" + patient).json().getJsonObject("eligibility");
        assertThat(none.getJsonObject("rpm").getBoolean("eligible")).isFalse();

        condition(patient, "I10", "Essential hypertension", "lifelong");
        condition(patient, "J20.9", "Acute bronchitis", "under_3_months");
        JsonObject one = nurse.get("/api/v1/patients/" + patient).json().getJsonObject("eligibility");
        assertThat(one.getJsonObject("rpm").getBoolean("eligible")).isTrue();
        assertThat(one.getJsonObject("ccm").getBoolean("eligible")).isFalse();
        assertThat(one.getJsonObject("ccm").getString("reason")).contains("there is 1: I10 Essential hypertension")
                .contains("J20.9 Acute bronchitis (expected to last under 3 months)");

        String diabetes = condition(patient, "e119", "Type 2 diabetes mellitus", "at_least_12_months");
        JsonObject two = biller.get("/api/v1/patients/" + patient).json().getJsonObject("eligibility");
        assertThat(two.getJsonObject("ccm").getBoolean("eligible")).isTrue();
        assertThat(two.getJsonObject("ccm").getJsonArray("qualifyingCodes")).containsExactly("I10", "E11.9");

        var ended = nurse.post("/api/v1/patients/" + patient + "/conditions/" + diabetes + "/end", new JsonObject().put("endedOn", TODAY.minusDays(2).toString()));
        assertThat(ended.status()).as(ended.body()).isEqualTo(200);
        assertThat(nurse.post("/api/v1/patients/" + patient + "/conditions/" + diabetes + "/end",
                new JsonObject().put("endedOn", TODAY.toString())).status()).isEqualTo(409);
        JsonObject afterEnd = nurse.get("/api/v1/patients/" + patient).json().getJsonObject("eligibility");
        assertThat(afterEnd.getJsonObject("ccm").getBoolean("eligible")).isFalse();
        assertThat(afterEnd.getJsonObject("ccm").getString("reason")).contains("E11.9 Type 2 diabetes mellitus (ended");
        assertThat(nurse.get("/api/v1/patients/" + patient + "?asOf=" + TODAY.minusDays(5)).json()
                .getJsonObject("eligibility").getJsonObject("ccm").getBoolean("eligible")).isTrue();

        assertThat(biller.post("/api/v1/patients/" + patient + "/conditions", new JsonObject().put("icd10", "I10")
                .put("description", "HTN").put("expectedDuration", "lifelong").put("significantRisk", true)).status()).isEqualTo(403);
    }

    @Test
    void consentMustBeCompleteAndEnrolmentNeedsConsentEligibilityAndABillingProvider() throws Exception {
        String patient = patient(practiceA);
        String base = "/api/v1/patients/" + patient;
        JsonObject incomplete = ccmConsent(TODAY.minusDays(60));
        incomplete.getJsonObject("told").remove("mayStopAnyTime");
        var refused = nurse.post(base + "/consents", incomplete);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().getString("error")).isEqualTo("consent_incomplete");
        assertThat(refused.json().getString("message")).contains("mayStopAnyTime").contains("effective at the end of the month");
        var noDecision = nurse.post(base + "/consents", rpmConsent(TODAY.minusDays(60)).copy().putNull("accepted"));
        assertThat(noDecision.json().getString("message")).contains("accepted");
        assertThat(nurse.post(base + "/consents", new JsonObject().put("program", "rpm").put("method", "verbal")
                .put("obtainedOn", TODAY.minusDays(60).toString()).put("accepted", true)).json().getString("message")).contains("costSharing");

        condition(patient, "I10", "Essential hypertension", "lifelong");
        var rpmConsent = nurse.post(base + "/consents", rpmConsent(TODAY.minusDays(60)));
        assertThat(rpmConsent.status()).as(rpmConsent.body()).isEqualTo(201);
        String rpmConsentId = rpmConsent.json().getString("id");
        assertThat(rpmConsent.json().getString("recordedBy")).isEqualTo("staff:" + nurseId);

        // The billing practitioner: a physician or NPP of the practice, with an NPI.
        var byNurse = nurse.post(base + "/enrolments", enrolment("rpm", TODAY.minusDays(50), nurseId));
        assertThat(byNurse.status()).isEqualTo(400);
        assertThat(byNurse.json().getString("message")).contains("physician or NPP");
        String npiLess = staff(practiceA, "npp", null).getString("id");
        assertThat(nurse.post(base + "/enrolments", enrolment("rpm", TODAY.minusDays(50), npiLess)).json().getString("message")).contains("no NPI");
        String foreignDoctor = staff(practiceB, "physician", NPI).getString("id");
        assertThat(nurse.post(base + "/enrolments", enrolment("rpm", TODAY.minusDays(50), foreignDoctor)).json().getString("message"))
                .contains("not a staff member of the patient's practice");

        var enrolled = nurse.post(base + "/enrolments", enrolment("rpm", TODAY.minusDays(50), doctorId));
        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
        String enrolmentId = enrolled.json().getString("id");
        var overlap = nurse.post(base + "/enrolments", enrolment("rpm", TODAY.minusDays(10), doctorId));
        assertThat(overlap.status()).isEqualTo(409);
        assertThat(overlap.json().getString("error")).isEqualTo("overlapping_enrolment");

        JsonObject status = biller.get(base + "/programs/rpm/status?date=" + TODAY.minusDays(20)).json();
        assertThat(status.getBoolean("ready")).as(status.encodePrettily()).isTrue();
        assertThat(status.getString("billingPractitionerNpi")).isEqualTo(NPI);
        assertThat(status.getString("billingPractitionerId")).isEqualTo(doctorId);

        // Revoked consent: the program status says so, and a new enrolment after it is refused.
        assertThat(nurse.post(base + "/enrolments/" + enrolmentId + "/end", new JsonObject().put("endDate", TODAY.minusDays(30).toString())).status())
                .isEqualTo(200);
        var revoked = nurse.post(base + "/consents/" + rpmConsentId + "/revoke", new JsonObject().put("revokedOn", TODAY.minusDays(25).toString()));
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.json().getString("revokedBy")).isEqualTo("staff:" + nurseId);
        var blocked = nurse.post(base + "/enrolments", enrolment("rpm", TODAY.minusDays(20), doctorId));
        assertThat(blocked.status()).isEqualTo(409);
        assertThat(blocked.json().getString("error")).isEqualTo("consent_required");
        assertThat(blocked.json().getString("message")).contains("revoked on " + TODAY.minusDays(25));
        JsonObject after = nurse.get(base + "/programs/rpm/status?date=" + TODAY.minusDays(20)).json();
        assertThat(after.getBoolean("consented")).isFalse();
        assertThat(after.getBoolean("enrolled")).isFalse();

        // CCM: consent alone is not enough while the patient has only one chronic condition.
        assertThat(nurse.post(base + "/consents", ccmConsent(TODAY.minusDays(15))).status()).isEqualTo(201);
        var notEligible = nurse.post(base + "/enrolments", enrolment("ccm", TODAY.minusDays(10), doctorId));
        assertThat(notEligible.status()).isEqualTo(409);
        assertThat(notEligible.json().getString("error")).isEqualTo("not_eligible");
        condition(patient, "E11.9", "Type 2 diabetes mellitus", "lifelong");
        assertThat(nurse.post(base + "/enrolments", enrolment("ccm", TODAY.minusDays(10), doctorId)).status()).isEqualTo(201);

        JsonObject record = nurse.get(base).json();
        assertThat(record.getJsonArray("consents")).hasSize(2);
        assertThat(record.getJsonArray("enrolments")).hasSize(2);
        JsonObject ccm = record.getJsonObject("programs").getJsonObject("ccm");
        assertThat(ccm.getBoolean("consented") && ccm.getBoolean("enrolled") && ccm.getBoolean("eligible")).isTrue();
        // Issue 16: the chart's readiness also needs a care plan on record, as the month close does (one answer).
        assertThat(ccm.getBoolean("ready")).isFalse();
        assertThat(ccm.getBoolean("carePlanOnRecord")).isFalse();
        assertThat(ccm.getString("carePlanReason")).startsWith("No care plan on record by ");
        assertThat(record.getJsonObject("programs").getJsonObject("rpm").getBoolean("ready")).isFalse();
        assertThat(biller.post(base + "/consents", rpmConsent(TODAY)).status()).isEqualTo(403);
    }

    @Test
    void carePlansAreVersionedByProvidersAndReadAndPrintedByCareStaff() throws Exception {
        String patient = patient(practiceA);
        String base = "/api/v1/patients/" + patient;
        nurse.post(base + "/profile", profile("Olive", "O'Neil <script>", null));
        String htn = condition(patient, "I10", "Essential hypertension", "lifelong");
        JsonObject plan = new JsonObject()
                .put("problems", new JsonArray().add(htn))
                .put("expectedOutcome", "Blood pressure controlled at home")
                .put("prognosis", "Good with adherence")
                .put("goals", new JsonArray().add(new JsonObject().put("description", "Lower blood pressure")
                        .put("target", "SBP < 130 mmHg").put("targetDate", "2027-03-01")))
                .put("symptomManagement", "Severe headache or chest pain: call 911")
                .put("interventions", new JsonArray().add(new JsonObject().put("description", "Weekly BP review").put("responsibleParty", "RN care manager")))
                .put("medications", new JsonArray().add(new JsonObject().put("name", "Lisinopril").put("dose", "10 mg").put("frequency", "once daily")))
                .put("communityResources", new JsonArray().add(new JsonObject().put("name", "YMCA walking group")))
                .put("coordinatingProviders", new JsonArray().add(new JsonObject().put("name", "Dr Heart").put("role", "Cardiology")))
                .put("reviewDate", TODAY.plusMonths(6).toString())
                .put("changeNote", "Initial plan");

        assertThat(nurse.post(base + "/care-plan", plan).status()).isEqualTo(403);
        assertThat(biller.post(base + "/care-plan", plan).status()).isEqualTo(403);
        assertThat(nurse.get(base + "/care-plan").status()).isEqualTo(404);
        JsonObject vague = plan.copy().put("goals", new JsonArray().add(new JsonObject().put("description", "Better BP")
                .put("target", "lower").put("targetDate", "2027-03-01")));
        var notMeasurable = doctor.post(base + "/care-plan", vague);
        assertThat(notMeasurable.status()).isEqualTo(400);
        assertThat(notMeasurable.json().getString("message")).contains("goals[0].target").contains("not measurable");

        var first = doctor.post(base + "/care-plan", plan);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.json().getInteger("version")).isEqualTo(1);
        assertThat(first.json().getJsonObject("author").getString("staffId")).isEqualTo(doctorId);
        JsonObject change = plan.copy().put("baseVersion", 1).put("changeNote", "Tighter target after review");
        change.getJsonArray("goals").getJsonObject(0).put("target", "SBP < 125 mmHg");
        var second = doctor.post(base + "/care-plan", change);
        assertThat(second.status()).as(second.body()).isEqualTo(201);
        assertThat(second.json().getInteger("version")).isEqualTo(2);
        assertThat(second.json().getJsonArray("changedSections")).containsExactly("goals");
        var stale = doctor.post(base + "/care-plan", change.copy().put("changeNote", "Edited an old copy"));
        assertThat(stale.status()).isEqualTo(409);

        JsonObject current = nurse.get(base + "/care-plan").json();
        assertThat(current.getInteger("version")).isEqualTo(2);
        assertThat(current.getJsonObject("plan").getJsonArray("problems").getJsonObject(0).getString("icd10")).isEqualTo("I10");
        JsonArray versions = nurse.get(base + "/care-plan/versions").json().getJsonArray("items");
        assertThat(versions).hasSize(2);
        assertThat(versions.getJsonObject(0).getString("changeNote")).isEqualTo("Tighter target after review");
        assertThat(versions.getJsonObject(1).getJsonObject("plan").getJsonArray("goals").getJsonObject(0).getString("target")).isEqualTo("SBP < 130 mmHg");
        assertThat(versions.getJsonObject(1).getJsonObject("author").getString("actor")).isEqualTo("staff:" + doctorId);

        var print = nurse.get(base + "/care-plan/print");
        assertThat(print.status()).isEqualTo(200);
        assertThat(print.body()).startsWith("<!DOCTYPE html>").contains("Olive O&#39;Neil &lt;script&gt;").contains("SBP &lt; 125 mmHg")
                .doesNotContain("<script");

        // Versions are never changed in place, not even by SQL.
        try (var c = DriverManager.getConnection(platform.jdbcUrlForTests()); var s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("UPDATE clinical.care_plan_version SET change_note = 'x'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("never changed");
        }
    }

    @Test
    void anotherPracticesPatientDoesNotExistAndStrangersAreNotLetIn() throws Exception {
        String patient = patient(practiceA);
        String base = "/api/v1/patients/" + patient;
        assertThat(otherNurse.get(base).status()).isEqualTo(404);
        assertThat(otherNurse.post(base + "/profile", profile("X", "Y", null)).status()).isEqualTo(404);
        assertThat(otherNurse.post(base + "/conditions", new JsonObject().put("icd10", "I10").put("description", "HTN")
                .put("expectedDuration", "lifelong").put("significantRisk", true)).status()).isEqualTo(404);
        assertThat(otherNurse.post(base + "/consents", rpmConsent(TODAY)).status()).isEqualTo(404);
        assertThat(otherNurse.get(base + "/care-plan").status()).isEqualTo(404);
        assertThat(otherNurse.get(base + "/programs/ccm/status").status()).isEqualTo(404);
        assertThat(nurse.get("/api/v1/patients/" + UUID.randomUUID()).status()).isEqualTo(404);

        ApiClient anonymous = new ApiClient(platform.httpPort(), null);
        assertThat(anonymous.get(base).status()).isEqualTo(401);
        assertThat(anonymous.get(base + "/care-plan/print").status()).isEqualTo(401);
        assertThat(anonymous.get("/api/v1/patients").status()).isEqualTo(401);

        // Reads are in the audit trail with the patient's id.
        nurse.get(base);
        try (var c = DriverManager.getConnection(platform.jdbcUrlForTests()); var s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM core.audit_event WHERE patient_id = '" + patient + "' AND actor = 'staff:" + nurseId + "'")) {
            rs.next();
            assertThat(rs.getInt(1)).isPositive();
        }
    }
}
