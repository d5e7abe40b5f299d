package health.careloop.billing.acks;

import com.imsweb.x12.Element;
import com.imsweb.x12.LineBreak;
import com.imsweb.x12.Loop;
import com.imsweb.x12.Segment;
import com.imsweb.x12.Separators;
import com.imsweb.x12.reader.X12Reader.FileType;
import com.imsweb.x12.writer.X12Writer;

import java.util.ArrayList;
import java.util.List;

/**
 * Sample acknowledgements for the tests, built in x12-parser's object model and printed by its {@link X12Writer} with the
 * library's 999 (005010X231) and 277CA (005010X214) mappings, as a clearinghouse would send them back for one of
 * CareLoop's 837P files. Shared with platform's tests (billing's test jar).
 */
public final class AcknowledgementFiles {
    private static final Separators SEPARATORS = new Separators('~', '*', ':');
    private static final String DATE = "20261203";
    private static final String TIME = "0930";

    private AcknowledgementFiles() {
    }

    /** One claim's answer in a 277CA: STC01 category, status code and entity, and REF*1K when the payer numbered it. */
    public record ClaimAnswer(String claimControlNumber, String category, String statusCode, String entity, String payerClaimNumber) {
        public static ClaimAnswer accepted(String claimControlNumber, String payerClaimNumber) {
            return new ClaimAnswer(claimControlNumber, "A2", "20", "PR", payerClaimNumber);
        }

        public static ClaimAnswer rejected(String claimControlNumber, String category, String statusCode, String entity) {
            return new ClaimAnswer(claimControlNumber, category, statusCode, entity, null);
        }
    }

    /**
     * One IK3 segment error of a 999, with an IK4 element error and, when {@code claimControlNumber} is set, the
     * business-unit context CTX*CLM01 naming the claim.
     */
    public record SegmentError(String segmentId, int position, String loopId, String segmentCode, int element, String elementCode, String claimControlNumber) {
    }

    /** A 277CA answering each claim under one payer, receiver and billing provider. */
    public static String ack277(String interchangeControlNumber, List<ClaimAnswer> claims) {
        Loop isa = envelope(interchangeControlNumber, "HN", "005010X214");
        Loop gs = isa.getLoop(0);
        Loop st = gs.addLoop("ST_LOOP");
        add(st, "ST", "277", "0001", "005010X214");
        Loop header = st.addLoop("HEADER");
        add(header, "BHT", "0085", "08", "ACK" + interchangeControlNumber, DATE, TIME, "TH");
        Loop detail = st.addLoop("DETAIL");
        Loop payer = detail.addLoop("2000A");
        add(payer, "HL", "1", "", "20", "1");
        add(payer.addLoop("2100A"), "NM1", "PR", "2", "MEDICARE PART B", "", "", "", "", "PI", "06102");
        Loop receipt = payer.addLoop("2200A");
        add(receipt, "TRN", "1", "RCPT" + interchangeControlNumber);
        add(receipt, "DTP", "050", "D8", DATE);
        add(receipt, "DTP", "009", "D8", DATE);
        Loop receiver = payer.addLoop("2000B");
        add(receiver, "HL", "2", "1", "21", "1");
        add(receiver.addLoop("2100B"), "NM1", "41", "2", "EXPORT A FAMILY MEDICINE", "", "", "", "", "46", "EXPA0001");
        Loop receiverTrace = receiver.addLoop("2200B");
        add(receiverTrace, "TRN", "2", "BATCH" + interchangeControlNumber);
        add(receiverTrace, "STC", "A1:19:PR", DATE, "WQ", "0");
        Loop provider = receiver.addLoop("2000C");
        add(provider, "HL", "3", "2", "19", "1");
        add(provider.addLoop("2100C"), "NM1", "85", "2", "EXPORT A FAMILY MEDICINE LLC", "", "", "", "", "XX", "1987654328");
        Loop providerTrace = provider.addLoop("2200C");
        add(providerTrace, "TRN", "1", "PROV" + interchangeControlNumber);
        add(providerTrace, "STC", "A1:19:PR", DATE, "WQ", "0");
        int hl = 3;
        for (ClaimAnswer claim : claims) {
            Loop patient = provider.addLoop("2000D");
            add(patient, "HL", String.valueOf(++hl), "3", "PT");
            add(patient.addLoop("2100D"), "NM1", "QC", "1", "DOE", "JANE", "", "", "", "MI", "1EG4TE5MK73");
            Loop trace = patient.addLoop("2200D");
            add(trace, "TRN", "2", claim.claimControlNumber());
            String stc01 = claim.category() + ":" + claim.statusCode() + (claim.entity() == null ? "" : ":" + claim.entity());
            boolean accepted = claim.category().startsWith("A1") || claim.category().startsWith("A2");
            add(trace, "STC", stc01, DATE, accepted ? "WQ" : "U", "100");
            if (claim.payerClaimNumber() != null) {
                add(trace, "REF", "1K", claim.payerClaimNumber());
            }
            add(trace, "DTP", "472", "D8", "20261130");
        }
        close(isa, gs, st);
        return new X12Writer(FileType.ANSI837_5010_X214, List.of(isa), SEPARATORS).toX12String(LineBreak.LF).stripTrailing() + "\n";
    }

