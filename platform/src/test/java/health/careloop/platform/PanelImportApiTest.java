package health.careloop.platform;

import health.careloop.common.config.DatabaseConfig;
import health.careloop.common.db.Database;
import health.careloop.fhir.r4.Fhir;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The panel import through the API: a FHIR Bundle imported and read back over /fhir/r4 with its original dates, a dry
 * run that writes nothing, an idempotent re-import, a changed record as an update, each refusal with its reason, the
 * same from CSV, and the failure paths (bad bundle, wrong role, another practice).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PanelImportApiTest {
    static final String MBI = "http://hl7.org/fhir/sid/us-mbi";
    static Platform platform;
    static ApiClient system;
    static TestPractices practices;
    static ApiClient admin;
    static ApiClient nurse;
    static ApiClient outsiderAdmin;
    static String practice;
    static String otherPatient;

    @BeforeAll
    static void start() throws Exception {
        platform = EmbeddedPlatforms.start();
        practices = TestPractices.of(platform);
        system = practices.system();
        practice = practices.practice("Import A", "America/Chicago");
        String other = practices.practice("Import B", "UTC");
        admin = signIn(practice, "admin", null);
        nurse = signIn(practice, "rn", null);
        signIn(practice, "physician", "1234567893");
        outsiderAdmin = signIn(other, "admin", null);
        otherPatient = system.id(system.post("/api/v1/patients", new JsonObject().put("practiceId", other).put("externalRef", "B-1")));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    private static ApiClient signIn(String practiceId, String role, String npi) throws Exception {
        return practices.signedIn(practiceId, role, "Import, " + role, npi);
    }

    private static ApiClient.Response upload(ApiClient client, String practiceId, String body, String contentType, boolean dryRun) throws Exception {
        return client.post("/api/v1/practices/" + practiceId + "/imports?dryRun=" + dryRun, body, contentType);
    }

    private static Bundle panel(String mrn, String mbi, String phone, boolean secondConditionEnded) {
        Bundle b = new Bundle().setType(Bundle.BundleType.COLLECTION);
        Practitioner doctor = new Practitioner();
        doctor.setId("dr");
        doctor.addIdentifier().setSystem("http://hl7.org/fhir/sid/us-npi").setValue("1234567893");
        doctor.addName().setFamily("Okafor").addGiven("Ada");
        Patient p = new Patient();
        p.setId("p1");
        p.addIdentifier().setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", null)))
                .setSystem("urn:oid:1.2.3.4").setValue(mrn);
        p.addIdentifier().setSystem(MBI).setValue(mbi);
        p.addName().setFamily("Importer").addGiven("Iris");
        p.setBirthDateElement(new DateType("1949-07-01"));
        p.setGender(Enumerations.AdministrativeGender.FEMALE);
        p.addTelecom().setSystem(org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem.PHONE).setValue(phone);
        p.addAddress().addLine("5 Elm St").setCity("Peoria").setState("IL").setPostalCode("61602-1234");
        Condition htn = condition("c1", "I10", "Essential hypertension", "2015-04-01", null);
        Condition dm = condition("c2", "E11.9", "Type 2 diabetes mellitus", "2018-02-03", secondConditionEnded ? "2026-06-30" : null);
        Consent consent = new Consent();
        consent.setId("k1");
        consent.setStatus(Consent.ConsentState.ACTIVE);
        consent.setScope(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "treatment", null)));
        consent.setPatient(new Reference("Patient/p1"));
        consent.setDateTimeElement(new DateTimeType("2026-09-02"));
        consent.addPerformer(new Reference("Practitioner/dr"));
        consent.getProvision().addCode(new CodeableConcept(new Coding("https://careloop.health/fhir/CodeSystem/program", "ccm", null)));
        CarePlan plan = new CarePlan();
        plan.setId("cp1");
        plan.setStatus(CarePlan.CarePlanStatus.ACTIVE).setIntent(CarePlan.CarePlanIntent.PLAN);
        plan.setSubject(new Reference("Patient/p1"));
        plan.setCreatedElement(new DateTimeType("2026-09-15"));
        plan.setPeriod(new Period().setStartElement(new DateTimeType("2026-09-15")));
        plan.setDescription("Blood pressure controlled at home");
        plan.addAddresses(new Reference("Condition/c1"));
        Goal goal = new Goal();
        goal.setId("g1");
        goal.setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE).setDescription(new CodeableConcept().setText("Lower blood pressure"));
        goal.setSubject(new Reference("Patient/p1"));
        goal.addTarget().setDetail(new StringType("SBP < 130 mmHg")).setDue(new DateType("2027-03-01"));
        plan.addContained(goal);
        plan.addGoal(new Reference("#g1"));
        plan.addActivity().getDetail().setStatus(CarePlan.CarePlanActivityStatus.INPROGRESS).setDescription("Weekly BP review");
        Encounter visit = new Encounter();
        visit.setId("e1");
        visit.setStatus(Encounter.EncounterStatus.FINISHED);
        visit.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", null));
        visit.setSubject(new Reference("Patient/p1"));
        visit.setPeriod(new Period().setStartElement(new DateTimeType("2026-09-10")));
        visit.addParticipant().setIndividual(new Reference("Practitioner/dr"));
        visit.addReasonCode().setText("Chronic care management initiation");
        Device cuff = new Device();
        cuff.setId("d1");
        cuff.addIdentifier().setValue("cuff-" + mrn);
        cuff.setType(new CodeableConcept(new Coding("http://snomed.info/sct", "70665002", null)));
        cuff.setPatient(new Reference("Patient/p1"));
        for (Resource r : List.of(doctor, p, htn, dm, consent, plan, visit, cuff)) {
            b.addEntry().setFullUrl("http://ehr.example.org/fhir/" + r.fhirType() + "/" + r.getIdElement().getIdPart()).setResource(r);
        }
        return b;
    }

    private static Condition condition(String id, String icd, String text, String onset, String abatement) {
        Condition c = new Condition();
        c.setId(id);
        c.setClinicalStatus(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical",
                abatement == null ? "active" : "resolved", null)));
        c.setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/sid/icd-10-cm", icd, text)));
        c.setSubject(new Reference("Patient/p1"));
        c.setOnset(new DateTimeType(onset));
        if (abatement != null) {
            c.setAbatement(new DateTimeType(abatement));
        }
        return c;
    }

    private static List<JsonObject> items(ApiClient.Response report) {
        return report.json().getJsonArray("items").stream().map(JsonObject.class::cast).toList();
    }

    private static JsonObject fhir(String path) throws Exception {
        var r = nurse.get("/fhir/r4" + path);
        assertThat(r.status()).as(path + ": " + r.body()).isEqualTo(200);
        return r.json();
    }

    private static List<JsonObject> entries(JsonObject bundle) {
        return bundle.getJsonArray("entry", new JsonArray()).stream().map(e -> ((JsonObject) e).getJsonObject("resource")).toList();
    }

    @Test
    void aBundleIsImportedOnceWithItsDatesAndReadBackOverFhir() throws Exception {
        String bundle = Fhir.json(panel("MRN-100", "1EG4TE5MK73", "(309) 555-0101", false));
        var dry = upload(admin, practice, bundle, "application/fhir+json", true);
        assertThat(dry.status()).as(dry.body()).isEqualTo(200);
        assertThat(dry.json().getBoolean("dryRun")).isTrue();
        assertThat(items(dry)).extracting(i -> i.getString("resource") + " " + i.getString("outcome")).contains(
                "Patient/p1 (entry 2) would be created", "Condition/c1 (entry 3) would be created", "CarePlan/cp1 (entry 6) would be created",
                "Device/d1 (entry 8) would be created");
        assertThat(entries(fhir("/Patient?identifier=MRN-100"))).as("a dry run writes nothing").isEmpty();

        var applied = upload(admin, practice, bundle, "application/fhir+json", false);
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        assertThat(applied.json().getJsonObject("summary").getInteger("created")).as(applied.body()).isEqualTo(7);
        assertThat(applied.json().getJsonObject("summary").getInteger("refused")).as(applied.body()).isZero();
        String patient = entries(fhir("/Patient?identifier=MRN-100")).get(0).getString("id");
        JsonObject p = fhir("/Patient/" + patient);
        assertThat(p.getJsonArray("identifier").encode()).contains("1EG4TE5MK73").contains(MBI);
        assertThat(entries(fhir("/Condition?patient=" + patient))).extracting(c -> c.getJsonObject("code").getJsonArray("coding")
                .getJsonObject(0).getString("code")).containsExactlyInAnyOrder("I10", "E11.9");
        JsonObject consent = entries(fhir("/Consent?patient=" + patient)).get(0);
        assertThat(consent.getString("dateTime")).isEqualTo("2026-09-02");
        JsonObject plan = entries(fhir("/CarePlan?patient=" + patient)).get(0);
        assertThat(plan.getString("created")).as("the plan keeps the day it was established").isEqualTo("2026-09-15");
        assertThat(plan.getJsonArray("addresses").encode()).contains("Condition/");
        assertThat(entries(fhir("/Device?patient=" + patient))).hasSize(1);
        JsonArray visits = nurse.get("/api/v1/patients/" + patient + "/visits").json().getJsonArray("items");
        assertThat(visits.getJsonObject(0).getString("date")).isEqualTo("2026-09-10");

        var again = upload(admin, practice, bundle, "application/fhir+json", false);
        assertThat(again.json().getJsonObject("summary").getInteger("unchanged")).as(again.body()).isEqualTo(8);
        assertThat(again.json().getJsonObject("summary").getInteger("created")).isZero();

        var changed = upload(admin, practice, Fhir.json(panel("MRN-100", "1EG4TE5MK73", "(309) 555-0199", true)), "application/fhir+json", false);
        assertThat(items(changed)).extracting(i -> i.getString("resource") + " " + i.getString("outcome")).as(changed.body())
                .contains("Patient/p1 (entry 2) updated", "Condition/c2 (entry 4) updated", "Condition/c1 (entry 3) unchanged");
        assertThat(fhir("/Patient/" + patient).getJsonArray("telecom").encode()).contains("555-0199");
        assertThat(entries(fhir("/Condition?patient=" + patient + "&code=E11.9")).get(0).getString("abatementDateTime")).isEqualTo("2026-06-30");
    }

    @Test
    void eachRefusalSaysWhy() throws Exception {
        Bundle b = panel("MRN-200", "1EG4TE5MK7S", "(309) 555-0102", false); // an S where the MBI wants a digit
        Bundle good = panel("MRN-201", "2EG4TE5MK73", "(309) 555-0103", false);
        ((Condition) good.getEntry().get(2).getResource()).getCode().getCodingFirstRep().setSystem("http://snomed.info/sct").setCode("38341003");
        ((Consent) good.getEntry().get(4).getResource()).setDateTimeElement(null);
        ((Condition) good.getEntry().get(3).getResource()).setSubject(new Reference("Patient/" + otherPatient));
        var report = upload(admin, practice, Fhir.json(b), "application/fhir+json", true);
        assertThat(items(report)).filteredOn(i -> i.getString("resource").startsWith("Patient/")).first()
                .satisfies(i -> assertThat(i.getString("message")).contains("bad identifier").contains("MBI"));
        var refusals = upload(admin, practice, Fhir.json(good), "application/fhir+json", true);
        List<JsonObject> lines = items(refusals);
        assertThat(lines).filteredOn(i -> i.getString("resource").startsWith("Condition/c1")).first()
                .satisfies(i -> assertThat(i.getString("message")).contains("unknown code"));
        assertThat(lines).filteredOn(i -> i.getString("resource").startsWith("Consent/")).first()
                .satisfies(i -> assertThat(i.getString("message")).contains("missing date"));
        assertThat(lines).filteredOn(i -> i.getString("resource").startsWith("Condition/c2")).first()
                .satisfies(i -> assertThat(i.getString("message")).contains("not a patient of this practice"));
        assertThat(lines).filteredOn(i -> i.getString("resource").startsWith("CarePlan/")).first().as("the dry run checks what the import checks")
                .satisfies(i -> assertThat(i.getString("message")).isEqualTo("it addresses Condition/c1, which was not imported"));
        assertThat(lines).filteredOn(i -> i.getString("action").equals("refused")).hasSize(4);
    }

    @Test
    void oneBadRecordCostsOnlyItselfAndEveryChangeIsAudited() throws Exception {
        // A second patient with the first one's MBI: the database refuses the chunk's batch, which is then written patient by
        // patient; the twin and its condition are refused in words, the rest of the chunk is imported.
        Bundle b = panel("MRN-400", "5EG4TE5MK73", "(309) 555-0105", false);
        Patient twin = ((Patient) b.getEntry().get(1).getResource()).copy();
        twin.setId("p2");
        twin.getIdentifierFirstRep().setValue("MRN-401");
        Condition twinCondition = condition("c9", "I10", "Essential hypertension", "2016-01-01", null);
        twinCondition.setSubject(new Reference("Patient/p2"));
        Condition backwards = condition("c8", "J44.9", "Chronic obstructive pulmonary disease", "2020-01-01", "2019-05-01");
        Condition again = condition("c7", "I10", "Essential hypertension", "2015-04-01", null);
        again.addIdentifier().setSystem("urn:oid:1.2.3.9").setValue("dx-1");
        Condition copy = condition("c6", "I10", "Essential hypertension", "2015-04-01", null);
        copy.addIdentifier().setSystem("urn:oid:1.2.3.9").setValue("dx-1");
        for (Resource r : List.of(twin, twinCondition, backwards, again, copy)) {
            b.addEntry().setFullUrl("http://ehr.example.org/fhir/" + r.fhirType() + "/" + r.getIdElement().getIdPart()).setResource(r);
        }
        var applied = upload(admin, practice, Fhir.json(b), "application/fhir+json", false);
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        List<JsonObject> lines = items(applied);
        assertThat(lines).filteredOn(i -> i.getString("resource").startsWith("Patient/p2")).singleElement().as(applied.body())
                .satisfies(i -> assertThat(i.getString("action") + ": " + i.getString("message")).isEqualTo(
                        "refused: Another patient of this practice has MBI 5EG4TE5MK73."));
        assertThat(lines).filteredOn(i -> i.getString("resource").startsWith("Condition/c9")).singleElement()
                .satisfies(i -> assertThat(i.getString("message")).isEqualTo("its patient (MRN-401) was refused: Another patient of this practice has MBI 5EG4TE5MK73."));
        assertThat(lines).filteredOn(i -> i.getString("resource").startsWith("Condition/c8")).singleElement()
                .satisfies(i -> assertThat(i.getString("message")).isEqualTo("its abatement (2019-05-01) is before its onset (2020-01-01)"));
        assertThat(lines).filteredOn(i -> i.getString("resource").startsWith("Condition/c6")).singleElement()
                .satisfies(i -> assertThat(i.getString("message")).contains("the file holds this record twice").contains("Condition/c7"));
        assertThat(lines).filteredOn(i -> i.getString("action").equals("created")).extracting(i -> i.getString("resource").replaceAll(" .*", ""))
                .containsExactlyInAnyOrder("Patient/p1", "Condition/c1", "Condition/c2", "Condition/c7", "Consent/k1", "CarePlan/cp1", "Encounter/e1",
                        "Device/d1");
        assertThat(entries(fhir("/Patient?identifier=MRN-401"))).as("nothing of the refused patient is left").isEmpty();
        String patient = entries(fhir("/Patient?identifier=MRN-400")).get(0).getString("id");
        assertThat(entries(fhir("/Condition?patient=" + patient))).hasSize(3);

        var changed = upload(admin, practice, Fhir.json(panel("MRN-400", "5EG4TE5MK73", "(309) 555-0177", true)), "application/fhir+json", false);
        assertThat(items(changed)).extracting(i -> i.getString("resource") + " " + i.getString("outcome")).as(changed.body())
                .contains("Patient/p1 (entry 2) updated", "Condition/c2 (entry 4) updated");
        assertThat(events(patient)).as("fhir.import_event: who changed what").containsSubsequence(
                "Patient created by " + adminActor() + ": new patient MRN-400 (Importer, Iris)",
                "Patient updated by " + adminActor() + ": patient MRN-400 (Importer, Iris): demographics replaced by the file's",
                "Condition updated by " + adminActor() + ": condition E11.9 Type 2 diabetes mellitus since 2018-02-03, ended 2026-06-30");
    }

    @Test
    void aCarePlanAddressingAConditionTheDatabaseRefusedIsRefusedWithIt() throws Exception {
        // A constraint the import does not know of (here one the test adds) refuses condition c1 in the database: the
        // patient's records are then written one by one, and the care plan addressing c1 must not be written with a
        // problem naming a condition that does not exist. Condition c2's description is longer than CareLoop keeps,
        // which the import says in words before the database is asked.
        String refused = "Essential hypertension, refused by the database for this test";
        Bundle b = panel("MRN-600", "6EG4TE5MK73", "(309) 555-0106", false);
        ((Condition) b.getEntry().get(2).getResource()).getCode().getCodingFirstRep().setDisplay(refused);
        ((Condition) b.getEntry().get(3).getResource()).getCode().getCodingFirstRep().setDisplay("Type 2 diabetes mellitus " + "x".repeat(300));
        sql("ALTER TABLE clinical.condition ADD CONSTRAINT refused_for_a_test CHECK (description <> '" + refused + "')");
        ApiClient.Response applied;
        try {
            applied = upload(admin, practice, Fhir.json(b), "application/fhir+json", false);
        } finally {
            sql("ALTER TABLE clinical.condition DROP CONSTRAINT refused_for_a_test");
        }
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        List<JsonObject> lines = items(applied);
        assertThat(lines).filteredOn(i -> i.getString("resource").startsWith("Condition/c1")).singleElement().as(applied.body())
                .satisfies(i -> assertThat(i.getString("action") + ": " + i.getString("message")).isEqualTo(
                        "refused: CareLoop's database refused it (SQLSTATE 23514)"));
        assertThat(lines).filteredOn(i -> i.getString("resource").startsWith("Condition/c2")).singleElement().as(applied.body())
                .satisfies(i -> assertThat(i.getString("action") + ": " + i.getString("message")).isEqualTo(
                        "refused: its description has 325 characters; CareLoop keeps at most 300"));
        assertThat(lines).filteredOn(i -> i.getString("resource").startsWith("CarePlan/cp1")).singleElement().as(applied.body())
                .satisfies(i -> assertThat(i.getString("action") + ": " + i.getString("message")).isEqualTo("refused: it addresses Condition/c1, which was refused"));
        assertThat(lines).filteredOn(i -> i.getString("action").equals("created")).extracting(i -> i.getString("resource").replaceAll(" .*", ""))
                .containsExactlyInAnyOrder("Patient/p1", "Consent/k1", "Encounter/e1", "Device/d1");
        String patient = entries(fhir("/Patient?identifier=MRN-600")).get(0).getString("id");
        assertThat(entries(fhir("/Condition?patient=" + patient))).isEmpty();
        assertThat(entries(fhir("/CarePlan?patient=" + patient))).isEmpty();
    }

    private static void sql(String statement) throws Exception {
        try (Database database = Database.connect(new DatabaseConfig(platform.jdbcUrlForTests(), null, null, 1));
             Connection c = database.dataSource().getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static String adminActor() throws Exception {
        try (Database database = Database.connect(new DatabaseConfig(platform.jdbcUrlForTests(), null, null, 1));
             Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT DISTINCT actor FROM fhir.import_event WHERE practice_id = ?::uuid")) {
            ps.setString(1, practice);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static List<String> events(String patient) throws Exception {
        try (Database database = Database.connect(new DatabaseConfig(platform.jdbcUrlForTests(), null, null, 1));
             Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT resource_type, action, actor, detail FROM fhir.import_event WHERE patient_id = ?::uuid ORDER BY id")) {
            ps.setString(1, patient);
            List<String> events = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(rs.getString(1) + " " + rs.getString(2) + " by " + rs.getString(3) + ": " + rs.getString(4));
                }
            }
            return events;
        }
    }

    @Test
    void csvLayoutImportsToo() throws Exception {
        String csv = """
                record,mrn,mbi,given_name,family_name,birth_date,sex,icd10,description,onset,program,date,npi,established_on,goal,goal_target,goal_date
                patient,CSV-1,3EG4TE5MK73,Carl,Sheet,1950-01-02,male,,,,,,,,,,
                condition,CSV-1,,,,,,I10,Essential hypertension,2012-05-06,,,,,,,
                consent,CSV-1,,,,,,,,,rpm,2026-08-01,1234567893,,,,
                care_plan,CSV-1,,,,,,I10,,,,,,2026-08-20,Lower BP,SBP < 130 mmHg,2027-02-01
                condition,CSV-1,,,,,,XYZ,Nonsense,,,,,,,,
                """;
        var applied = upload(admin, practice, csv, "text/csv", false);
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        assertThat(items(applied)).extracting(i -> i.getString("resource") + " " + i.getString("action")).as(applied.body())
                .containsExactlyInAnyOrder("line 2 created", "line 3 created", "line 4 created", "line 5 created", "line 6 refused");
        String patient = entries(fhir("/Patient?identifier=CSV-1")).get(0).getString("id");
        assertThat(entries(fhir("/CarePlan?patient=" + patient)).get(0).getString("created")).isEqualTo("2026-08-20");
        assertThat(upload(admin, practice, csv, "text/csv", false).json().getJsonObject("summary").getInteger("unchanged")).isEqualTo(4);
        var badHeader = upload(admin, practice, "record,colour\npatient,red\n", "text/csv", true);
        assertThat(badHeader.status()).isEqualTo(400);
        assertThat(badHeader.json().getString("message")).contains("mrn");
    }

    @Test
    void badBundlesWrongRolesAndOtherPracticesAreRefused() throws Exception {
        var notJson = upload(admin, practice, "this is not json", "application/fhir+json", true);
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().getString("error")).isEqualTo("invalid_bundle");
        var unknownElement = upload(admin, practice, "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":"
                + "{\"resourceType\":\"Condition\",\"id\":\"c9\",\"colour\":\"red\"}}]}", "application/fhir+json", true);
        assertThat(unknownElement.status()).isEqualTo(400);
        assertThat(unknownElement.json().getString("message")).contains("colour").contains("entry 1 (Condition/c9)");
        var searchset = upload(admin, practice, "{\"resourceType\":\"Bundle\",\"type\":\"searchset\"}", "application/fhir+json", true);
        assertThat(searchset.status()).isEqualTo(400);
        assertThat(searchset.json().getString("message")).contains("collection or transaction");
        String bundle = Fhir.json(panel("MRN-300", "4EG4TE5MK73", "(309) 555-0104", false));
        assertThat(upload(nurse, practice, bundle, "application/fhir+json", true).status()).isEqualTo(403);
        assertThat(upload(outsiderAdmin, practice, bundle, "application/fhir+json", false).status()).isEqualTo(404);
        assertThat(upload(admin, practice, bundle, "application/xml", true).status()).isEqualTo(415);
        assertThat(entries(fhir("/Patient?identifier=MRN-300"))).isEmpty();
    }
}
