package health.careloop.clinical.consent;

import health.careloop.common.http.QueryParams;
import health.careloop.common.http.RequestBody;
import health.careloop.clinical.patients.PatientAccess;
import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.auth.StaffMember;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Consents and enrolments: /api/v1/patients/{patientId}/consents, …/enrolments, …/programs/{program}/status. */
public final class ProgramApi {
    private final PatientAccess access;
    private final Consents consents;
    private final Enrolments enrolments;
    private final ProgramStatus status;
    private final StaffAccounts staff;

    public ProgramApi(PatientAccess access, Consents consents, Enrolments enrolments, ProgramStatus status, StaffAccounts staff) {
        this.access = access;
        this.consents = consents;
        this.enrolments = enrolments;
        this.status = status;
        this.staff = staff;
    }

    public void mount(Router api) {
        api.post("/patients/:patientId/consents").handler(this::recordConsent);
        api.post("/patients/:patientId/consents/:consentId/revoke").handler(this::revokeConsent);
        api.post("/patients/:patientId/enrolments").handler(this::enrol);
        api.post("/patients/:patientId/enrolments/:enrolmentId/end").handler(this::endEnrolment);
        api.get("/patients/:patientId/programs/:program/status").handler(this::status);
        api.get("/care-team").handler(this::careTeam);
    }

    /**
     * The practice's active clinical staff and providers, for the chart's choices (who obtained a consent, the billing
     * practitioner, who saw the patient). Names and roles only: the staff administration list is MANAGE_STAFF's.
     */
    private void careTeam(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        Optional<UUID> asked = QueryParams.uuid(ctx, "practiceId");
        UUID practiceId;
        if (asked.isPresent()) {
            practiceId = asked.get();
            principal.requirePractice(practiceId, "practice " + practiceId);
        } else if (principal.isSystem()) {
            throw ApiException.badRequest("The API token spans practices: give 'practiceId'.");
        } else {
            practiceId = principal.practiceId();
        }
        ApiResponses.respondBlocking(ctx, 200, () -> new JsonObject().put("items", staff.list(practiceId).stream()
                .filter(s -> s.active() && (s.role().isProvider() || s.role().isClinicalStaff()))
                .map(s -> new JsonObject().put("id", s.id().toString()).put("displayName", s.displayName()).put("role", s.role().wireName())
                        .put("billingPractitioner", s.role().isProvider() && s.npi() != null))
                .toList()));
    }

