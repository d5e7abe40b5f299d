package health.careloop.billing.corrections;

import health.careloop.billing.claims.ClaimLine;
import health.careloop.billing.export.Claim837Export;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The rows of a closed month's claims.csv once it has corrections: every line of the close as it was sent, those of a
 * corrected claim saying so, then the lines of each claim's latest correction with what it is and whether it can be
 * sent. Never silent: a line the close billed and a correction changed appears with both. Pure.
 */
public final class CorrectedLines {
    /** A row: the line and its claim status in words, or null where the line's own status applies (not corrected). */
    public record Row(ClaimLine line, String status) {
    }

    private CorrectedLines() {
    }

    public static List<Row> rows(YearMonth month, List<ClaimLine> closed, List<Correction> corrections) {
        Map<String, Correction> latest = new LinkedHashMap<>();
        for (Correction k : corrections) {
            if (k.status() != Correction.Status.SUPERSEDED) {
                latest.put(k.claimControlNumber(), k);
            }
        }
        Map<UUID, List<ClaimLine>> byPatient = new LinkedHashMap<>();
        closed.forEach(l -> byPatient.computeIfAbsent(l.patientId(), id -> new ArrayList<>()).add(l));
        Map<ClaimLine, String> claimOf = new HashMap<>();
        byPatient.forEach((patientId, lines) -> Claim837Export.originals(patientId, month, lines)
                .forEach(claim -> claim.lines().forEach(l -> claimOf.put(l, claim.controlNumber()))));
        List<Row> rows = new ArrayList<>();
        for (ClaimLine line : closed) {
            Correction k = latest.get(claimOf.get(line));
            rows.add(new Row(line, k == null ? null : (k.voided() ? "voided by " : "replaced by ") + "correction " + k.version() + " of claim "
                    + k.claimControlNumber() + " (see its rows)"));
        }
        for (Correction k : latest.values()) {
            String status = k.kind() + " of claim " + k.claimControlNumber() + " (correction " + k.version() + ", frequency " + k.frequency().code()
                    + (k.voided() ? ", cancels this line" : "") + "): " + (k.status() == Correction.Status.READY ? "ready to send" : k.waitingFor());
            k.lines().forEach(l -> rows.add(new Row(l, status)));
        }
        return rows;
    }
}
