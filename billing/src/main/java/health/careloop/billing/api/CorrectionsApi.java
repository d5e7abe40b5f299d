package health.careloop.billing.api;

import health.careloop.billing.claims.ClaimLine;
import health.careloop.billing.claims.FeeSchedule;
import health.careloop.billing.corrections.ClaimCorrections;
import health.careloop.billing.corrections.Correction;
import health.careloop.billing.corrections.Corrections837;
import health.careloop.billing.export.Claim837Export;
import health.careloop.billing.ledger.TimeLedger;
import health.careloop.billing.profile.BillingProfile;
import health.careloop.billing.profile.BillingProfiles;
import health.careloop.billing.settings.PracticeBillingSettings;
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
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Corrections after close (BILLING): {@code POST /billing/months/{month}/corrections} works the closed month out again
 * and stores the corrections it calls for (idempotent), {@code GET …/corrections} lists them, {@code GET
 * …/corrections.837} writes the ready ones as one 837P (waiting ones left out and named in {@link #WAITING_HEADER}).
 */
public final class CorrectionsApi {
    /** Response header of corrections.837: the CLM01s of the corrections left out because the payer's claim number is unknown. */
    public static final String WAITING_HEADER = "X-CareLoop-Waiting-Claims";

    private final ClaimCorrections corrections;
    private final TimeLedger ledger;
    private final BillingProfiles billingProfiles;
    private final PatientProfiles patientProfiles;
    private final StaffAccounts staff;
    private final PracticeBillingSettings practiceSettings;
    private final CorrectionsJson json;

    public CorrectionsApi(ClaimCorrections corrections, TimeLedger ledger, Directory directory, BillingProfiles billingProfiles,
                          PatientProfiles patientProfiles, StaffAccounts staff, PracticeBillingSettings practiceSettings) {
        this.corrections = corrections;
        this.ledger = ledger;
        this.billingProfiles = billingProfiles;
        this.patientProfiles = patientProfiles;
        this.staff = staff;
        this.practiceSettings = practiceSettings;
        this.json = new CorrectionsJson(new ClaimsJson(directory));
    }

    public void mount(Router api) {
        api.post("/billing/months/:month/corrections").handler(this::recompute);
        api.get("/billing/months/:month/corrections").handler(this::list);
        api.get("/billing/months/:month/corrections.837").handler(this::x12);
    }

    private void recompute(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            UUID practiceId = BillingRequests.practice(principal, ctx);
            YearMonth month = BillingRequests.month(ctx.pathParam("month"), null);
            ClaimCorrections.Run run = corrections.recompute(practiceId, month, principal.actor());
            AuditTrail.patients(ctx, run.all().stream().map(Correction::patientId).distinct().toList());
            Map<UUID, String> refs = new HashMap<>();
            return body(month, run.all(), refs).put("createdCount", run.created().size()).put("created", json.array(run.created(), refs));
        });
    }

    private void list(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            UUID practiceId = BillingRequests.practice(principal, ctx);
            YearMonth month = BillingRequests.month(ctx.pathParam("month"), null);
            List<Correction> all = corrections.list(practiceId, month);
            AuditTrail.patients(ctx, all.stream().map(Correction::patientId).distinct().toList());
            return body(month, all, new HashMap<>());
        });
    }

    private JsonObject body(YearMonth month, List<Correction> all, Map<UUID, String> refs) {
        long waiting = all.stream().filter(k -> k.status() == Correction.Status.WAITING).count();
        long ready = all.stream().filter(k -> k.status() == Correction.Status.READY).count();
        return new JsonObject().put("month", month.toString()).put("ready", ready).put("waiting", waiting).put("corrections", json.array(all, refs));
    }

    /** The ready corrections as one 837P; 409 when none is ready (naming the ones that wait) or without a billing profile. */
    private void x12(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        ApiResponses.blocking(ctx, () -> {
            UUID practiceId = BillingRequests.practice(principal, ctx);
            YearMonth month = BillingRequests.month(ctx.pathParam("month"), null);
            List<Correction> all = corrections.list(practiceId, month);
            List<Correction> ready = Corrections837.ready(all);
            List<String> waiting = all.stream().filter(k -> k.status() == Correction.Status.WAITING).map(Correction::waitingFor).toList();
            if (ready.isEmpty()) {
                throw new ApiException(409, "no_corrections_ready", "No correction of " + month + " is ready to send"
                        + (waiting.isEmpty() ? ": recompute corrections finds none (POST /billing/months/" + month + "/corrections)."
                        : ": " + String.join("; ", waiting) + "."));
            }
            BillingProfile profile = billingProfiles.find(practiceId).orElseThrow(() -> new ApiException(409, "no_billing_profile",
                    "The practice has no billing profile (billing organisation, submitter, receiver and payer) yet; set it first with PUT /billing/profile."));
            FeeSchedule fees = practiceSettings.feeSchedule(practiceId);
            List<Claim837Export.ClaimToWrite> claims = new ArrayList<>();
            Map<UUID, PatientProfile> patients = new HashMap<>();
            Map<UUID, StaffMember> practitioners = new HashMap<>();
            for (Claim837Export.ClaimToWrite claim : Corrections837.claims(ready)) {
                // A line kept from the close without a fee is priced as claims.837 prices it: the fee on its date of service.
                List<ClaimLine> priced = claim.lines().stream()
                        .map(l -> l.charge() != null ? l : l.withCharge(fees.charge(l.code(), l.units(), l.dateOfService()))).toList();
                claims.add(new Claim837Export.ClaimToWrite(claim.patientId(), claim.controlNumber(), claim.frequency(), claim.payerClaimControlNumber(),
                        priced));
                if (!patients.containsKey(claim.patientId())) {
                    patientProfiles.find(claim.patientId()).ifPresent(p -> patients.put(claim.patientId(), p));
                }
                for (ClaimLine l : priced) {
                    if (!practitioners.containsKey(l.billingPractitionerId())) {
                        staff.find(l.billingPractitionerId()).ifPresent(m -> practitioners.put(l.billingPractitionerId(), m));
                    }
                }
            }
            try {
                Claim837Export.Result result = Claim837Export.writeClaims(profile, ledger.zoneOf(practiceId), claims, patients, practitioners, false,
                        Corrections837.createdAt(ready), Corrections837.interchangeControlNumber(practiceId, month, ready));
                AuditTrail.patients(ctx, result.patients());
                return Map.entry(result, all.stream().filter(k -> k.status() == Correction.Status.WAITING).map(Correction::claimControlNumber).toList());
            } catch (Claim837Export.Refused refused) {
                AuditTrail.patients(ctx, refused.problems().stream().map(Claim837Export.Problem::patientId).toList());
                List<String> parts = new ArrayList<>();
                refused.problems().forEach(p -> parts.add("patient " + p.patientId() + ": " + p.reason()));
                throw new ApiException(409, refused.code(), refused.getMessage() + (parts.isEmpty() ? "" : ": " + String.join("; ", parts)) + ".");
            }
        }).onSuccess(done -> ctx.response().putHeader("Content-Type", "application/edi-x12; charset=us-ascii")
                .putHeader("Content-Disposition", "attachment; filename=\"corrections-" + ctx.pathParam("month") + ".837\"")
                .putHeader("Cache-Control", "no-store")
                .putHeader(ClaimExportApi.CLAIM_COUNT_HEADER, Integer.toString(done.getKey().claimCount()))
                .putHeader(WAITING_HEADER, String.join(",", done.getValue()))
                .end(done.getKey().text())).onFailure(ctx::fail);
    }
}
