package health.careloop.simulator.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The calls of CareLoop's JSON API that a device maker needs to register devices, and that the simulator needs to
 * give its demo patients a record a practice could bill: demographics, diagnoses, consent, enrolment.
 */
public final class CareLoopApi {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final URI base;
    private final String token;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();

    public CareLoopApi(URI base, String token) {
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** Creates a practice (a second one if the name is taken: names are not unique); see {@link #findPractices}. */
    public String createPractice(String name, String timeZone) throws IOException, InterruptedException {
        ObjectNode body = mapper.createObjectNode().put("name", name).put("timeZone", timeZone);
        Response r = send("POST", "api/v1/practices", body);
        return r.expect(201, "create practice").path("id").asText();
    }

    /** The practices named exactly {@code name}, in the API's order (by name); empty if there is none. */
    public List<Practice> findPractices(String name) throws IOException, InterruptedException {
        JsonNode items = send("GET", "api/v1/practices", null).expect(200, "list practices").path("items");
        List<Practice> found = new ArrayList<>();
        for (JsonNode item : items) {
            if (name.equals(item.path("name").asText(null))) {
                found.add(new Practice(item.path("id").asText(), item.path("name").asText(), item.path("timeZone").asText()));
            }
        }
        return found;
    }

    /** The patient's id, creating the patient unless the external reference is already taken in the practice. */
    public Created ensurePatient(String practiceId, String externalRef) throws IOException, InterruptedException {
        ObjectNode body = mapper.createObjectNode().put("practiceId", practiceId).put("externalRef", externalRef);
        Response r = send("POST", "api/v1/patients", body);
        if (r.status == 409) {
            String query = "api/v1/patients?practiceId=" + encode(practiceId) + "&externalRef=" + encode(externalRef);
            JsonNode items = send("GET", query, null).expect(200, "find patient " + externalRef).path("items");
            if (items.size() != 1) {
                throw new ApiException("find patient " + externalRef, 200, items.toString());
            }
            return new Created(items.get(0).path("id").asText(), false);
        }
        return new Created(r.expect(201, "create patient " + externalRef).path("id").asText(), true);
    }

    /** True if registered now, false if the device id was already registered (a re-run). */
    public boolean registerDevice(String deviceId, String practiceId, String kind, String model)
            throws IOException, InterruptedException {
        ObjectNode body = mapper.createObjectNode()
                .put("deviceId", deviceId).put("practiceId", practiceId).put("kind", kind).put("model", model);
        return createdOrConflict(send("POST", "api/v1/devices", body), "register device " + deviceId);
    }

    /**
     * True if the device is already with the patient from {@code validFrom} on, open-ended. A re-run checks this
     * before assigning, because assigning again from a later time would end the assignment and start a new one.
     */
    public boolean assignedFrom(String deviceId, String patientId, Instant validFrom) throws IOException, InterruptedException {
        JsonNode device = send("GET", "api/v1/devices/" + encode(deviceId), null).expect(200, "get device " + deviceId);
        for (JsonNode a : device.path("assignments")) {
            boolean open = a.path("validTo").isMissingNode() || a.path("validTo").isNull();
            if (open && patientId.equals(a.path("patientId").asText())
                    && !Instant.parse(a.path("validFrom").asText()).isAfter(validFrom)) {
                return true;
            }
        }
        return false;
    }

    /** True if assigned now, false if an overlapping assignment exists (a re-run). */
    public boolean assignDevice(String deviceId, String patientId, Instant validFrom)
            throws IOException, InterruptedException {
        ObjectNode body = mapper.createObjectNode().put("patientId", patientId).put("validFrom", validFrom.toString());
        return createdOrConflict(send("POST", "api/v1/devices/" + encode(deviceId) + "/assignments", body),
                "assign device " + deviceId);
    }

    /**
     * The practice's billing practitioner for the demo: the first active physician or NPP with an NPI in the staff
     * list (the API's order), or empty if there is none.
     */
    public Optional<String> billingPractitioner(String practiceId) throws IOException, InterruptedException {
        JsonNode items = send("GET", "api/v1/staff?practiceId=" + encode(practiceId), null)
                .expect(200, "list staff").path("items");
        for (JsonNode staff : items) {
            String role = staff.path("role").asText();
            boolean provider = role.equals("physician") || role.equals("npp");
            if (provider && staff.path("active").asBoolean(false) && !staff.path("npi").asText("").isBlank()
                    && !staff.path("npi").isNull()) {
                return Optional.of(staff.path("id").asText());
            }
        }
        return Optional.empty();
    }

    public void saveProfile(String patientId, Demographics d) throws IOException, InterruptedException {
        ObjectNode body = mapper.createObjectNode().put("givenName", d.givenName()).put("familyName", d.familyName())
                .put("birthDate", d.birthDate().toString()).put("sex", d.sex()).put("mbi", d.mbi()).put("phone", d.phone());
        body.putObject("address").put("line1", d.address().line1()).put("city", d.address().city())
                .put("state", d.address().state()).put("zip", d.address().zip());
        send("POST", "api/v1/patients/" + encode(patientId) + "/profile", body).expect(200, "save profile");
    }

    /** A chronic condition expected to last for life that places the patient at significant risk (CCM's test). */
    public void addChronicCondition(String patientId, Diagnoses.Diagnosis diagnosis) throws IOException, InterruptedException {
        ObjectNode body = mapper.createObjectNode().put("icd10", diagnosis.icd10()).put("description", diagnosis.description())
                .put("expectedDuration", "lifelong").put("significantRisk", true);
        send("POST", "api/v1/patients/" + encode(patientId) + "/conditions", body).expect(201, "add condition " + diagnosis.icd10());
    }

    /**
     * A verbal consent, accepted, with every disclosure the program requires told (billing-rules.md 1.2, 2.2).
     *
     * @param program rpm or ccm
     */
    public void recordConsent(String patientId, String program, LocalDate obtainedOn, String obtainedBy)
            throws IOException, InterruptedException {
        ObjectNode body = mapper.createObjectNode().put("program", program).put("method", "verbal")
                .put("obtainedOn", obtainedOn.toString()).put("obtainedBy", obtainedBy).put("accepted", true);
        body.putObject("told").put("serviceAvailable", true).put("costSharing", true)
                .put("onePractitionerPerMonth", true).put("mayStopAnyTime", true);
        send("POST", "api/v1/patients/" + encode(patientId) + "/consents", body).expect(201, "record " + program + " consent");
    }

    public void enrol(String patientId, String program, LocalDate startDate, String billingPractitionerId)
            throws IOException, InterruptedException {
        ObjectNode body = mapper.createObjectNode().put("program", program).put("startDate", startDate.toString())
                .put("billingPractitionerId", billingPractitionerId);
        send("POST", "api/v1/patients/" + encode(patientId) + "/enrolments", body).expect(201, "enrol in " + program);
    }

    public record Practice(String id, String name, String timeZone) {
    }

    /** @param created false when the resource existed before */
    public record Created(String id, boolean created) {
    }

    private static boolean createdOrConflict(Response r, String call) {
        if (r.status == 409) {
            return false;
        }
        r.expect(201, call);
        return true;
    }

    private Response send(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(TIMEOUT)
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new IOException("cannot reach CareLoop's API at " + base + " (is CareLoop running?)", e);
        }
        return new Response(response.statusCode(), response.body());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private final class Response {
        final int status;
        final String body;

        Response(int status, String body) {
            this.status = status;
            this.body = body;
        }

        JsonNode expect(int wanted, String call) {
            if (status != wanted) {
                throw new ApiException(call, status, body);
            }
            try {
                return mapper.readTree(body);
            } catch (IOException e) {
                throw new ApiException(call, status, "not JSON: " + body);
            }
        }
    }
}
