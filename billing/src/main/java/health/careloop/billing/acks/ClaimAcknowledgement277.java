package health.careloop.billing.acks;

import com.imsweb.x12.Loop;
import com.imsweb.x12.Segment;

import java.util.ArrayList;
import java.util.List;

import static health.careloop.billing.acks.AcknowledgementText.components;
import static health.careloop.billing.acks.AcknowledgementText.value;

/**
 * A 277CA claim acknowledgement as CareLoop uses it (billing-rules.md 4.1): for each claim the payer or clearinghouse
 * answers (loop 2200D), its patient control number (TRN02, our CLM01), the status category and code of each STC, and the
 * payer's claim control number (REF*1K) when it gave one. Pure: read with x12-parser's 005010X214 mapping.
 */
public record ClaimAcknowledgement277(String interchangeControlNumber, List<ClaimAck> claims) {

    /** One STC: category (STC01-1), status code (STC01-2) and entity (STC01-3), each in words. */
    public record Status(String category, String code, String entity) {
        public String inWords() {
            return AcknowledgementCodes.claimStatus(category, code, entity);
        }
    }

    /**
     * One claim of the 277CA.
     *
     * @param statuses                the claim's STC segments (with STC10 and STC11, which may add status codes), first first
     * @param payerClaimControlNumber REF*1K, or null
     */
    public record ClaimAck(String claimControlNumber, List<Status> statuses, String payerClaimControlNumber) {
        /** Whether the first STC's category accepts, rejects or neither (billing-rules.md 4.1). */
        public AcknowledgementCodes.Category category() {
            return AcknowledgementCodes.category(statuses.get(0).category());
        }

        /** Every status in words, joined: the reason a biller reads. */
        public String inWords() {
            return String.join("; ", statuses.stream().map(Status::inWords).toList());
        }
    }

    public static ClaimAcknowledgement277 read(String text) throws MalformedAcknowledgement {
        List<Loop> interchanges = AcknowledgementText.read(AcknowledgementText.Kind.CLAIM_277CA, text);
        if (interchanges.size() != 1) {
            throw new MalformedAcknowledgement("The 277CA file holds " + interchanges.size() + " interchanges; import them one file at a time.");
        }
        Loop isa = interchanges.get(0);
        List<ClaimAck> claims = new ArrayList<>();
        for (Loop claim : isa.findLoop("2200D")) {
            Segment trn = claim.getSegment("TRN");
            String clm01 = value(trn, "TRN02");
            if (clm01 == null) {
                throw new MalformedAcknowledgement("A claim in the 277CA has no patient control number (TRN02 of loop 2200D).");
            }
            List<Status> statuses = new ArrayList<>();
            for (Segment stc : claim.findSegment("STC")) {
                for (String element : List.of("STC01", "STC10", "STC11")) {
                    List<String> c = components(stc, element);
                    if (!c.isEmpty() && !c.get(0).isBlank()) {
                        statuses.add(new Status(c.get(0), part(c, 1), part(c, 2)));
                    }
                }
            }
            if (statuses.isEmpty()) {
                throw new MalformedAcknowledgement("Claim " + clm01 + " in the 277CA has no status (STC01).");
            }
            String payerNumber = null;
            for (Segment ref : claim.findSegment("REF")) {
                if ("1K".equals(value(ref, "REF01"))) {
                    payerNumber = value(ref, "REF02");
                }
            }
            claims.add(new ClaimAck(clm01, statuses, payerNumber));
        }
        if (claims.isEmpty()) {
            throw new MalformedAcknowledgement("The 277CA file answers no claim (no loop 2200D with a patient control number).");
        }
        return new ClaimAcknowledgement277(value(isa, "ISA", "ISA13"), claims);
    }

    private static String part(List<String> components, int index) {
        return components.size() > index && !components.get(index).isBlank() ? components.get(index) : null;
    }
}
