package health.careloop.billing.api;

import health.careloop.billing.ledger.Activity;
import health.careloop.billing.ledger.InteractionMode;
import health.careloop.billing.ledger.TimeEntry;
import health.careloop.billing.ledger.TimeLedger;
import health.careloop.clinical.consent.Program;
import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.auth.StaffMember;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.QueryParams;
import health.careloop.common.http.RequestBody;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.sql.SQLException;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The time ledger's routes: record, time with a timer, adjust (WORK_QUEUE) and a patient's month of entries
 * (READ_CLINICAL). A person logs and corrects their own time; entering or correcting a colleague's is
 * ENTER_TIME_FOR_OTHERS (care coordinators and administrators transcribing paper logs), and the entry names who
 * entered it ({@code enteredBy}, {@code enteredByName}).
 */
public final class LedgerApi {
    private final TimeLedger ledger;
    private final Directory directory;
    private final StaffAccounts staff;

    public LedgerApi(TimeLedger ledger, Directory directory, StaffAccounts staff) {
        this.ledger = ledger;
        this.directory = directory;
        this.staff = staff;
    }

    public void mount(Router api) {
        api.post("/time-entries/timer/start").handler(this::startTimer);
        api.post("/time-entries/timer/stop").handler(this::stopTimer);
        api.post("/time-entries").handler(this::record);
        api.post("/time-entries/:entryId/adjust").handler(this::adjust);
        api.get("/patients/:patientId/time-entries").handler(this::list);
    }

    private void record(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        RequestBody body = RequestBody.of(ctx);
        UUID staffId = staffId(principal, body);
        requireMayEnterTimeOf(principal, staffId);
        ApiResponses.respondBlocking(ctx, 201, () -> {
            Patient patient = visiblePatient(principal, body.uuid("patientId"));
            var entry = new TimeLedger.NewEntry(patient.id(), staffId, program(body), activity(body),
                    body.optionalInstant("startedAt").orElseThrow(() -> ApiException.badRequest("'startedAt' is required.")),
                    body.optionalInstant("endedAt").orElseThrow(() -> ApiException.badRequest("'endedAt' is required.")),
                    mode(body), body.optionalText("note", 4000).orElse(null), body.optionalUuid("taskId").orElse(null));
            return json(ledger.record(entry, principal.actor(), principal.staffId()), new HashMap<>());
        });
    }

