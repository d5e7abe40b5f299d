package health.careloop.billing.api;

import health.careloop.billing.claims.ClaimCsv;
import health.careloop.billing.claims.ClaimLine;
import health.careloop.billing.claims.MonthClose;
import health.careloop.billing.claims.MonthRules;
import health.careloop.billing.claims.NotBilled;
import health.careloop.billing.claims.PatientMonth;
import health.careloop.billing.datadays.DataDays;
import health.careloop.billing.ledger.Activity;
import health.careloop.billing.ledger.InteractionMode;
import health.careloop.billing.ledger.TimeEntry;
import health.careloop.billing.ledger.TimeLedger;
import health.careloop.clinical.consent.Program;
import health.careloop.clinical.rules.MonitoringPeriod;
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

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The billing tier's HTTP API: the time ledger (WORK_QUEUE), readiness, month close and exports (BILLING). */
public final class BillingApi {
    private final TimeLedger ledger;
    private final MonthClose close;
    private final Directory directory;
    private final Clock clock;

    public BillingApi(TimeLedger ledger, MonthClose close, Directory directory, Clock clock) {
        this.ledger = ledger;
        this.close = close;
        this.directory = directory;
        this.clock = clock;
    }

    public void mount(Router api) {
        api.post("/time-entries/timer/start").handler(this::startTimer);
        api.post("/time-entries/timer/stop").handler(this::stopTimer);
        api.post("/time-entries").handler(this::record);
        api.post("/time-entries/:entryId/adjust").handler(this::adjust);
        api.get("/patients/:patientId/time-entries").handler(this::list);
        api.get("/billing/readiness").handler(this::readiness);
        api.post("/billing/months/:month/close").handler(this::close);
        api.get("/billing/months/:month/claims.csv").handler(this::csv);
        api.get("/billing/months/:month/claims.json").handler(this::json);
    }

    // ------------------------------------------------------------------ ledger

