package health.careloop.billing.api;

import health.careloop.billing.claims.ClaimCsv;
import health.careloop.billing.claims.ClaimLine;
import health.careloop.billing.claims.MonthClose;
import health.careloop.billing.claims.MonthRules;
import health.careloop.billing.claims.NotBilled;
import health.careloop.billing.claims.PatientMonth;
import health.careloop.billing.datadays.DataDays;
import health.careloop.billing.export.Claim837Export;
import health.careloop.billing.ledger.Activity;
import health.careloop.billing.ledger.InteractionMode;
import health.careloop.billing.ledger.TimeEntry;
import health.careloop.billing.ledger.TimeLedger;
import health.careloop.billing.profile.BillingProfile;
import health.careloop.billing.profile.BillingProfiles;
import health.careloop.billing.x12.BillingProvider;
import health.careloop.billing.x12.Claim837Writer;
import health.careloop.billing.x12.Payer;
import health.careloop.billing.x12.Receiver;
import health.careloop.billing.x12.Submitter;
import health.careloop.clinical.consent.Program;
import health.careloop.clinical.patients.Address;
import health.careloop.clinical.patients.PatientProfile;
import health.careloop.clinical.patients.PatientProfiles;
import health.careloop.clinical.rules.MonitoringPeriod;
import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.auth.StaffMember;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import health.careloop.common.http.ApiException;
import health.careloop.common.db.PracticeScope;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.QueryParams;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The billing tier's HTTP API: the time ledger (WORK_QUEUE), readiness, month close, exports and the practice's billing
 * profile (BILLING).
 */
public final class BillingApi {
    /** Response header of claims.837?skipIncomplete=true: the patients left out, comma-separated ids. */
    public static final String SKIPPED_PATIENTS_HEADER = "X-CareLoop-Skipped-Patients";
    /** Response header of claims.837: the number of claims (CLM) in the file. */
    public static final String CLAIM_COUNT_HEADER = "X-CareLoop-Claim-Count";

    private final TimeLedger ledger;
    private final MonthClose close;
    private final Directory directory;
    private final BillingProfiles billingProfiles;
    private final PatientProfiles patientProfiles;
    private final StaffAccounts staff;
    private final Clock clock;

