package health.careloop.billing.api;

import health.careloop.billing.acks.ClaimStatus;
import health.careloop.billing.acks.ClaimStatuses;
import health.careloop.billing.acks.SentClaims;
import health.careloop.billing.claims.ClaimCsv;
import health.careloop.billing.claims.ClaimLine;
import health.careloop.billing.claims.MonthClose;
import health.careloop.billing.corrections.ClaimCorrections;
import health.careloop.billing.corrections.CorrectedLines;
import health.careloop.billing.corrections.Correction;
import health.careloop.billing.export.Claim837Export;
import health.careloop.billing.ledger.TimeLedger;
import health.careloop.billing.profile.BillingProfile;
import health.careloop.billing.profile.BillingProfiles;
import health.careloop.billing.settings.PracticeBillingSettings;
import health.careloop.billing.claims.FeeSchedule;
import health.careloop.clinical.patients.PatientProfile;
import health.careloop.clinical.patients.PatientProfiles;
import health.careloop.common.audit.AuditTrail;
import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.auth.StaffMember;
import health.careloop.common.directory.Directory;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.QueryParams;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.YearMonth;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** A closed month's claims (BILLING) as CSV, JSON and one X12 837P interchange. */
public final class ClaimExportApi {
    /** Response header of claims.837?skipIncomplete=true: the patients left out, comma-separated ids. */
    public static final String SKIPPED_PATIENTS_HEADER = "X-CareLoop-Skipped-Patients";
    /** Response header of claims.837: the number of claims (CLM) in the file. */
    public static final String CLAIM_COUNT_HEADER = "X-CareLoop-Claim-Count";

    private final MonthClose close;
    private final TimeLedger ledger;
    private final BillingProfiles billingProfiles;
    private final PatientProfiles patientProfiles;
    private final StaffAccounts staff;
    private final ClaimsJson claims;
    private final Directory directory;
    private final PracticeBillingSettings practiceSettings;
    private final ClaimCorrections corrections;
    private final ClaimStatuses claimStatuses;

    public ClaimExportApi(MonthClose close, TimeLedger ledger, Directory directory, BillingProfiles billingProfiles, PatientProfiles patientProfiles,
                          StaffAccounts staff, PracticeBillingSettings practiceSettings, ClaimCorrections corrections, ClaimStatuses claimStatuses) {
        this.practiceSettings = practiceSettings;
        this.corrections = corrections;
        this.claimStatuses = claimStatuses;
        this.close = close;
        this.ledger = ledger;
        this.billingProfiles = billingProfiles;
        this.patientProfiles = patientProfiles;
        this.staff = staff;
        this.claims = new ClaimsJson(directory);
        this.directory = directory;
    }

    public void mount(Router api) {
        api.get("/billing/months/:month/claims.csv").handler(this::csv);
        api.get("/billing/months/:month/claims.json").handler(this::json);
        api.get("/billing/months/:month/claims.837").handler(this::x12);
    }

