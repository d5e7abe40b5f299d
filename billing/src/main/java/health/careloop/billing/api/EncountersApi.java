package health.careloop.billing.api;

import health.careloop.billing.encounters.InpatientStay;
import health.careloop.billing.encounters.InpatientStays;
import health.careloop.billing.encounters.Visit;
import health.careloop.billing.encounters.VisitKind;
import health.careloop.billing.encounters.Visits;
import health.careloop.billing.ledger.TimeLedger;
import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.RequestBody;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The care-management gates' inputs: visits that can initiate CCM (and carry G0506) and hospital/SNF stays, during which
 * no CCM time counts. Recording them is editing the patient's record (EDIT_PATIENTS); reading them is READ_CLINICAL.
 */
public final class EncountersApi {
    private final Visits visits;
    private final InpatientStays stays;
    private final Directory directory;
    private final TimeLedger ledger;

    public EncountersApi(Visits visits, InpatientStays stays, Directory directory, TimeLedger ledger) {
        this.visits = visits;
        this.stays = stays;
        this.directory = directory;
        this.ledger = ledger;
    }

    public void mount(Router api) {
        api.post("/patients/:patientId/visits").handler(this::recordVisit);
        api.get("/patients/:patientId/visits").handler(this::listVisits);
        api.post("/patients/:patientId/inpatient-stays").handler(this::recordStay);
        api.post("/patients/:patientId/inpatient-stays/:stayId/discharge").handler(this::discharge);
        api.get("/patients/:patientId/inpatient-stays").handler(this::listStays);
    }

    private void recordVisit(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.EDIT_PATIENTS);
        UUID patientId = RequestBody.parseUuid("patientId", ctx.pathParam("patientId"));
        RequestBody body = RequestBody.of(ctx);
        ApiResponses.respondBlocking(ctx, 201, () -> {
            Patient patient = visiblePatient(principal, patientId);
            String kindText = body.string("kind", 10);
            VisitKind kind = VisitKind.fromWire(kindText).orElseThrow(() -> ApiException.badRequest("'kind' must be one of "
                    + Arrays.stream(VisitKind.values()).map(VisitKind::wireName).collect(Collectors.joining(", ")) + "."));
            boolean assessment = body.optionalBool("ccmAssessment").orElse(false);
            return visits.record(patient.practiceId(), patient.id(), ledger.zoneOf(patient.practiceId()), kind, body.date("date"),
                    body.uuid("practitionerId"), assessment, principal.actor()).toJson();
        });
    }

    private void listVisits(RoutingContext ctx) {
        listOfPatient(ctx, patientId -> visits.of(patientId).stream().map(Visit::toJson).toList());
    }

    /** GET …/{patientId}/…: a patient's records as {items}, for anyone who may read the patient's clinical data. */
    private void listOfPatient(RoutingContext ctx, PatientRecords records) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        UUID patientId = RequestBody.parseUuid("patientId", ctx.pathParam("patientId"));
        ApiResponses.respondBlocking(ctx, 200, () -> {
            visiblePatient(principal, patientId);
            return new JsonObject().put("items", new JsonArray(records.of(patientId)));
        });
    }

    @FunctionalInterface
    private interface PatientRecords {
        java.util.List<JsonObject> of(UUID patientId) throws java.sql.SQLException;
    }

    private void recordStay(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.EDIT_PATIENTS);
        UUID patientId = RequestBody.parseUuid("patientId", ctx.pathParam("patientId"));
        RequestBody body = RequestBody.of(ctx);
        ApiResponses.respondBlocking(ctx, 201, () -> {
            Patient patient = visiblePatient(principal, patientId);
            String settingText = body.string("setting", 10);
            InpatientStay.Setting setting = InpatientStay.Setting.fromWire(settingText)
                    .orElseThrow(() -> ApiException.badRequest("'setting' must be hospital or snf."));
            return stays.record(patient.practiceId(), patient.id(), setting,
                    body.optionalInstant("admittedAt").orElseThrow(() -> ApiException.badRequest("'admittedAt' is required.")),
                    body.optionalInstant("dischargedAt").orElse(null), principal.actor()).toJson();
        });
    }

    private void discharge(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.EDIT_PATIENTS);
        UUID patientId = RequestBody.parseUuid("patientId", ctx.pathParam("patientId"));
        UUID stayId = RequestBody.parseUuid("stayId", ctx.pathParam("stayId"));
        RequestBody body = RequestBody.of(ctx);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            visiblePatient(principal, patientId);
            return stays.discharge(patientId, stayId,
                    body.optionalInstant("dischargedAt").orElseThrow(() -> ApiException.badRequest("'dischargedAt' is required."))).toJson();
        });
    }

    private void listStays(RoutingContext ctx) {
        listOfPatient(ctx, patientId -> stays.of(patientId).stream().map(InpatientStay::toJson).toList());
    }

    private Patient visiblePatient(Principal principal, UUID patientId) throws Exception {
        Patient patient = directory.patient(patientId).orElseThrow(() -> ApiException.notFound("No patient " + patientId + "."));
        principal.requirePractice(patient.practiceId(), "patient " + patientId);
        return patient;
    }
}