    public BillingApi(TimeLedger ledger, MonthClose close, Directory directory, BillingProfiles billingProfiles, PatientProfiles patientProfiles,
                      StaffAccounts staff, Clock clock) {
        this.ledger = ledger;
        this.close = close;
        this.directory = directory;
        this.billingProfiles = billingProfiles;
        this.patientProfiles = patientProfiles;
        this.staff = staff;
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
        api.get("/billing/months/:month/claims.837").handler(this::x12);
        api.get("/billing/profile").handler(this::getProfile);
        api.put("/billing/profile").handler(this::putProfile);
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
                    mode(body), body.optionalText("note", 4000).orElse(null), body.optionalUuid("taskId").orElse(null));
            return ledger.record(entry, principal.actor()).toJson();
        });
    }

    private void startTimer(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.WORK_QUEUE);
        RequestBody body = RequestBody.of(ctx);
        ApiResponses.respondBlocking(ctx, 201, () -> {
            Patient patient = visiblePatient(principal, body.uuid("patientId"));
            return ledger.startTimer(patient.id(), principal.staffId(), program(body), activity(body), body.optionalText("note", 4000).orElse(null),
                    body.optionalUuid("taskId").orElse(null), principal.actor()).toJson();
        });
    }

    private void stopTimer(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.WORK_QUEUE);
        RequestBody body = RequestBody.present(ctx) ? RequestBody.of(ctx) : RequestBody.of(new JsonObject());
        String note = body.optionalText("note", 4000).orElse(null);
        InteractionMode mode = mode(body);
        ApiResponses.respondBlocking(ctx, 200, () -> ledger.stopTimer(principal.staffId(), mode, note).toJson());
    }

    private void adjust(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.WORK_QUEUE);
        UUID entryId = RequestBody.parseUuid("entryId", ctx.pathParam("entryId"));
        RequestBody body = RequestBody.of(ctx);
        ApiResponses.respondBlocking(ctx, 201, () -> {
            var changes = new TimeLedger.Changes(body.optionalInstant("startedAt").orElse(null), body.optionalInstant("endedAt").orElse(null),
                    body.has("program") ? program(body) : null, body.has("activity") ? activity(body) : null, mode(body),
                    Boolean.FALSE.equals(body.optionalBool("interactive").orElse(null)), body.optionalText("note", 4000).orElse(null),
                    body.text("reason", 2000));
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
            YearMonth month = month(QueryParams.string(ctx, "month").orElse(null), zone);
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
            YearMonth month = month(QueryParams.string(ctx, "month").orElse(null), zone);
            LocalDate today = LocalDate.now(clock.withZone(zone));
            LocalDate asOf = today.isBefore(month.atEndOfMonth()) ? today : month.atEndOfMonth();
            // One query for the practice's references, not one per patient listed (readiness of 100,000 patients).
            Map<UUID, String> refs = new HashMap<>(directory.externalRefs(practiceId));
            JsonArray patients = new JsonArray();
            close.evaluate(practiceId, zone, month, asOf, r -> {
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
                        .put("ccmPhysician", MonthRules.minutesInMonth(f, Program.CCM, true))
                        .put("pcm", MonthRules.minutesInMonth(f, Program.PCM, false))
                        .put("pcmPhysician", MonthRules.minutesInMonth(f, Program.PCM, true)));
                p.put("billableSoFar", lines(r.outcome().lines(), refs));
                p.put("missing", notBilled(r.outcome().notBilled()));
                patients.add(p);
            });
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
            // The caller may close this practice's month (checked above); the close names the practice in every
            // statement and writes with COPY, which PostgreSQL refuses under row-level security.
            return closedJson(PracticeScope.batchForPractice(() -> close.close(practiceId, month, principal.actor())));
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
        ApiResponses.blocking(ctx, () -> {
            MonthClose.Closed closed = closed(principal, ctx);
            Map<UUID, String> refs = new HashMap<>();
            return ClaimCsv.write(closed.lines(), id -> externalRef(refs, id));
        }).onSuccess(text -> ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8; header=present")
                .putHeader("Content-Disposition", "attachment; filename=\"claims-" + ctx.pathParam("month") + ".csv\"")
                .putHeader("Cache-Control", "no-store").end(text)).onFailure(ctx::fail);
    }

    /**
     * The closed month as one 837P interchange. 409 while the month is open, without a billing profile, or when a billed
     * patient's claim cannot be written (named, with why) unless {@code skipIncomplete=true}, which leaves them out and
     * lists them in {@link #SKIPPED_PATIENTS_HEADER}.
     */
    private void x12(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        boolean skipIncomplete = QueryParams.bool(ctx, "skipIncomplete").orElse(false);
        ApiResponses.blocking(ctx, () -> {
            MonthClose.Closed closed = closed(principal, ctx);
            UUID practiceId = closed.practiceId();
            BillingProfile profile = billingProfiles.find(practiceId).orElseThrow(() -> new ApiException(409, "no_billing_profile",
                    "The practice has no billing profile (billing organisation, submitter, receiver and payer) yet; "
                            + "set it first with PUT /billing/profile."));
            Map<UUID, PatientProfile> patients = new HashMap<>();
            Map<UUID, StaffMember> practitioners = new HashMap<>();
            for (ClaimLine line : closed.lines()) {
                if (!patients.containsKey(line.patientId())) {
                    patientProfiles.find(line.patientId()).ifPresent(p -> patients.put(line.patientId(), p));
                }
                if (!practitioners.containsKey(line.billingPractitionerId())) {
                    staff.find(line.billingPractitionerId()).ifPresent(m -> practitioners.put(line.billingPractitionerId(), m));
                }
            }
            try {
                return Claim837Export.write(profile, ledger.zoneOf(practiceId), closed, patients, practitioners, skipIncomplete);
            } catch (Claim837Export.Refused refused) {
                throw new ApiException(409, refused.code(), refusal(refused, closed.month()));
            }
        }).onSuccess(result -> {
            var response = ctx.response().putHeader("Content-Type", "application/edi-x12; charset=us-ascii")
                    .putHeader("Content-Disposition", "attachment; filename=\"claims-" + ctx.pathParam("month") + ".837\"")
                    .putHeader("Cache-Control", "no-store")
                    .putHeader(CLAIM_COUNT_HEADER, Integer.toString(result.claimCount()));
            if (skipIncomplete) {
                response.putHeader(SKIPPED_PATIENTS_HEADER, String.join(",", result.skipped().stream().map(p -> p.patientId().toString()).toList()));
            }
            response.end(result.text());
        }).onFailure(ctx::fail);
    }

    private String refusal(Claim837Export.Refused refused, YearMonth month) {
        if (refused.problems().isEmpty()) {
            return refused.getMessage();
        }
        Map<UUID, String> refs = new HashMap<>();
        StringBuilder message = new StringBuilder(refused.getMessage()).append(": ");
        Set<String> parts = new LinkedHashSet<>();
        for (Claim837Export.Problem p : refused.problems()) {
            parts.add("patient " + p.patientId() + " (" + externalRef(refs, p.patientId()) + "): " + p.reason());
        }
        message.append(String.join("; ", parts)).append(". Complete their demographics (POST /patients/{patientId}/profile: MBI, date of birth, "
                + "sex, address), or export with ?skipIncomplete=true to leave them out of this file (they are listed in the "
                + SKIPPED_PATIENTS_HEADER + " header and must be billed later).");
        return message.toString();
    }

    // ------------------------------------------------------------------ billing profile

    private void getProfile(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            UUID practiceId = existingPractice(principal, ctx);
            return profileJson(billingProfiles.find(practiceId).orElseThrow(() -> ApiException.notFound(
                    "The practice has no billing profile yet; set it with PUT /billing/profile.")));
        });
    }

    /** Replaces the profile as a whole; every field is checked by the X12 record it feeds, so the 400 says what the 837P needs. */
    private void putProfile(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        RequestBody body = RequestBody.of(ctx);
        BillingProvider provider;
        Submitter submitter;
        Receiver receiver;
        Payer payer;
        Claim837Writer.Usage usage;
        try {
            RequestBody b = object(body, "billingProvider");
            RequestBody a = object(b, "address");
            provider = new BillingProvider(text(b, "organizationName"), text(b, "npi"), text(b, "ein"),
                    new Address(text(a, "line1"), text(a, "line2"), text(a, "city"), text(a, "state"), text(a, "zip")));
            RequestBody s = object(body, "submitter");
            submitter = new Submitter(text(s, "name"), text(s, "id"), text(s, "contactName"), text(s, "contactPhone"));
            RequestBody r = object(body, "receiver");
            receiver = new Receiver(text(r, "name"), text(r, "id"));
            RequestBody p = object(body, "payer");
            payer = new Payer(text(p, "name"), text(p, "payerId"));
            String u = text(body, "usage");
            usage = u == null ? Claim837Writer.Usage.TEST : BillingProfiles.usageFromWire(u)
                    .orElseThrow(() -> new IllegalArgumentException("usage must be test or production, not '" + u + "'"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "invalid_billing_profile", e.getMessage());
        }
        ApiResponses.respondBlocking(ctx, 200, () -> {
            UUID practiceId = existingPractice(principal, ctx);
            return profileJson(billingProfiles.save(new BillingProfile(practiceId, provider, submitter, receiver, payer, usage, principal.actor(),
                    null)));
        });
    }

    private static RequestBody object(RequestBody parent, String field) {
        if (!parent.has(field)) {
            throw new IllegalArgumentException(parent.name(field) + " is required");
        }
        return parent.object(field);
    }

    /**
     * A string field or null; the X12 record decides whether null is allowed and what else it needs. One line of text:
     * no control characters (X12 would refuse them too, but after the profile was stored).
     */
    private static String text(RequestBody parent, String field) {
        return parent.optionalString(field, 200).orElse(null);
    }

    private static JsonObject profileJson(BillingProfile p) {
        BillingProvider b = p.billingProvider();
        Address a = b.address();
        return new JsonObject().put("practiceId", p.practiceId().toString())
                .put("billingProvider", new JsonObject().put("organizationName", b.organizationName()).put("npi", b.npi()).put("ein", b.ein())
                        .put("address", new JsonObject().put("line1", a.line1()).put("line2", a.line2()).put("city", a.city())
                                .put("state", a.state()).put("zip", a.zip())))
                .put("submitter", new JsonObject().put("name", p.submitter().name()).put("id", p.submitter().id())
                        .put("contactName", p.submitter().contactName()).put("contactPhone", p.submitter().contactPhone()))
                .put("receiver", new JsonObject().put("name", p.receiver().name()).put("id", p.receiver().id()))
                .put("payer", new JsonObject().put("name", p.payer().name()).put("payerId", p.payer().payerId()))
                .put("usage", BillingProfiles.wireName(p.usage()))
                .put("updatedBy", p.updatedBy()).put("updatedAt", p.updatedAt() == null ? null : p.updatedAt().toString());
    }

    /** The practice the request acts on (as {@link #practice}), which must exist: 404 otherwise. */
    private UUID existingPractice(Principal principal, RoutingContext ctx) throws Exception {
        UUID practiceId = practice(principal, ctx);
        if (directory.practice(practiceId).isEmpty()) {
            throw ApiException.notFound("No practice " + practiceId + ".");
        }
        return practiceId;
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

    private JsonArray lines(List<ClaimLine> lines, Map<UUID, String> refs) {
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
        java.util.Optional<UUID> param = QueryParams.uuid(ctx, "practiceId");
        if (principal.isSystem()) {
            return param.orElseThrow(() -> ApiException.badRequest("'practiceId' is required with the API token."));
        }
        param.ifPresent(id -> principal.requirePractice(id, "practice " + id));
        return principal.practiceId();
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

    private static YearMonth month(String value, ZoneId zone) {
        if (value == null) {
            if (zone == null) {
                throw ApiException.badRequest("'month' is required (YYYY-MM).");
            }
            return YearMonth.now(zone);
        }
        // Four-digit years only: YearMonth.parse takes "+999999999-12", whose next month does not exist (a 500 before).
        if (!value.matches("(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])")) {
            throw ApiException.badRequest("'month' must be YYYY-MM (a year from 1900 to 2999).");
        }
        try {
            return YearMonth.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("'month' must be YYYY-MM.");
        }
    }
}
