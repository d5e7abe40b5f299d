package health.careloop.common.directory;

import health.careloop.common.audit.AuditTrail;
import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.QueryParams;
import health.careloop.common.http.RequestBody;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.UUID;

/** /api/v1/practices and /api/v1/patients: just enough to register devices until the clinical tier owns patients. */
public final class DirectoryApi {
    private final Directory directory;

    public DirectoryApi(Directory directory) {
        this.directory = directory;
    }

    public void mount(Router api) {
        api.post("/practices").handler(this::createPractice);
        api.get("/practices").handler(ctx -> {
            Principal principal = Principal.of(ctx);
            principal.require(Permission.READ_CLINICAL);
            ApiResponses.respondBlocking(ctx, 200, () -> new JsonObject().put("items", directory.practices().stream()
                    .filter(p -> principal.canSee(p.id())).map(DirectoryApi::json).toList()));
        });
        api.post("/patients").handler(this::createPatient);
        api.get("/patients").handler(this::findPatients);
        api.post("/patients/:patientId/external-ref").handler(this::changeExternalRef);
    }

    /** The patient's medical record number in the practice (a typo at registration, a merged chart in the EHR). */
    private void changeExternalRef(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.EDIT_PATIENTS);
        UUID patientId = RequestBody.parseUuid("patientId", ctx.pathParam("patientId"));
        String externalRef = RequestBody.of(ctx).string("externalRef", 100);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            Patient patient = directory.patient(patientId).orElseThrow(() -> ApiException.notFound("No patient " + patientId + "."));
            principal.requirePractice(patient.practiceId(), "patient " + patientId);
            return json(directory.changeExternalRef(patient, externalRef));
        });
    }

    private void createPractice(RoutingContext ctx) {
        if (!Principal.of(ctx).isSystem()) {
            throw new ApiException(403, "forbidden", "Practices are created with the API token by whoever runs CareLoop.");
        }
        RequestBody body = RequestBody.of(ctx);
        String name = body.string("name", 200);
        var zone = body.zone("timeZone");
        ApiResponses.respondBlocking(ctx, 201, () -> json(directory.createPractice(name, zone)));
    }

    private void createPatient(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.EDIT_PATIENTS);
        RequestBody body = RequestBody.of(ctx);
        UUID practiceId = body.uuid("practiceId");
        principal.requirePractice(practiceId, "practice " + practiceId);
        String externalRef = body.string("externalRef", 100);
        ApiResponses.respondBlocking(ctx, 201, () -> {
            Patient created = directory.createPatient(practiceId, externalRef);
            AuditTrail.patients(ctx, List.of(created.id()));
            return json(created);
        });
    }

    private void findPatients(RoutingContext ctx) {
        String externalRef = QueryParams.string(ctx, "externalRef", 100).orElse(null);
        if (externalRef == null) {
            // Without externalRef this is the clinical tier's patient list (name search, demographics).
            ctx.next();
            return;
        }
        UUID practiceId = QueryParams.uuid(ctx, "practiceId")
                .orElseThrow(() -> ApiException.badRequest("Give both 'practiceId' and 'externalRef' to look a patient up."));
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        principal.requirePractice(practiceId, "practice " + practiceId);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            List<Patient> found = directory.patientByExternalRef(practiceId, externalRef).map(List::of).orElse(List.of());
            AuditTrail.patients(ctx, found.stream().map(Patient::id).toList());
            return new JsonObject().put("items", found.stream().map(DirectoryApi::json).toList());
        });
    }

    static JsonObject json(Practice p) {
        return new JsonObject().put("id", p.id().toString()).put("name", p.name()).put("timeZone", p.timeZone().getId());
    }

    static JsonObject json(Patient p) {
        return new JsonObject().put("id", p.id().toString()).put("practiceId", p.practiceId().toString()).put("externalRef", p.externalRef());
    }
}
