package health.careloop.platform;

import health.careloop.fhir.r4.Fhir;
import health.careloop.fhir.testing.FhirValidation;
import health.careloop.testing.TestDevice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read-only FHIR R4 API against a whole CareLoop: every resource type it emits validates with HAPI's validator (R4
 * core and vital-signs profiles), searches page by their next links, another practice's ids are 404, callers without
 * a token are 401, bad search parameters are 400 OperationOutcomes naming them, and each read is in the audit trail.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FhirApiTest {
    static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    static Platform platform;
    static ApiClient system;
    static TestPractices practices;
    static ApiClient nurse;
    static ApiClient admin;
    static ApiClient outsider;
    static String patient;
    static String condition;
    static String consent;
    static String device;
    static String practiceB;
    static Instant firstReading;

    @BeforeAll
    static void start() throws Exception {
        int mqttPort = EmbeddedPlatforms.freePort();
        platform = EmbeddedPlatforms.start(Map.of("CARELOOP_EMBEDDED_MQTT_PORT", Integer.toString(mqttPort)));
        practices = TestPractices.of(platform);
        system = practices.system();
        String practiceA = practices.practice("FHIR A", "America/Chicago");
        practiceB = practices.practice("FHIR B", "UTC");
        nurse = signIn(practiceA, "rn", null);
        admin = signIn(practiceA, "admin", null);
        ApiClient doctor = signIn(practiceA, "physician", "1234567893");
        outsider = signIn(practiceB, "rn", null);
        patient = nurse.id(nurse.post("/api/v1/patients", new JsonObject().put("practiceId", practiceA).put("externalRef", "MRN-7001")));
        String base = "/api/v1/patients/" + patient;
        assertThat(nurse.post(base + "/profile", new JsonObject().put("givenName", "Edith").put("familyName", "Demoford").put("birthDate", "1948-05-17")
                .put("sex", "female").put("mbi", "1EG4TE5MK73").put("phone", "(312) 555-0100")
                .put("address", new JsonObject().put("line1", "1 Main St").put("city", "Chicago").put("state", "IL").put("zip", "60601-1234"))).status())
                .isEqualTo(200);
        condition = nurse.id(nurse.post(base + "/conditions", new JsonObject().put("icd10", "I10").put("description", "Essential hypertension")
                .put("onset", "2019-01-01").put("expectedDuration", "lifelong").put("significantRisk", true)));
        nurse.id(nurse.post(base + "/conditions", new JsonObject().put("icd10", "E11.9").put("description", "Type 2 diabetes mellitus without complications")
                .put("onset", "2020-03-04").put("expectedDuration", "lifelong").put("significantRisk", true)));
        consent = nurse.id(nurse.post(base + "/consents", new JsonObject().put("program", "rpm").put("method", "written")
                .put("obtainedOn", TODAY.minusDays(30).toString()).put("told", new JsonObject().put("costSharing", true)).put("accepted", true)));
        JsonObject plan = new JsonObject().put("problems", new JsonArray().add(condition)).put("expectedOutcome", "Blood pressure controlled at home")
                .put("prognosis", "Good").put("goals", new JsonArray().add(new JsonObject().put("description", "Lower blood pressure")
                        .put("target", "SBP < 130 mmHg").put("targetDate", TODAY.plusMonths(6).toString())))
                .put("symptomManagement", "Chest pain: call 911").put("reviewDate", TODAY.plusMonths(3).toString()).put("changeNote", "First plan");
        assertThat(doctor.post(base + "/care-plan", plan).status()).isEqualTo(201);
        assertThat(doctor.post(base + "/care-plan", plan.copy().put("prognosis", "Very good").put("changeNote", "Better")).status()).isEqualTo(201);

        device = "cuff_" + UUID.randomUUID().toString().substring(0, 6);
        String glucometer = "glu-" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(nurse.post("/api/v1/devices", new JsonObject().put("deviceId", device).put("practiceId", practiceA).put("kind", "blood_pressure_cuff")
                .put("model", "UA-651")).status()).isEqualTo(201);
        assertThat(nurse.post("/api/v1/devices", new JsonObject().put("deviceId", glucometer).put("practiceId", practiceA).put("kind", "glucometer"))
                .status()).isEqualTo(201);
        Instant since = Instant.now().minus(Duration.ofDays(20));
        for (String d : List.of(device, glucometer)) {
            assertThat(nurse.post("/api/v1/devices/" + d + "/assignments", new JsonObject().put("patientId", patient).put("validFrom", since.toString()))
                    .status()).isEqualTo(201);
        }
        firstReading = Instant.now().minus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        try (TestDevice cuff = new TestDevice("tcp://127.0.0.1:" + mqttPort, device, EmbeddedPlatforms.devicePassword(nurse, device));
             TestDevice meter = new TestDevice("tcp://127.0.0.1:" + mqttPort, glucometer, EmbeddedPlatforms.devicePassword(nurse, glucometer))) {
            JsonArray batch = new JsonArray();
            for (int i = 0; i < 5; i++) {
                batch.add(new JsonObject().put("type", "blood_pressure").put("measuredAt", firstReading.plus(Duration.ofDays(i)).atOffset(ZoneOffset.ofHours(-5)).toString()).put("systolic", 128 + i).put("diastolic", 82).put("pulse", 70 + i));
            }
            cuff.publish(device, batch.encode());
            meter.publish(glucometer, new JsonArray()
                    .add(new JsonObject().put("type", "blood_glucose").put("measuredAt", firstReading.plus(Duration.ofHours(3)).toString())
                            .put("glucose", 104).put("unit", "mg/dL").put("mealContext", "fasting"))
                    .add(new JsonObject().put("type", "blood_glucose").put("measuredAt", firstReading.plus(Duration.ofHours(6)).toString())
                            .put("glucose", 9.1).put("unit", "mmol/L").put("mealContext", "after_meal")).encode());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (nurse.get(base + "/readings?limit=100").json().getJsonArray("items").size() < 7) {
            assertThat(System.nanoTime()).as("readings stored").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    private static ApiClient signIn(String practice, String role, String npi) throws Exception {
        return practices.signedIn(practice, role, "Fhir, " + role, npi);
    }

    /** GET under /fhir/r4: 200, application/fhir+json, and valid against R4 core (a Bundle's entries too). */
    private static JsonObject valid(ApiClient client, String path) throws Exception {
        var response = client.get(path.startsWith("http") ? URI.create(path).getRawPath() + "?" + URI.create(path).getRawQuery() : "/fhir/r4" + path);
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/fhir+json");
        assertThat(FhirValidation.errors(response.body())).as(path + ": " + response.body()).isEmpty();
        return response.json();
    }

    private static List<JsonObject> entries(JsonObject bundle) {
        List<JsonObject> result = new ArrayList<>();
        JsonArray entries = bundle.getJsonArray("entry", new JsonArray());
        for (int i = 0; i < entries.size(); i++) {
            result.add(entries.getJsonObject(i).getJsonObject("resource"));
        }
        return result;
    }

    private static String next(JsonObject bundle) {
        JsonArray links = bundle.getJsonArray("link", new JsonArray());
        for (int i = 0; i < links.size(); i++) {
            if ("next".equals(links.getJsonObject(i).getString("relation"))) {
                return links.getJsonObject(i).getString("url");
            }
        }
        return null;
    }

    @Test
    void capabilityStatementIsPublicAndValid() throws Exception {
        JsonObject cs = valid(new ApiClient(platform.httpPort(), null), "/metadata");
        assertThat(cs.getString("resourceType")).isEqualTo("CapabilityStatement");
        assertThat(cs.getString("fhirVersion")).isEqualTo("4.0.1");
        assertThat(cs.getJsonArray("rest").getJsonObject(0).getJsonArray("resource").stream().map(r -> ((JsonObject) r).getString("type")))
                .containsExactly("Patient", "Observation", "Condition", "Consent", "CarePlan", "Device");
    }

    @Test
    void patientHasItsIdentifiersAndDemographics() throws Exception {
        JsonObject p = valid(nurse, "/Patient/" + patient);
        assertThat(p.getJsonArray("identifier").encode()).contains("MRN-7001").contains("http://hl7.org/fhir/sid/us-mbi").contains("1EG4TE5MK73");
        assertThat(p.getString("birthDate")).isEqualTo("1948-05-17");
        assertThat(p.getString("gender")).isEqualTo("female");
        JsonObject byMbi = valid(nurse, "/Patient?identifier=http://hl7.org/fhir/sid/us-mbi%7C1EG4TE5MK73");
        assertThat(entries(byMbi)).extracting(e -> e.getString("id")).containsExactly(patient);
        JsonObject byMrn = valid(nurse, "/Patient?identifier=MRN-7001");
        assertThat(entries(byMrn)).extracting(e -> e.getString("id")).containsExactly(patient);
        assertThat(entries(valid(outsider, "/Patient?identifier=MRN-7001"))).isEmpty();
    }

    @Test
    void readingsAreVitalSignObservationsThatPageByTheirLinks() throws Exception {
        JsonObject bp = valid(nurse, "/Observation?patient=Patient/" + patient + "&code=85354-9");
        List<JsonObject> panels = entries(bp);
        assertThat(panels).hasSize(5);
        assertThat(panels.get(0).getJsonObject("code").getJsonArray("coding").getJsonObject(0).getString("code")).isEqualTo("85354-9");
        assertThat(panels.get(0).getJsonArray("component").encode()).contains("8480-6").contains("8462-4").contains("mm[Hg]");
        assertThat(panels.get(0).getJsonObject("device").getString("reference")).isEqualTo("Device/" + device.replace("_", ".-"));
        assertThat(panels.get(0).getString("effectiveDateTime")).endsWith("-05:00");

        // Every observation of the patient, three at a time: 5 panels + 5 heart rates + 2 glucose = 12, each once.
        Set<String> seen = new HashSet<>();
        String url = "/Observation?patient=" + patient + "&_count=3";
        int pages = 0;
        while (url != null) {
            JsonObject page = valid(nurse, url);
            List<JsonObject> items = entries(page);
            assertThat(items.size()).isLessThanOrEqualTo(3);
            for (JsonObject o : items) {
                assertThat(seen.add(o.getString("id"))).as("no observation twice: " + o.getString("id")).isTrue();
            }
            url = next(page);
            pages++;
        }
        assertThat(seen).hasSize(12);
        assertThat(pages).isEqualTo(4);

        JsonObject heartRates = valid(nurse, "/Observation?patient=" + patient + "&code=http://loinc.org%7C8867-4");
        assertThat(entries(heartRates)).hasSize(5).allSatisfy(o -> assertThat(o.getJsonObject("valueQuantity").getString("code")).isEqualTo("/min"));
        JsonObject fasting = valid(nurse, "/Observation?patient=" + patient + "&code=1556-0");
        assertThat(entries(fasting)).hasSize(1);
        assertThat(entries(fasting).get(0).getJsonObject("valueQuantity").getInteger("value")).isEqualTo(104);
        JsonObject window = valid(nurse, "/Observation?patient=" + patient + "&code=85354-9&date=ge" + firstReading.plus(Duration.ofDays(1))
                .toString().replace("Z", "%2B00:00") + "&date=lt" + firstReading.plus(Duration.ofDays(3)).toString().replace("Z", "%2B00:00"));
        assertThat(entries(window)).hasSize(2);

        String id = panels.get(2).getString("id");
        JsonObject one = valid(nurse, "/Observation/" + id);
        assertThat(one.getString("id")).isEqualTo(id);
        Observation parsed = Fhir.parser().parseResource(Observation.class, one.encode());
        assertThat(parsed.getComponentFirstRep().getValueQuantity().getValue().intValue()).isEqualTo(130);
    }

    @Test
    void recordsReadAndSearchValid() throws Exception {
        JsonObject c = valid(nurse, "/Condition/" + condition);
        assertThat(c.getJsonObject("code").getJsonArray("coding").getJsonObject(0).getString("system")).isEqualTo("http://hl7.org/fhir/sid/icd-10-cm");
        assertThat(entries(valid(nurse, "/Condition?patient=" + patient))).hasSize(2);
        assertThat(entries(valid(nurse, "/Condition?patient=" + patient + "&code=E11.9"))).hasSize(1);
        assertThat(entries(valid(nurse, "/Condition?patient=" + patient + "&_count=1"))).hasSize(1);
        valid(nurse, "/Consent/" + consent);
        assertThat(entries(valid(nurse, "/Consent?patient=" + patient))).hasSize(1);
        List<JsonObject> plans = entries(valid(nurse, "/CarePlan?patient=" + patient));
        assertThat(plans).extracting(p -> p.getString("status")).containsExactly("revoked", "active");
        assertThat(plans.get(0).getString("created")).isEqualTo(plans.get(1).getString("created"));
        valid(nurse, "/CarePlan/" + plans.get(1).getString("id"));
        List<JsonObject> devices = entries(valid(nurse, "/Device?patient=" + patient));
        assertThat(devices).hasSize(2);
        valid(nurse, "/Device/" + device.replace("_", ".-"));
    }

    @Test
    void everythingIsOneValidBundle() throws Exception {
        JsonObject bundle = valid(nurse, "/Patient/" + patient + "/$everything");
        Bundle parsed = Fhir.parser().parseResource(Bundle.class, bundle.encode());
        assertThat(parsed.getEntry()).extracting(e -> e.getResource().fhirType())
                .contains("Patient", "Condition", "Consent", "CarePlan", "Device", "Observation");
        assertThat(parsed.getEntry().stream().filter(e -> e.getResource().fhirType().equals("Observation")).count()).isEqualTo(12);
    }

    @Test
    void anotherPracticesRecordsAreNotFound() throws Exception {
        String observation = entries(valid(nurse, "/Observation?patient=" + patient + "&_count=1")).get(0).getString("id");
        for (String path : List.of("/Patient/" + patient, "/Patient/" + patient + "/$everything", "/Observation/" + observation,
                "/Observation?patient=" + patient, "/Condition/" + condition, "/Condition?patient=" + patient, "/Consent/" + consent,
                "/CarePlan?patient=" + patient, "/Device/" + device.replace("_", ".-"), "/Device?patient=" + patient)) {
            var response = outsider.get("/fhir/r4" + path);
            assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(404);
            assertThat(response.json().getString("resourceType")).isEqualTo("OperationOutcome");
            assertThat(response.body()).doesNotContain("Demoford").doesNotContain("MRN-7001");
        }
        assertThat(nurse.get("/fhir/r4/Patient/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(nurse.get("/fhir/r4/Patient/not-a-uuid").status()).isEqualTo(404);
        assertThat(nurse.get("/fhir/r4/Observation/bp-zzz-nothing").status()).isEqualTo(404);
    }

    @Test
    void refusalsAreOperationOutcomesNamingTheParameter() throws Exception {
        assertThat(new ApiClient(platform.httpPort(), null).get("/fhir/r4/Patient/" + patient).status()).isEqualTo(401);
        Map<String, String> refusals = Map.of(
                "/Observation?patient=" + patient + "&colour=red", "colour",
                "/Observation?patient=" + patient + "&_count=0", "_count",
                "/Observation?patient=" + patient + "&code=1234-5", "1234-5",
                "/Observation?patient=" + patient + "&code=http://snomed.info/sct%7C1", "snomed",
                "/Observation?patient=" + patient + "&date=yesterday", "date",
                "/Observation?patient=" + patient + "&_cursor=garbage!", "_cursor",
                "/Observation?code=85354-9", "patient",
                "/Condition?patient=" + patient + "&code=http://loinc.org%7C1", "ICD-10-CM",
                "/Patient?identifier=urn:x%7C1", "identifier");
        for (Map.Entry<String, String> c : refusals.entrySet()) {
            var response = nurse.get("/fhir/r4" + c.getKey());
            assertThat(response.status()).as(c.getKey() + ": " + response.body()).isEqualTo(400);
            JsonObject outcome = response.json();
            assertThat(outcome.getString("resourceType")).isEqualTo("OperationOutcome");
            assertThat(outcome.getJsonArray("issue").getJsonObject(0).getString("diagnostics")).as(c.getKey()).contains(c.getValue());
            assertThat(FhirValidation.errors(response.body())).isEmpty();
        }
        assertThat(nurse.get("/fhir/r4/Nothing").status()).isEqualTo(404);
    }

    @Test
    void aReadingEnteredByAPersonHasAnObservationIdOfItsOwn() throws Exception {
        // A patient of practice B, so the other tests' counts of practice A's records stay as they are; B's nurse enters it.
        String phoned = outsider.id(outsider.post("/api/v1/patients", new JsonObject().put("practiceId", practiceB).put("externalRef", "MRN-8002")));
        Instant at = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        var entered = outsider.post("/api/v1/patients/" + phoned + "/entered-readings", new JsonObject().put("type", "blood_pressure")
                .put("measuredAt", at.toString()).put("source", "phoned_in").put("systolic", 151).put("diastolic", 93).put("pulse", 77));
        assertThat(entered.status()).as(entered.body()).isEqualTo(201);

        List<JsonObject> found = entries(valid(outsider, "/Observation?patient=" + phoned));
        assertThat(found).as("the panel and the heart rate taken with it").hasSize(2);
        for (JsonObject o : found) {
            String id = o.getString("id");
            assertThat(id).as("a FHIR id").matches("[A-Za-z0-9.\\-]{1,64}");
            JsonObject read = valid(outsider, "/Observation/" + id);
            assertThat(read.getString("id")).isEqualTo(id);
            assertThat(read.containsKey("device")).as("no device vouches for it").isFalse();
            assertThat(read.getJsonArray("performer").getJsonObject(0).getString("display")).contains("phoned in");
            assertThat(nurse.get("/fhir/r4/Observation/" + id).status()).as("another practice").isEqualTo(404);
        }
        assertThat(found.get(1).getJsonArray("derivedFrom").getJsonObject(0).getString("reference")).isEqualTo("Observation/" + found.get(0).getString("id"));
        assertThat(entries(valid(outsider, "/Patient/" + phoned + "/$everything")).stream().filter(r -> r.getString("resourceType").equals("Observation"))
                .map(r -> r.getString("id")).toList()).containsExactly(found.get(0).getString("id"), found.get(1).getString("id"));
    }

    @Test
    void everyRefusalIsAnOperationOutcomeNotTheApisJson() throws Exception {
        Map<String, ApiClient.Response> refusals = new java.util.LinkedHashMap<>();
        refusals.put("401 login: no token", new ApiClient(platform.httpPort(), null).get("/fhir/r4/Patient/" + patient));
        refusals.put("401 login: a token that is no session", new ApiClient(platform.httpPort(), "not-a-session").get("/fhir/r4/Observation?patient=" + patient));
        refusals.put("404 not-found: another practice's patient", outsider.get("/fhir/r4/Patient/" + patient));
        refusals.put("404 not-found: no such endpoint", nurse.get("/fhir/r4/Nothing"));
        refusals.put("400 invalid: a bad parameter", nurse.get("/fhir/r4/Observation?patient=" + patient + "&_count=0"));
        for (Map.Entry<String, ApiClient.Response> r : refusals.entrySet()) {
            String[] expected = r.getKey().split("[ :]");
            var response = r.getValue();
            assertThat(response.status()).as(r.getKey() + ": " + response.body()).isEqualTo(Integer.parseInt(expected[0]));
            assertThat(response.headers().firstValue("Content-Type").orElse("")).as(r.getKey()).startsWith("application/fhir+json");
            JsonObject issue = response.json().getJsonArray("issue").getJsonObject(0);
            assertThat(response.json().getString("resourceType")).as(r.getKey()).isEqualTo("OperationOutcome");
            assertThat(issue.getString("code")).as(r.getKey()).isEqualTo(expected[1]);
            assertThat(issue.getString("diagnostics")).as(r.getKey()).isNotBlank();
            assertThat(FhirValidation.errors(response.body())).as(r.getKey()).isEmpty();
        }
        var anonymous = refusals.get("401 login: no token");
        assertThat(anonymous.json().getJsonArray("issue").getJsonObject(0).getString("diagnostics")).contains("Authorization: Bearer");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
        var api = new ApiClient(platform.httpPort(), null).get("/api/v1/patients/" + patient);
        assertThat(api.status()).isEqualTo(401);
        assertThat(api.json().getString("error")).as("/api/v1 keeps its own JSON").isEqualTo("unauthenticated");
    }

    @Test
    void monthlySummaryIsAPdfADocumentReferenceAndAPracticeArchive() throws Exception {
        String month = java.time.YearMonth.from(firstReading.atZone(java.time.ZoneId.of("America/Chicago"))).toString();
        var pdf = nurse.getBytes("/api/v1/patients/" + patient + "/monthly-summary.pdf?month=" + month);
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/pdf");
        String text;
        try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf.body())) {
            text = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
        }
        assertThat(text).contains("Data days:").contains("Systolic blood pressure").contains("Heart rate").contains("Care plan in force")
                .contains("has not closed " + month).contains("MRN-7001");
        // The care plan was established today: in force for this month's summary, and for an earlier month's only if established then.
        String thisMonth = java.time.YearMonth.now(java.time.ZoneId.of("America/Chicago")).toString();
        try (var doc = org.apache.pdfbox.Loader.loadPDF(nurse.getBytes("/api/v1/patients/" + patient + "/monthly-summary.pdf?month=" + thisMonth).body())) {
            assertThat(new org.apache.pdfbox.text.PDFTextStripper().getText(doc)).contains("Version 2, established");
        }
        if (!thisMonth.equals(month)) {
            assertThat(text).contains("No care plan established by the end of the month.");
        }

        JsonObject document = valid(nurse, "/Patient/" + patient + "/$monthly-summary?month=" + month);
        assertThat(document.getString("resourceType")).isEqualTo("DocumentReference");
        JsonObject attachment = document.getJsonArray("content").getJsonObject(0).getJsonObject("attachment");
        assertThat(attachment.getString("contentType")).isEqualTo("application/pdf");
        assertThat(java.util.Base64.getDecoder().decode(attachment.getString("data"))).startsWith("%PDF".getBytes());

        String practiceA = nurse.get("/api/v1/patients/" + patient).json().getString("practiceId");
        var zip = admin.getBytes("/api/v1/practices/" + practiceA + "/monthly-summaries.zip?month=" + month);
        assertThat(zip.statusCode()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip.body()))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        assertThat(names).containsExactly("careloop-summary-MRN-7001-" + patient + "-" + month + ".pdf");
        assertThat(nurse.get("/api/v1/practices/" + practiceA + "/monthly-summaries.zip?month=" + month).status()).isEqualTo(403);
        assertThat(outsider.get("/api/v1/patients/" + patient + "/monthly-summary.pdf?month=" + month).status()).isEqualTo(404);
        assertThat(outsider.get("/fhir/r4/Patient/" + patient + "/$monthly-summary?month=" + month).status()).isEqualTo(404);
        assertThat(nurse.get("/api/v1/patients/" + patient + "/monthly-summary.pdf?month=November").status()).isEqualTo(400);
        assertThat(nurse.get("/api/v1/patients/" + patient + "/monthly-summary.pdf").status()).isEqualTo(400);
    }

    @Test
    void fhirReadsAreInTheAuditTrail() throws Exception {
        valid(nurse, "/Condition/" + condition);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            JsonArray events = admin.get("/api/v1/audit-events?patientId=" + patient + "&limit=500").json().getJsonArray("items");
            boolean found = events.stream().map(JsonObject.class::cast).anyMatch(e -> ("/fhir/r4/Condition/" + condition).equals(e.getString("resource")));
            if (found) {
                break;
            }
            assertThat(System.nanoTime()).as("the FHIR read is audited with its patient").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