    /**
     * A 999 answering the 837 whose GS06 is {@code groupControlNumber}: its one transaction set 837 0001 with
     * {@code setCode} (A, E, R) and the segment errors, and the group's AK9 ({@code groupCode}).
     */
    public static String ack999(String interchangeControlNumber, long groupControlNumber, String setCode, String groupCode, List<SegmentError> errors) {
        Loop isa = envelope(interchangeControlNumber, "FA", "005010X231A1");
        Loop gs = isa.getLoop(0);
        Loop st = gs.addLoop("ST_LOOP");
        add(st, "ST", "999", "0001", "005010X231A1");
        Loop header = st.addLoop("HEADER");
        add(header, "AK1", "HC", String.valueOf(groupControlNumber), "005010X222A1");
        Loop set = header.addLoop("2000");
        add(set, "AK2", "837", "0001", "005010X222A1");
        for (SegmentError e : errors) {
            Loop ik3 = set.addLoop("2100");
            add(ik3, "IK3", e.segmentId(), String.valueOf(e.position()), e.loopId(), e.segmentCode());
            if (e.claimControlNumber() != null) {
                add(ik3, "CTX", "CLM01:" + e.claimControlNumber());
            }
            add(ik3.addLoop("2110"), "IK4", String.valueOf(e.element()), "", e.elementCode());
        }
        List<String> ik5 = new ArrayList<>(List.of(setCode));
        if (!"A".equals(setCode)) {
            ik5.add("5"); // one or more segments in error
        }
        add(set, "IK5", ik5.toArray(String[]::new));
        boolean accepted = !"R".equals(groupCode);
        add(header, "AK9", groupCode, "1", "1", accepted ? "1" : "0");
        close(isa, gs, st);
        return new X12Writer(FileType.ANSI837_5010_X231, List.of(isa), SEPARATORS).toX12String(LineBreak.LF).stripTrailing() + "\n";
    }

    private static Loop envelope(String icn, String functionalId, String version) {
        Loop isa = new Loop(SEPARATORS, "ISA_LOOP");
        add(isa, "ISA", "00", " ".repeat(10), "00", " ".repeat(10), "ZZ", pad("CLEARINGHOUSE", 15), "ZZ", pad("EXPA0001", 15), "261203", TIME, "^",
                "00501", String.format("%09d", Long.parseLong(icn)), "0", "T", ":");
        Loop gs = isa.addLoop("GS_LOOP");
        add(gs, "GS", functionalId, "CLEARINGHOUSE", "EXPA0001", DATE, TIME, icn, "X", version);
        return isa;
    }

    private static void close(Loop isa, Loop gs, Loop st) {
        add(st, "SE", String.valueOf(st.size() + 1), "0001");
        add(gs, "GE", "1", isa.getSegment("ISA").getElementValue("ISA13").replaceFirst("^0+(?=.)", ""));
        add(isa, "IEA", "1", isa.getSegment("ISA").getElementValue("ISA13"));
    }

    private static void add(Loop loop, String id, String... values) {
        int last = values.length;
        while (last > 0 && values[last - 1].isEmpty()) {
            last--;
        }
        Segment segment = new Segment(id, SEPARATORS);
        for (int i = 0; i < last; i++) {
            segment.addElement(new Element(String.format("%s%02d", id, i + 1), values[i], SEPARATORS));
        }
        loop.addSegment(segment);
    }

    private static String pad(String value, int width) {
        return value + " ".repeat(width - value.length());
    }
}
