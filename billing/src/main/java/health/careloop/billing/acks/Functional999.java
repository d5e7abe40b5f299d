package health.careloop.billing.acks;

import com.imsweb.x12.Loop;
import com.imsweb.x12.Segment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static health.careloop.billing.acks.AcknowledgementText.children;
import static health.careloop.billing.acks.AcknowledgementText.components;
import static health.careloop.billing.acks.AcknowledgementText.value;

/**
 * A 999 implementation acknowledgment as CareLoop uses it (billing-rules.md 4.1): for each functional group it answers
 * (AK1: its GS01 and GS06), whether each transaction set (AK2: ST01, ST02) was accepted (IK5) with the errors found
 * (IK3 segment, IK4 element, CTX naming the claim's CLM01 where the clearinghouse said which claim), and the group's
 * own verdict (AK9). Pure: read with x12-parser's 999 (005010X231) mapping.
 */
public record Functional999(String interchangeControlNumber, List<GroupAck> groups) {

    /** AK1 … AK9: one functional group of ours that the 999 answers. */
    public record GroupAck(String functionalId, String groupControlNumber, String code, List<String> groupErrors, List<SetAck> sets) {
        /** The group's verdict in words, with its errors. */
        public String inWords() {
            String words = "the functional group " + groupControlNumber + " was " + AcknowledgementCodes.acknowledgement(code);
            return groupErrors.isEmpty() ? words : words + " (" + String.join("; ", groupErrors) + ")";
        }

        public boolean rejected() {
            return AcknowledgementCodes.rejects(code);
        }
    }

    /**
     * AK2 … IK5: one transaction set of the group.
     *
     * @param errors         each segment error in words ("segment NM1 at position 12 (loop 2010BA): required data element missing
     *                       in element 9")
     * @param errorsByClaim  the errors whose context names a claim (CTX*CLM01:…), by that CLM01
     */
    public record SetAck(String transactionSetId, String controlNumber, String code, List<String> setErrors, List<String> errors,
                         Map<String, List<String>> errorsByClaim) {
        public boolean rejected() {
            return AcknowledgementCodes.rejects(code);
        }

        /** "The clearinghouse rejected the whole 837 transaction 0001 (999 IK5 R: one or more segments in error): …". */
        public String inWords() {
            StringBuilder s = new StringBuilder("the clearinghouse's 999 ").append(rejected() ? "rejected" : "answered").append(" the whole ")
                    .append(transactionSetId).append(" transaction ").append(controlNumber).append(" (")
                    .append(AcknowledgementCodes.acknowledgement(code));
            if (!setErrors.isEmpty()) {
                s.append(": ").append(String.join("; ", setErrors));
            }
            s.append(')');
            if (!errors.isEmpty()) {
                s.append(": ").append(String.join("; ", errors));
            }
            return s.toString();
        }
    }

    /** Reads a 999; a file x12-parser finds broken, or without an acknowledgement in it, is refused in words. */
    public static Functional999 read(String text) throws MalformedAcknowledgement {
        List<Loop> interchanges = AcknowledgementText.read(AcknowledgementText.Kind.FUNCTIONAL_999, text);
        if (interchanges.size() != 1) {
            throw new MalformedAcknowledgement("The 999 file holds " + interchanges.size() + " interchanges; import them one file at a time.");
        }
        Loop isa = interchanges.get(0);
        List<GroupAck> groups = new ArrayList<>();
        for (Loop gs : children(isa, "GS_LOOP")) {
            for (Loop st : children(gs, "ST_LOOP")) {
                Loop header = st.getLoop("HEADER");
                if (header == null) {
                    throw new MalformedAcknowledgement("A 999 transaction set has no AK1 (which group it answers).");
                }
                groups.add(group(header));
            }
        }
        if (groups.isEmpty()) {
            throw new MalformedAcknowledgement("The 999 file answers no functional group (no AK1).");
        }
        return new Functional999(value(isa, "ISA", "ISA13"), groups);
    }

