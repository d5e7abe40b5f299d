package health.careloop.billing.corrections;

import health.careloop.billing.claims.ClaimLine;
import health.careloop.billing.claims.MonthOutcome;
import health.careloop.billing.export.Claim837Export;
import health.careloop.billing.x12.ClaimFrequency;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Compares a closed month's claims as they stand (the close's lines, or their latest corrections) with the month worked
 * out again from today's records, and says which claims need a correction. Pure.
 *
 * <p>Claims are matched by their header (billing practitioner, NPI, place of service: what the 837P puts one claim per),
 * in CLM01 order within a header, with the recomputed lines grouped exactly as {@link Claim837Export#originals} groups a
 * month's lines. For each pair whose billed lines differ (code, period, units, date of service, diagnoses; not the
 * charge, which the fee schedule sets) the claim gets a replacement (7) holding all its lines as they now are
 * (billing-rules.md 4.2 [S62]: a replacement is the whole claim again); a line that did
 * not change keeps the charge it was sent with. A claim with nothing left to bill gets a void (8) listing the lines it cancels. Lines
 * under a header that had no claim (or only a voided one) make a new claim (1) with the patient's next free CLM01. A
 * claim whose lines did not change gets nothing, so planning again against the result plans nothing (idempotent).
 */
public final class CorrectionPlanner {
    private CorrectionPlanner() {
    }

    /**
     * @param current    every claim of the month as it stands (one per CLM01, its latest version)
     * @param recomputed the month worked out again, per patient (a patient absent bills nothing)
     */
    public static List<PlannedCorrection> plan(YearMonth month, List<ClaimVersion> current, Map<UUID, MonthOutcome> recomputed) {
        Map<UUID, List<ClaimVersion>> byPatient = new LinkedHashMap<>();
        for (ClaimVersion claim : current) {
            byPatient.computeIfAbsent(claim.patientId(), id -> new ArrayList<>()).add(claim);
        }
        Set<UUID> patients = new LinkedHashSet<>(byPatient.keySet());
        recomputed.forEach((id, outcome) -> {
            if (!outcome.lines().isEmpty()) {
                patients.add(id);
            }
        });
        List<PlannedCorrection> planned = new ArrayList<>();
        for (UUID patientId : patients) {
            MonthOutcome outcome = recomputed.getOrDefault(patientId, new MonthOutcome(List.of(), List.of()));
            planned.addAll(planPatient(patientId, month, byPatient.getOrDefault(patientId, List.of()), outcome));
        }
        return planned;
    }

    /** The claims as they stand after the corrections (each replacing the claim of its CLM01, or added). */
    public static List<ClaimVersion> apply(List<ClaimVersion> current, List<PlannedCorrection> corrections) {
        Map<String, ClaimVersion> byNumber = new LinkedHashMap<>();
        current.forEach(c -> byNumber.put(c.controlNumber(), c));
        corrections.forEach(p -> byNumber.put(p.controlNumber(), p.asVersion()));
        return List.copyOf(byNumber.values());
    }

    private static List<PlannedCorrection> planPatient(UUID patientId, YearMonth month, List<ClaimVersion> claims, MonthOutcome outcome) {
        Map<List<Object>, List<ClaimVersion>> activeByHeader = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        for (ClaimVersion claim : claims) {
            used.add(claim.controlNumber());
            if (!claim.voided() && !claim.billed().isEmpty()) {
                activeByHeader.computeIfAbsent(Claim837Export.header(claim.billed().get(0)), h -> new ArrayList<>()).add(claim);
            }
        }
        Map<List<Object>, List<List<ClaimLine>>> now = Claim837Export.byClaimHeader(outcome.lines());
        List<PlannedCorrection> planned = new ArrayList<>();
        Set<List<Object>> headers = new LinkedHashSet<>(activeByHeader.keySet());
        headers.addAll(now.keySet());
        for (List<Object> header : headers) {
            List<ClaimVersion> sent = activeByHeader.getOrDefault(header, List.of());
            List<List<ClaimLine>> chunks = now.getOrDefault(header, List.of());
            for (int i = 0; i < Math.max(sent.size(), chunks.size()); i++) {
                ClaimVersion was = i < sent.size() ? sent.get(i) : null;
                List<ClaimLine> is = i < chunks.size() ? chunks.get(i) : null;
                if (was != null && is != null) {
                    if (!sameBilling(was.billed(), is)) {
                        List<ClaimLine> lines = keepWhatWasSent(was.billed(), is);
                        planned.add(new PlannedCorrection(patientId, was.controlNumber(), was.version() + 1, ClaimFrequency.REPLACEMENT, lines,
                                ClaimChanges.describe(was.billed(), lines, outcome.notBilled())));
                    }
                } else if (was != null) {
                    List<String> changes = new ArrayList<>(ClaimChanges.describe(was.billed(), List.of(), outcome.notBilled()));
                    changes.add("Nothing on this claim is billable any more: it is voided.");
                    planned.add(new PlannedCorrection(patientId, was.controlNumber(), was.version() + 1, ClaimFrequency.VOID, was.billed(), changes));
                } else {
                    String number = nextFree(patientId, month, used);
                    List<String> changes = new ArrayList<>();
                    changes.add("New claim: nothing was billed under this practitioner when the month closed.");
                    changes.addAll(ClaimChanges.describe(List.of(), is, outcome.notBilled()));
                    planned.add(new PlannedCorrection(patientId, number, 1, ClaimFrequency.ORIGINAL, is, changes));
                }
            }
        }
        return planned;
    }

    private static boolean sameBilling(List<ClaimLine> a, List<ClaimLine> b) {
        if (a.size() != b.size()) {
            return false;
        }
        Map<String, ClaimLine> byKey = new LinkedHashMap<>();
        a.forEach(l -> byKey.put(ClaimChanges.key(l), l));
        for (ClaimLine line : b) {
            ClaimLine other = byKey.get(ClaimChanges.key(line));
            if (other == null || !ClaimChanges.sameBilling(other, line)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The replacement's lines as recomputed (their minutes and words as they now are); where a line bills what was sent,
     * it keeps the charge it was sent with (a fee changed since is not a correction).
     */
    private static List<ClaimLine> keepWhatWasSent(List<ClaimLine> sent, List<ClaimLine> recomputed) {
        Map<String, ClaimLine> byKey = new LinkedHashMap<>();
        sent.forEach(l -> byKey.put(ClaimChanges.key(l), l));
        List<ClaimLine> lines = new ArrayList<>(recomputed.size());
        for (ClaimLine line : recomputed) {
            ClaimLine was = byKey.get(ClaimChanges.key(line));
            lines.add(was != null && ClaimChanges.sameBilling(was, line) ? line.withCharge(was.charge()) : line);
        }
        return lines;
    }

    private static String nextFree(UUID patientId, YearMonth month, Set<String> used) {
        for (int index = 1; ; index++) {
            String number = Claim837Export.claimControlNumber(patientId, month, index);
            if (used.add(number)) {
                return number;
            }
        }
    }
}