    private void startTimer(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.WORK_QUEUE);
        RequestBody body = RequestBody.of(ctx);
        ApiResponses.respondBlocking(ctx, 201, () -> {
            Patient patient = visiblePatient(principal, body.uuid("patientId"));
            return json(ledger.startTimer(patient.id(), principal.staffId(), program(body), activity(body), body.optionalText("note", 4000).orElse(null),
                    body.optionalUuid("taskId").orElse(null), principal.actor()), new HashMap<>());
        });
    }

    private void stopTimer(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.WORK_QUEUE);
        RequestBody body = RequestBody.present(ctx) ? RequestBody.of(ctx) : RequestBody.of(new JsonObject());
        String note = body.optionalText("note", 4000).orElse(null);
        InteractionMode mode = mode(body);
        ApiResponses.respondBlocking(ctx, 200, () -> json(ledger.stopTimer(principal.staffId(), mode, note), new HashMap<>()));
    }

    private void adjust(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        if (principal.isSystem() || !Permission.WORK_QUEUE.grantedTo(principal.role())
                && !Permission.ENTER_TIME_FOR_OTHERS.grantedTo(principal.role())) {
            principal.require(Permission.WORK_QUEUE); // the usual 403
        }
        UUID entryId = RequestBody.parseUuid("entryId", ctx.pathParam("entryId"));
        RequestBody body = RequestBody.of(ctx);
        ApiResponses.respondBlocking(ctx, 201, () -> {
            TimeEntry original = ledger.find(entryId).filter(e -> principal.canSee(e.practiceId()))
                    .orElseThrow(() -> ApiException.notFound("No time entry " + entryId + "."));
            requireMayEnterTimeOf(principal, original.staffId());
            var changes = new TimeLedger.Changes(body.optionalInstant("startedAt").orElse(null), body.optionalInstant("endedAt").orElse(null),
                    body.has("program") ? program(body) : null, body.has("activity") ? activity(body) : null, mode(body),
                    Boolean.FALSE.equals(body.optionalBool("interactive").orElse(null)), body.optionalText("note", 4000).orElse(null),
                    body.string("reason", 2000));
            return json(ledger.adjust(entryId, changes, principal.practiceId(), principal.actor(), principal.staffId()), new HashMap<>());
        });
    }

    private void list(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        UUID patientId = RequestBody.parseUuid("patientId", ctx.pathParam("patientId"));
        ApiResponses.respondBlocking(ctx, 200, () -> {
            Patient patient = visiblePatient(principal, patientId);
            ZoneId zone = ledger.zoneOf(patient.practiceId());
            YearMonth month = BillingRequests.month(QueryParams.string(ctx, "month").orElse(null), zone);
            JsonArray items = new JsonArray();
            Map<UUID, String> names = new HashMap<>();
            for (TimeEntry e : ledger.ofPatient(patientId, month.atDay(1).atStartOfDay(zone).toInstant(),
                    month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant())) {
                items.add(json(e, names));
            }
            return new JsonObject().put("month", month.toString()).put("timeZone", zone.getId()).put("items", items);
        });
    }

    /**
     * One's own time needs WORK_QUEUE; a colleague's, ENTER_TIME_FOR_OTHERS. A nurse cannot log in a physician's name
     * (the physician's minutes bill other codes) nor stretch a colleague's entry.
     */
    private static void requireMayEnterTimeOf(Principal principal, UUID staffId) {
        if (principal.isSystem() || staffId.equals(principal.staffId())) {
            principal.require(Permission.WORK_QUEUE);
            return;
        }
        if (!Permission.ENTER_TIME_FOR_OTHERS.grantedTo(principal.role())) {
            throw new ApiException(403, "not_your_time", "You may log and correct only your own time. Entering or correcting a colleague's "
                    + "time (transcribing a paper log) is for care coordinators and administrators, and the entry then says who entered it.");
        }
    }

    /** The entry with the names of whose time it is and who entered it, for people reading the log. */
    private JsonObject json(TimeEntry e, Map<UUID, String> names) throws SQLException {
        JsonObject json = e.toJson().put("staffName", name(e.staffId(), names));
        return json.put("enteredByName", e.enteredBy() == null ? null : name(e.enteredBy(), names));
    }

    private String name(UUID staffId, Map<UUID, String> names) throws SQLException {
        String known = names.get(staffId);
        if (known == null) {
            known = staff.find(staffId).map(StaffMember::displayName).orElse("");
            names.put(staffId, known);
        }
        return known.isEmpty() ? null : known;
    }

    private Patient visiblePatient(Principal principal, UUID patientId) throws Exception {
        Patient patient = directory.patient(patientId).orElseThrow(() -> ApiException.notFound("No patient " + patientId + "."));
        principal.requirePractice(patient.practiceId(), "patient " + patientId);
        return patient;
    }

    private static UUID staffId(Principal principal, RequestBody body) {
        UUID staffId = body.optionalUuid("staffId").orElse(null);
        if (staffId != null) {
            return staffId;
        }
        if (principal.staffId() == null) {
            throw ApiException.badRequest("'staffId' is required with the API token.");
        }
        return principal.staffId();
    }

    private static Program program(RequestBody body) {
        String value = body.string("program", 10);
        return Program.fromWire(value).orElseThrow(() -> ApiException.badRequest("'program' must be rpm, ccm or pcm."));
    }

    private static Activity activity(RequestBody body) {
        String value = body.string("activity", 40);
        return Activity.fromWire(value).orElseThrow(() -> ApiException.badRequest("'activity' must be one of data_review, patient_call, "
                + "medication_reconciliation, care_coordination, care_plan_update, other."));
    }

    /** interactive + interactionMode: a mode without interactive=true (or interactive without a mode) is a 400. */
    private static InteractionMode mode(RequestBody body) {
        Boolean interactive = body.optionalBool("interactive").orElse(null);
        if (!Boolean.TRUE.equals(interactive)) {
            if (body.has("interactionMode")) {
                throw ApiException.badRequest("'interactionMode' needs 'interactive': true.");
            }
            return null;
        }
        String mode;
        try {
            mode = body.optionalString("interactionMode", 20).orElse(null);
        } catch (ApiException e) {
            if ("invalid_text".equals(e.code())) {
                throw e;
            }
            mode = null;
        }
        if (mode == null) {
            throw ApiException.badRequest("'interactive': true needs 'interactionMode': phone or video.");
        }
        return InteractionMode.fromWire(mode).orElseThrow(() -> ApiException.badRequest("'interactionMode' must be phone or video"
                + " (messaging only where the practice allows it)."));
    }

}