    private static GroupAck group(Loop header) throws MalformedAcknowledgement {
        Segment ak1 = header.getSegment("AK1");
        Segment ak9 = header.getSegment("AK9");
        if (ak1 == null || value(ak1, "AK102") == null || ak9 == null || value(ak9, "AK901") == null) {
            throw new MalformedAcknowledgement("A 999 transaction set lacks its AK1 group control number or its AK9 verdict.");
        }
        List<String> groupErrors = new ArrayList<>();
        for (String element : List.of("AK905", "AK906", "AK907", "AK908", "AK909")) {
            String code = value(ak9, element);
            if (code != null) {
                groupErrors.add(AcknowledgementCodes.groupError(code));
            }
        }
        List<SetAck> sets = new ArrayList<>();
        for (Loop set : children(header, "2000")) {
            sets.add(set(set));
        }
        return new GroupAck(value(ak1, "AK101"), value(ak1, "AK102"), value(ak9, "AK901"), groupErrors, sets);
    }

    private static SetAck set(Loop loop) throws MalformedAcknowledgement {
        Segment ak2 = loop.getSegment("AK2");
        Segment ik5 = loop.getSegment("IK5");
        if (ak2 == null || value(ak2, "AK202") == null || ik5 == null || value(ik5, "IK501") == null) {
            throw new MalformedAcknowledgement("A 999 transaction set response lacks its AK2 control number or its IK5 verdict.");
        }
        List<String> setErrors = new ArrayList<>();
        for (String element : List.of("IK502", "IK503", "IK504", "IK505", "IK506")) {
            String code = value(ik5, element);
            if (code != null) {
                setErrors.add(AcknowledgementCodes.transactionSetError(code));
            }
        }
        List<String> errors = new ArrayList<>();
        Map<String, List<String>> byClaim = new LinkedHashMap<>();
        for (Loop ik3Loop : children(loop, "2100")) {
            String error = segmentError(ik3Loop);
            errors.add(error);
            String claim = claimOf(ik3Loop);
            if (claim != null) {
                byClaim.computeIfAbsent(claim, k -> new ArrayList<>()).add(error);
            }
        }
        return new SetAck(value(ak2, "AK201"), value(ak2, "AK202"), value(ik5, "IK501"), setErrors, errors, byClaim);
    }

    /** IK3 with its IK4s in words. */
    private static String segmentError(Loop ik3Loop) {
        Segment ik3 = ik3Loop.getSegment("IK3");
        StringBuilder s = new StringBuilder("segment ").append(value(ik3, "IK301")).append(" at position ").append(value(ik3, "IK302"));
        if (value(ik3, "IK303") != null) {
            s.append(" (loop ").append(value(ik3, "IK303")).append(')');
        }
        s.append(": ").append(AcknowledgementCodes.segmentError(value(ik3, "IK304")));
        for (Loop ik4Loop : children(ik3Loop, "2110")) {
            Segment ik4 = ik4Loop.getSegment("IK4");
            List<String> position = components(ik4, "IK401");
            s.append(", ").append(AcknowledgementCodes.elementError(value(ik4, "IK403")));
            if (!position.isEmpty()) {
                s.append(" in element ").append(position.get(0));
            }
            if (value(ik4, "IK404") != null) {
                s.append(" (it held '").append(value(ik4, "IK404")).append("')");
            }
        }
        return s.toString();
    }

    /** The CLM01 that a business-unit context (CTX*CLM01:<patient control number>) names, if any. */
    private static String claimOf(Loop ik3Loop) {
        for (Segment ctx : ik3Loop.findSegment("CTX")) {
            List<String> id = components(ctx, "CTX01");
            if (id.size() >= 2 && "CLM01".equals(id.get(0))) {
                return id.get(1);
            }
        }
        return null;
    }
}