    private void record(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.WORK_QUEUE);
        RequestBody body = RequestBody.of(ctx);
        ApiResponses.respondBlocking(ctx, 201, () -> {
            Patient patient = visiblePatient(principal, body.uuid("patientId"));
            var entry = new TimeLedger.NewEntry(patient.id(), staffId(principal, body), program(body), activity(body),
                    body.optionalInstant("startedAt").orElseThrow(() -> ApiException.badRequest("'startedAt' is required.")),
                    body.optionalInstant("endedAt").orElseThrow(() -> ApiException.badRequest("'endedAt' is required.")),
                    mode(ctx.body().asJsonObject()), body.optionalString("note", 4000).orElse(null), optionalUuid(body, "taskId"));
            return ledger.record(entry, principal.actor()).toJson();
        });
    }

    private void startTimer(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.WORK_QUEUE);
        RequestBody body = RequestBody.of(ctx);
        ApiResponses.respondBlocking(ctx, 201, () -> {
            Patient patient = visiblePatient(principal, body.uuid("patientId"));
            return ledger.startTimer(patient.id(), principal.staffId(), program(body), activity(body), body.optionalString("note", 4000).orElse(null),
                    optionalUuid(body, "taskId"), principal.actor()).toJson();
        });
    }

    private void stopTimer(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.WORK_QUEUE);
        JsonObject json = ctx.body().length() == 0 ? new JsonObject() : RequestBody.of(ctx) != null ? ctx.body().asJsonObject() : new JsonObject();
        String note = json.getValue("note") instanceof String s ? s : null;
        ApiResponses.respondBlocking(ctx, 200, () -> ledger.stopTimer(principal.staffId(), mode(json), note).toJson());
    }

    private void adjust(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.WORK_QUEUE);
        UUID entryId = RequestBody.parseUuid("entryId", ctx.pathParam("entryId"));
        RequestBody body = RequestBody.of(ctx);
        JsonObject json = ctx.body().asJsonObject();
        ApiResponses.respondBlocking(ctx, 201, () -> {
            var changes = new TimeLedger.Changes(body.optionalInstant("startedAt").orElse(null), body.optionalInstant("endedAt").orElse(null),
                    json.containsKey("program") ? program(body) : null, json.containsKey("activity") ? activity(body) : null, mode(json),
                    Boolean.FALSE.equals(json.getValue("interactive")), body.optionalString("note", 4000).orElse(null),
                    body.string("reason", 2000));
            return ledger.adjust(entryId, changes, principal.practiceId(), principal.actor()).toJson();
        });
    }

    private void list(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        UUID patientId = RequestBody.parseUuid("patientId", ctx.pathParam("patientId"));
        ApiResponses.respondBlocking(ctx, 200, () -> {
            Patient patient = visiblePatient(principal, patientId);
            ZoneId zone = ledger.zoneOf(patient.practiceId());
            YearMonth month = month(ctx.queryParams().get("month"), zone);
            JsonArray items = new JsonArray();
            for (TimeEntry e : ledger.ofPatient(patientId, month.atDay(1).atStartOfDay(zone).toInstant(),
                    month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant())) {
                items.add(e.toJson());
            }
            return new JsonObject().put("month", month.toString()).put("timeZone", zone.getId()).put("items", items);
        });
    }

    // ------------------------------------------------------------------ billing

    private void readiness(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            UUID practiceId = practice(principal, ctx);
            ZoneId zone = ledger.zoneOf(practiceId);
            YearMonth month = month(ctx.queryParams().get("month"), zone);
            LocalDate today = LocalDate.now(clock.withZone(zone));
            LocalDate asOf = today.isBefore(month.atEndOfMonth()) ? today : month.atEndOfMonth();
            Map<UUID, String> refs = new HashMap<>();
            JsonArray patients = new JsonArray();
            for (MonthClose.Readiness r : close.evaluate(practiceId, zone, month, asOf)) {
                PatientMonth f = r.facts();
                JsonObject p = new JsonObject().put("patientId", r.patientId().toString()).put("externalRef", externalRef(refs, r.patientId()));
                if (f.monitoringStart() != null && !asOf.isBefore(f.monitoringStart())) {
                    MonitoringPeriod current = MonitoringPeriod.containing(f.monitoringStart(), asOf);
                    p.put("currentPeriod", new JsonObject().put("start", current.start().toString()).put("end", current.end().toString())
                            .put("dataDaysSoFar", DataDays.inPeriod(f.dataDays(), current, asOf))
                            .put("daysLeft", current.daysLeftFrom(asOf) - 1)
                            .put("dataDaysNeededFor99454", Math.max(0, 16 - DataDays.inPeriod(f.dataDays(), current, asOf))));
                }
                p.put("dataDaysInMonth", DataDays.inMonth(f.dataDays(), month, asOf));
                p.put("minutes", new JsonObject()
                        .put("rpm", MonthRules.minutesInMonth(f, Program.RPM, false))
                        .put("rpmPhysician", MonthRules.minutesInMonth(f, Program.RPM, true))
                        .put("ccm", MonthRules.minutesInMonth(f, Program.CCM, false))
                        .put("ccmPhysician", MonthRules.minutesInMonth(f, Program.CCM, true)));
                p.put("billableSoFar", lines(r.outcome().lines(), refs));
                p.put("missing", notBilled(r.outcome().notBilled()));
                patients.add(p);
            }
            return new JsonObject().put("month", month.toString()).put("asOf", asOf.toString()).put("timeZone", zone.getId())
                    .put("daysLeftInMonth", (int) (month.atEndOfMonth().toEpochDay() - asOf.toEpochDay())).put("patients", patients);
        });
    }

    private void close(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            UUID practiceId = practice(principal, ctx);
            YearMonth month = month(ctx.pathParam("month"), null);
            return closedJson(close.close(practiceId, month, principal.actor()));
        });
    }

    private void json(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        ApiResponses.respondBlocking(ctx, 200, () -> closedJson(closed(principal, ctx)));
    }

    private void csv(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        ctx.vertx().executeBlocking(() -> {
            MonthClose.Closed closed = closed(principal, ctx);
            Map<UUID, String> refs = new HashMap<>();
            return ClaimCsv.write(closed.lines(), id -> externalRef(refs, id));
        }, false).onSuccess(text -> ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8; header=present")
                .putHeader("Content-Disposition", "attachment; filename=\"claims-" + ctx.pathParam("month") + ".csv\"")
                .putHeader("Cache-Control", "no-store").end(text)).onFailure(ctx::fail);
    }

    private MonthClose.Closed closed(Principal principal, RoutingContext ctx) throws Exception {
        UUID practiceId = practice(principal, ctx);
        YearMonth month = month(ctx.pathParam("month"), null);
        return close.stored(practiceId, month).orElseThrow(() -> new ApiException(409, "month_not_closed",
                "Billing for " + month + " is not closed yet; close it first (POST /billing/months/" + month + "/close)."));
    }

    private JsonObject closedJson(MonthClose.Closed c) throws Exception {
        Map<UUID, String> refs = new HashMap<>();
        return new JsonObject().put("practiceId", c.practiceId().toString()).put("month", c.month().toString()).put("closedBy", c.closedBy())
                .put("closedAt", c.closedAt().toString()).put("alreadyClosed", c.alreadyClosed()).put("lineCount", c.lines().size())
                .put("totalCharge", c.total().toPlainString()).put("lines", lines(c.lines(), refs)).put("notBilled", notBilled(c.notBilled()));
    }

    private JsonArray lines(List<ClaimLine> lines, Map<UUID, String> refs) throws Exception {
        JsonArray out = new JsonArray();
        for (ClaimLine l : lines) {
            out.add(new JsonObject().put("patientId", l.patientId().toString()).put("externalRef", externalRef(refs, l.patientId()))
                    .put("code", l.code().cpt()).put("program", l.code().program().wireName()).put("units", l.units())
                    .put("dateOfService", l.dateOfService().toString()).put("periodStart", l.periodStart().toString())
                    .put("periodEnd", l.periodEnd().toString()).put("diagnoses", new JsonArray(l.diagnoses()))
                    .put("billingPractitionerId", l.billingPractitionerId().toString()).put("billingNpi", l.billingNpi())
                    .put("placeOfService", l.placeOfService()).put("charge", l.charge().toPlainString())
                    .put("minutesCounted", l.minutesCounted()).put("dataDays", l.dataDays()).put("justification", l.justification()));
        }
        return out;
    }

    private static JsonArray notBilled(List<NotBilled> list) {
        JsonArray out = new JsonArray();
        for (NotBilled n : list) {
            out.add(new JsonObject().put("patientId", n.patientId().toString()).put("code", n.code().cpt())
                    .put("periodEnd", n.periodEnd().toString()).put("reason", n.reason()));
        }
        return out;
    }

    // ------------------------------------------------------------------ request parts

    private String externalRef(Map<UUID, String> cache, UUID patientId) {
        return cache.computeIfAbsent(patientId, id -> {
            try {
                return directory.patient(id).map(Patient::externalRef).orElse(null);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Patient visiblePatient(Principal principal, UUID patientId) throws Exception {
        Patient patient = directory.patient(patientId).orElseThrow(() -> ApiException.notFound("No patient " + patientId + "."));
        principal.requirePractice(patient.practiceId(), "patient " + patientId);
        return patient;
    }

    private static UUID practice(Principal principal, RoutingContext ctx) {
        String param = ctx.queryParams().get("practiceId");
        if (principal.isSystem()) {
            if (param == null) {
                throw ApiException.badRequest("'practiceId' is required with the API token.");
            }
            return RequestBody.parseUuid("practiceId", param);
        }
        if (param != null) {
            principal.requirePractice(RequestBody.parseUuid("practiceId", param), "practice " + param);
        }
        return principal.practiceId();
    }

    private static UUID staffId(Principal principal, RequestBody body) {
        UUID staffId = optionalUuid(body, "staffId");
        if (staffId != null) {
            return staffId;
        }
        if (principal.staffId() == null) {
            throw ApiException.badRequest("'staffId' is required with the API token.");
        }
        return principal.staffId();
    }

    private static UUID optionalUuid(RequestBody body, String field) {
        return body.optionalString(field, 36).map(v -> RequestBody.parseUuid(field, v)).orElse(null);
    }

    private static Program program(RequestBody body) {
        String value = body.string("program", 10);
        return Program.fromWire(value).orElseThrow(() -> ApiException.badRequest("'program' must be rpm or ccm."));
    }

    private static Activity activity(RequestBody body) {
        String value = body.string("activity", 40);
        return Activity.fromWire(value).orElseThrow(() -> ApiException.badRequest("'activity' must be one of data_review, patient_call, "
                + "medication_reconciliation, care_coordination, care_plan_update, other."));
    }

    /** interactive + interactionMode: a mode without interactive=true (or interactive without a mode) is a 400. */
    private static InteractionMode mode(JsonObject json) {
        Object interactive = json.getValue("interactive");
        Object mode = json.getValue("interactionMode");
        if (interactive != null && !(interactive instanceof Boolean)) {
            throw ApiException.badRequest("'interactive' must be true or false.");
        }
        if (!Boolean.TRUE.equals(interactive)) {
            if (mode != null) {
                throw ApiException.badRequest("'interactionMode' needs 'interactive': true.");
            }
            return null;
        }
        if (!(mode instanceof String s)) {
            throw ApiException.badRequest("'interactive': true needs 'interactionMode': phone or video.");
        }
        return InteractionMode.fromWire(s).orElseThrow(() -> ApiException.badRequest("'interactionMode' must be phone or video"
                + " (messaging only where the practice allows it)."));
    }

    private static YearMonth month(String value, ZoneId zone) {
        if (value == null) {
            if (zone == null) {
                throw ApiException.badRequest("'month' is required (YYYY-MM).");
            }
            return YearMonth.now(zone);
        }
        try {
            return YearMonth.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("'month' must be YYYY-MM.");
        }
    }
}
