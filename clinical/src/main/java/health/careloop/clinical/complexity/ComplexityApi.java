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
 * moderate or high complexity (POST) or withdraws such a record with a reason (POST …/{complexityId}/withdraw); care
 * staff read the records, withdrawn ones too (GET). Complex CCM is billed only with a record in force, and neither
 * changes for a month whose billing is closed.
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
        api.post("/patients/:patientId/ccm-complexity/:complexityId/withdraw").handler(this::withdraw);
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

    private void withdraw(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.CHANGE_THRESHOLDS_AND_CARE_PLANS);
        if (principal.staffId() == null) {
            throw new ApiException(403, "forbidden", "A complex CCM record is withdrawn by a physician or NPP, signed in.");
        }
        UUID patientId = PatientAccess.patientId(ctx);
        UUID recordId = PatientAccess.pathId(ctx, "complexityId");
        String reason = RequestBody.of(ctx).text("reason", 2000).trim();
        if (reason.isEmpty()) {
            throw ApiException.badRequest("'reason' must say why the record is withdrawn.");
        }
        ApiResponses.respondBlocking(ctx, 200, () -> {
            Patient patient = access.visible(principal, patientId);
            return json(records.withdraw(patient.practiceId(), patientId, recordId, reason, principal.staffId(), principal.actor()));
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
        JsonObject json = new JsonObject().put("id", r.id().toString()).put("month", r.month().toString()).put("level", r.level()).put("note", r.note())
                .put("providerId", r.providerId().toString()).put("recordedBy", r.recordedBy()).put("recordedAt", r.recordedAt().toString())
                .put("inForce", r.inForce());
        if (r.withdrawal() != null) {
            json.put("withdrawal", new JsonObject().put("at", r.withdrawal().at().toString()).put("staffId", r.withdrawal().staffId().toString())
                    .put("by", r.withdrawal().by()).put("reason", r.withdrawal().reason()));
        }
        return json;
    }
}