    private void json(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            MonthClose.Closed closed = closed(principal, ctx);
            // Corrections after close are part of the month's export, never silent.
            List<Correction> corrected = corrections.list(closed.practiceId(), closed.month());
            AuditTrail.patients(ctx, corrected.stream().map(Correction::patientId).distinct().toList());
            return claims.closed(closed).put("corrections", new CorrectionsJson(claims).array(corrected, new HashMap<>()));
        });
    }

    private void csv(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        ApiResponses.blocking(ctx, () -> {
            MonthClose.Closed closed = closed(principal, ctx);
            // The close's lines as sent, those of a corrected claim saying so, then each claim's latest correction.
            List<CorrectedLines.Row> rows = CorrectedLines.rows(closed.month(), closed.lines(), corrections.list(closed.practiceId(), closed.month()));
            List<ClaimLine> lines = rows.stream().map(CorrectedLines.Row::line).toList();
            Map<ClaimLine, String> corrected = new java.util.IdentityHashMap<>();
            rows.stream().filter(r -> r.status() != null).forEach(r -> corrected.put(r.line(), r.status()));
            // One read of the practice's references and one of the month's patients' demographics, from their owners
            // (core's Directory, clinical's PatientProfiles), however many patients the month bills.
            Map<UUID, String> refs = directory.externalRefs(closed.practiceId());
            Map<UUID, PatientProfile> profiles = patientProfiles.findAll(lines.stream().map(ClaimLine::patientId).collect(Collectors.toSet()));
            Map<UUID, ClaimCsv.Patient> patients = new HashMap<>();
            for (ClaimLine line : lines) {
                patients.computeIfAbsent(line.patientId(), id -> {
                    PatientProfile p = profiles.get(id);
                    String ref = refs.get(id);
                    return p == null ? new ClaimCsv.Patient(ref, null, null, null, null)
                            : new ClaimCsv.Patient(ref, p.familyName(), p.givenName(), p.birthDate(), p.mbi());
                });
            }
            String organisationNpi = billingProfiles.find(closed.practiceId()).map(b -> b.billingProvider().npi()).orElse(null);
            // The file holds these patients' claims (PHI): the audit trail names them.
            AuditTrail.patients(ctx, lines.stream().map(ClaimLine::patientId).distinct().toList());
            List<ClaimStatus> statuses = claimStatuses.ofMonth(closed.practiceId(), closed.month());
            return ClaimCsv.write(lines, patients::get, organisationNpi, l -> corrected.getOrDefault(l, status(l, statuses)));
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
            Map<UUID, PatientProfile> patients = patientProfiles.findAll(closed.lines().stream().map(ClaimLine::patientId).collect(Collectors.toSet()));
            Map<UUID, StaffMember> practitioners = new HashMap<>();
            for (ClaimLine line : closed.lines()) {
                if (!practitioners.containsKey(line.billingPractitionerId())) {
                    staff.find(line.billingPractitionerId()).ifPresent(m -> practitioners.put(line.billingPractitionerId(), m));
                }
            }
            try {
                Claim837Export.Result result = Claim837Export.write(profile, ledger.zoneOf(practiceId), closed, patients, practitioners,
                        skipIncomplete);
                AuditTrail.patients(ctx, result.patients()); // whose claims the file holds
                // Downloading the 837P is how CareLoop sends it: its claims are now sent (a rejected one, fixed, is sent again).
                claimStatuses.recordSent(practiceId, closed.month(), Claim837Export.interchangeControlNumber(practiceId, closed.month()),
                        SentClaims.of(result.text(), closed.month(), result.patients()), principal.actor());
                return result;
            } catch (Claim837Export.Refused refused) {
                AuditTrail.patients(ctx, refused.problems().stream().map(Claim837Export.Problem::patientId).toList()); // named in the refusal
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

    /**
     * A line's claim status for the worklist: its claim's status from the 837 download and the acknowledgements (the
     * claim of its patient that carried its code), else "ready" to send or "no fee".
     */
    private static String status(ClaimLine line, List<ClaimStatus> statuses) {
        ClaimStatus claim = null;
        for (ClaimStatus s : statuses) {
            if (s.patientId().equals(line.patientId()) && (s.codes().contains(line.code().cpt()) || s.codes().isEmpty() && claim == null)) {
                claim = s;
            }
        }
        if (claim != null) {
            return claim.inWords();
        }
        return line.charge() == null ? "no fee: " + line.missingFeeWarning() : "ready";
    }

    private String refusal(Claim837Export.Refused refused, YearMonth month) {
        if (refused.problems().isEmpty()) {
            return refused.getMessage();
        }
        Map<UUID, String> refs = new HashMap<>();
        StringBuilder message = new StringBuilder(refused.getMessage()).append(": ");
        Set<String> parts = new LinkedHashSet<>();
        for (Claim837Export.Problem p : refused.problems()) {
            parts.add("patient " + p.patientId() + " (" + claims.externalRef(refs, p.patientId()) + "): " + p.reason());
        }
        message.append(String.join("; ", parts)).append(". Complete their demographics (POST /patients/{patientId}/profile: MBI, date of birth, "
                + "sex, address), or export with ?skipIncomplete=true to leave them out of this file (they are listed in the "
                + SKIPPED_PATIENTS_HEADER + " header and must be billed later).");
        return message.toString();
    }

    /**
     * The stored close of the requested month, 409 while it is open. A line closed while its code had no fee is priced
     * here from the practice's schedule on its date of service, once the practice has set one (still null otherwise).
     */
    private MonthClose.Closed closed(Principal principal, RoutingContext ctx) throws Exception {
        UUID practiceId = BillingRequests.practice(principal, ctx);
        YearMonth month = BillingRequests.month(ctx.pathParam("month"), null);
        MonthClose.Closed stored = close.stored(practiceId, month).orElseThrow(() -> new ApiException(409, "month_not_closed",
                "Billing for " + month + " is not closed yet; close it first (POST /billing/months/" + month + "/close)."));
        if (stored.lines().stream().allMatch(l -> l.charge() != null)) {
            return stored;
        }
        FeeSchedule fees = practiceSettings.feeSchedule(practiceId);
        List<ClaimLine> priced = stored.lines().stream()
                .map(l -> l.charge() != null ? l : l.withCharge(fees.charge(l.code(), l.units(), l.dateOfService()))).toList();
        return new MonthClose.Closed(stored.practiceId(), stored.month(), stored.closedBy(), stored.closedAt(), stored.alreadyClosed(), priced,
                stored.notBilled());
    }
}
