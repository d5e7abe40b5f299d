package health.careloop.billing.claims;

import java.util.List;

/** The rules' answer for one patient and month: the lines billed and every code considered but not billed. */
public record MonthOutcome(List<ClaimLine> lines, List<NotBilled> notBilled) {
    public MonthOutcome {
        lines = List.copyOf(lines);
        notBilled = List.copyOf(notBilled);
    }

    public boolean billed(BillingCode code) {
        return lines.stream().anyMatch(l -> l.code() == code);
    }
}
