package health.careloop.clinical.conditions;

import health.careloop.common.http.RequestBody;
import health.careloop.clinical.patients.PatientAccess;
import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.LocalDate;
import java.util.UUID;

/** POST /api/v1/patients/{patientId}/conditions and …/conditions/{conditionId}/end. */
public final class ConditionApi {
    private final PatientAccess access;
    private final Conditions conditions;

    public ConditionApi(PatientAccess access, Conditions conditions) {
        this.access = access;
        this.conditions = conditions;
    }

    public void mount(Router api) {
        api.post("/patients/:patientId/conditions").handler(this::add);
        api.post("/patients/:patientId/conditions/:conditionId/end").handler(this::end);
    }

    private void add(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.EDIT_PATIENTS);
        UUID patientId = PatientAccess.patientId(ctx);
        RequestBody body = RequestBody.of(ctx);
        String icd10 = Icd10.normalise(body.string("icd10", 10));
        Icd10.problem(icd10).ifPresent(problem -> {
            throw new ApiException(400, "invalid_icd10", problem);
        });
        String description = body.string("description", 300);
        LocalDate onset = body.optionalDate("onset").orElse(null);
        String durationName = body.string("expectedDuration", 40);
        ExpectedDuration duration = ExpectedDuration.fromWire(durationName).orElseThrow(() -> ApiException.badRequest(
                "'expectedDuration' must be under_3_months, 3_to_12_months, at_least_12_months or lifelong."));
        boolean significantRisk = body.bool("significantRisk");
        ApiResponses.respondBlocking(ctx, 201, () -> {
            var patient = access.visible(principal, patientId);
            if (onset != null && onset.isAfter(access.today(patient.practiceId()))) {
                throw ApiException.badRequest("'onset' is in the future.");
            }
            Condition condition = conditions.add(patient.practiceId(), patientId, icd10, description, onset, duration, significantRisk,
                    principal.actor());
            JsonObject json = json(condition);
            Icd10.warning(icd10, description).ifPresent(w -> json.put("warning", w));
            return json;
        });
    }

    private void end(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.EDIT_PATIENTS);
        UUID patientId = PatientAccess.patientId(ctx);
        UUID conditionId = PatientAccess.pathId(ctx, "conditionId");
        LocalDate endedOn = RequestBody.of(ctx).date("endedOn");
        ApiResponses.respondBlocking(ctx, 200, () -> {
            access.visible(principal, patientId);
            return json(conditions.end(patientId, conditionId, endedOn));
        });
    }

    public static JsonObject json(Condition c) {
        return new JsonObject()
                .put("id", c.id().toString())
                .put("icd10", c.icd10())
                .put("description", c.description())
                .put("onset", c.onset() == null ? null : c.onset().toString())
                .put("expectedDuration", c.expectedDuration().wireName())
                .put("significantRisk", c.significantRisk())
                .put("endedOn", c.endedOn() == null ? null : c.endedOn().toString())
                .put("recordedBy", c.recordedBy())
                .put("recordedAt", c.recordedAt().toString());
    }

    public static JsonObject json(Eligibility e) {
        return new JsonObject().put("eligible", e.eligible()).put("reason", e.reason()).put("qualifyingCodes", e.qualifyingCodes());
    }
}
