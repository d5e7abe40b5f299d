package health.careloop.clinical.complexity;

import health.careloop.clinical.patients.PatientAccess;
import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.directory.Patient;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.RequestBody;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * /api/v1/patients/{patientId}/ccm-complexity: a provider records that the month's medical decision making was of
 * moderate or high complexity (POST), care staff read the records (GET). Complex CCM is billed only with such a record.
 */
public final class ComplexityApi {
    private final PatientAccess access;
    private final ComplexityRecords records;

    public ComplexityApi(PatientAccess access, ComplexityRecords records) {
        this.access = access;
        this.records = records;
    }

    public void mount(Router api) {
        api.post("/patients/:patientId/ccm-complexity").handler(this::record);
        api.get("/patients/:patientId/ccm-complexity").handler(this::list);
    }

    private void record(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.CHANGE_THRESHOLDS_AND_CARE_PLANS);
        if (principal.staffId() == null) {
            // A clinical judgement is a person's: the API token is nobody.
            throw new ApiException(403, "forbidden", "The complexity of medical decision making is recorded by the physician or NPP who made it, signed in.");
        }
        UUID patientId = PatientAccess.patientId(ctx);
        RequestBody body = RequestBody.of(ctx);
        YearMonth month = month(body.string("month", 7));
        String level = body.string("level", 10);
        if (!ComplexityRecords.LEVELS.contains(level)) {
            throw ApiException.badRequest("'level' must be moderate or high (complex CCM needs moderate or high complexity medical decision making).");
        }
        String note = body.optionalText("note", 2000).orElse(null);
        ApiResponses.respondBlocking(ctx, 201, () -> {
            Patient patient = access.visible(principal, patientId);
            if (month.isAfter(YearMonth.from(access.today(patient.practiceId())))) {
                throw ApiException.badRequest("'month' (" + month + ") has not begun yet.");
            }
            return json(records.record(patient.practiceId(), patientId, month, level, note, principal.staffId(), principal.actor()));
        });
    }

    private void list(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        UUID patientId = PatientAccess.patientId(ctx);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            access.visible(principal, patientId);
            return new JsonObject().put("items", records.of(patientId).stream().map(ComplexityApi::json).toList());
        });
    }

    private static YearMonth month(String text) {
        try {
            if (text.matches("[0-9]{4}-[0-9]{2}")) {
                return YearMonth.parse(text);
            }
        } catch (DateTimeParseException ignored) {
            // falls through to the refusal
        }
        throw ApiException.badRequest("'month' must be a calendar month as YYYY-MM, such as 2026-11.");
    }

    static JsonObject json(ComplexityRecord r) {
        return new JsonObject().put("id", r.id().toString()).put("month", r.month().toString()).put("level", r.level()).put("note", r.note())
                .put("providerId", r.providerId().toString()).put("recordedBy", r.recordedBy()).put("recordedAt", r.recordedAt().toString());
    }
}