    private void recordConsent(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.EDIT_PATIENTS);
        UUID patientId = PatientAccess.patientId(ctx);
        RequestBody body = RequestBody.of(ctx);
        Program program = program(body.string("program", 10));
        String method = body.string("method", 10);
        if (!method.equals("verbal") && !method.equals("written")) {
            // billing-rules.md 2.2 [S21]: verbal or written, documented.
            throw ApiException.badRequest("'method' must be verbal or written.");
        }
        LocalDate obtainedOn = body.date("obtainedOn");
        Optional<UUID> obtainedBy = body.optionalUuid("obtainedBy").or(() -> Optional.ofNullable(principal.staffId()));
        if (obtainedBy.isEmpty()) {
            throw ApiException.badRequest("'obtainedBy' (the staff member who obtained the consent) is required.");
        }
        Set<ConsentElement> told = EnumSet.noneOf(ConsentElement.class);
        RequestBody toldJson = body.optionalObject("told").orElseGet(() -> RequestBody.of(new JsonObject()));
        for (ConsentElement element : ConsentElement.values()) {
            if (toldJson.optionalBool(element.wireName()).orElse(false)) {
                told.add(element);
            }
        }
        Set<ConsentElement> missing = ConsentRules.missingElements(program, told);
        if (!missing.isEmpty()) {
            throw new ApiException(400, "consent_incomplete", ConsentRules.describeMissing(program, missing));
        }
        if (!body.has("accepted")) {
            // billing-rules.md 2.2 [S18][S52]: record whether the patient accepted.
            throw new ApiException(400, "consent_incomplete", program.name() + " consent is incomplete: record whether the patient accepted ('accepted': true or false).");
        }
        boolean accepted = body.bool("accepted");
        String note = body.optionalText("note", 2000).orElse(null);
        ApiResponses.respondBlocking(ctx, 201, () -> {
            var patient = access.visible(principal, patientId);
            if (obtainedOn.isAfter(access.today(patient.practiceId()))) {
                throw ApiException.badRequest("'obtainedOn' is in the future.");
            }
            StaffMember by = staff.find(obtainedBy.get()).filter(s -> s.practiceId().equals(patient.practiceId()))
                    .orElseThrow(() -> ApiException.badRequest("'obtainedBy' is not a staff member of the patient's practice."));
            if (!by.role().isProvider() && !by.role().isClinicalStaff()) {
                throw ApiException.badRequest("Consent is obtained by the billing practitioner or clinical staff, not by "
                        + by.role().wireName() + " staff.");
            }
            return json(consents.record(patient.practiceId(), patientId, program, method, obtainedOn, by.id(), told, accepted, note,
                    principal.actor()));
        });
    }

    private void revokeConsent(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.EDIT_PATIENTS);
        UUID patientId = PatientAccess.patientId(ctx);
        UUID consentId = PatientAccess.pathId(ctx, "consentId");
        LocalDate revokedOn = RequestBody.of(ctx).date("revokedOn");
        ApiResponses.respondBlocking(ctx, 200, () -> {
            access.visible(principal, patientId);
            return json(consents.revoke(patientId, consentId, revokedOn, principal.actor()));
        });
    }

    private void enrol(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.EDIT_PATIENTS);
        UUID patientId = PatientAccess.patientId(ctx);
        RequestBody body = RequestBody.of(ctx);
        Program program = program(body.string("program", 10));
        LocalDate start = body.date("startDate");
        LocalDate end = body.optionalDate("endDate").orElse(null);
        UUID practitioner = body.uuid("billingPractitionerId");
        ApiResponses.respondBlocking(ctx, 201, () -> {
            var patient = access.visible(principal, patientId);
            return json(enrolments.enrol(patient.practiceId(), patientId, program, start, end, practitioner, principal.actor()));
        });
    }

    private void endEnrolment(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.EDIT_PATIENTS);
        UUID patientId = PatientAccess.patientId(ctx);
        UUID enrolmentId = PatientAccess.pathId(ctx, "enrolmentId");
        LocalDate endDate = RequestBody.of(ctx).date("endDate");
        ApiResponses.respondBlocking(ctx, 200, () -> {
            access.visible(principal, patientId);
            return json(enrolments.end(patientId, enrolmentId, endDate, principal.actor()));
        });
    }

    private void status(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        UUID patientId = PatientAccess.patientId(ctx);
        Program program = program(ctx.pathParam("program"));
        Optional<LocalDate> on = QueryParams.date(ctx, "date");
        ApiResponses.respondBlocking(ctx, 200, () -> {
            var patient = access.visible(principal, patientId);
            return json(status.on(patientId, program, on.orElse(access.today(patient.practiceId()))));
        });
    }

    private static Program program(String value) {
        return Program.fromWire(value).orElseThrow(() -> ApiException.badRequest("'program' must be rpm or ccm."));
    }

    public static JsonObject json(ConsentRecord c) {
        JsonObject told = new JsonObject();
        for (ConsentElement element : ConsentElement.values()) {
            told.put(element.wireName(), c.told().contains(element));
        }
        return new JsonObject()
                .put("id", c.id().toString())
                .put("program", c.program().wireName())
                .put("method", c.method())
                .put("obtainedOn", c.obtainedOn().toString())
                .put("obtainedBy", c.obtainedBy().toString())
                .put("told", told)
                .put("accepted", c.accepted())
                .put("note", c.note())
                .put("recordedBy", c.recordedBy())
                .put("recordedAt", c.recordedAt().toString())
                .put("revokedOn", c.revokedOn() == null ? null : c.revokedOn().toString())
                .put("revokedBy", c.revokedBy())
                .put("coversThrough", c.coversThrough().map(LocalDate::toString).orElse(null));
    }

    public static JsonObject json(Enrolment e) {
        return new JsonObject()
                .put("id", e.id().toString())
                .put("program", e.program().wireName())
                .put("startDate", e.startDate().toString())
                .put("endDate", e.endDate() == null ? null : e.endDate().toString())
                .put("billingPractitionerId", e.billingPractitionerId().toString())
                .put("consentId", e.consentId().toString())
                .put("enrolledBy", e.enrolledBy())
                .put("enrolledAt", e.enrolledAt().toString())
                .put("endedBy", e.endedBy());
    }

    public static JsonObject json(ProgramStatus.Snapshot s) {
        return new JsonObject()
                .put("patientId", s.patientId().toString())
                .put("program", s.program().wireName())
                .put("date", s.date().toString())
                .put("ready", s.ready())
                .put("consented", s.consented())
                .put("consentId", s.consentId() == null ? null : s.consentId().toString())
                .put("consentReason", s.consentReason())
                .put("enrolled", s.enrolled())
                .put("enrolmentId", s.enrolmentId() == null ? null : s.enrolmentId().toString())
                .put("billingPractitionerId", s.billingPractitionerId() == null ? null : s.billingPractitionerId().toString())
                .put("billingPractitionerNpi", s.billingPractitionerNpi())
                .put("enrolmentReason", s.enrolmentReason())
                .put("eligible", s.eligible())
                .put("eligibilityReason", s.eligibilityReason());
    }
}
