package health.careloop.billing.acks;

import com.imsweb.x12.Loop;
import com.imsweb.x12.Segment;
import com.imsweb.x12.reader.X12Reader;
import com.imsweb.x12.reader.X12Reader.FileType;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading an acknowledgement with imsweb x12-parser: which kind it is (the ST01 of its first transaction set), its
 * interchanges read with that kind's mapping (999: 005010X231; 277CA: 005010X214), refused in words when the parser
 * finds the file broken. Also the small accessors both readers use.
 */
final class AcknowledgementText {
    /** What we accept: an X12 interchange is at most this long here (a month's 277CA is far smaller). */
    static final int MAX_LENGTH = 5 * 1024 * 1024;
    /** ISA is fixed-length: its 106th character ends the segment. */
    private static final int ISA_LENGTH = 106;

    enum Kind {
        FUNCTIONAL_999("999", FileType.ANSI837_5010_X231), CLAIM_277CA("277CA", FileType.ANSI837_5010_X214);

        final String wireName;
        final FileType fileType;

        Kind(String wireName, FileType fileType) {
            this.wireName = wireName;
            this.fileType = fileType;
        }
    }

    private AcknowledgementText() {
    }

    /** Which acknowledgement the text is, from its ISA separators and first ST segment. */
    static Kind kind(String text) throws MalformedAcknowledgement {
        String t = text.stripLeading();
        if (!t.startsWith("ISA") || t.length() < ISA_LENGTH) {
            throw new MalformedAcknowledgement("This is not an X12 file: it must start with an ISA interchange header of 106 characters "
                    + "(a 999 or 277CA file from the clearinghouse, as it came).");
        }
        char elementSeparator = t.charAt(3);
        char segmentTerminator = t.charAt(ISA_LENGTH - 1);
        for (String segment : t.split(java.util.regex.Pattern.quote(String.valueOf(segmentTerminator)))) {
            String s = segment.strip();
            if (s.startsWith("ST" + elementSeparator)) {
                String[] elements = s.split(java.util.regex.Pattern.quote(String.valueOf(elementSeparator)), -1);
                String st01 = elements.length > 1 ? elements[1] : "";
                return switch (st01) {
                    case "999" -> Kind.FUNCTIONAL_999;
                    case "277" -> Kind.CLAIM_277CA;
                    default -> throw new MalformedAcknowledgement("This X12 file holds a " + (st01.isEmpty() ? "transaction set without a type"
                            : st01 + " transaction set") + "; CareLoop imports 999 implementation acknowledgements and 277CA claim acknowledgements.");
                };
            }
        }
        throw new MalformedAcknowledgement("This X12 file has no transaction set (no ST segment): it is not a whole 999 or 277CA.");
    }

    /** The interchanges, read with the kind's mapping; every structural error the parser reports refuses the file. */
    static List<Loop> read(Kind kind, String text) throws MalformedAcknowledgement {
        X12Reader reader;
        try {
            reader = new X12Reader(kind.fileType, new StringReader(text.strip()));
        } catch (IOException | RuntimeException e) {
            // x12-parser 1.13 throws (a NullPointerException) on a file cut short or with loops out of place.
            throw new MalformedAcknowledgement("The " + kind.wireName + " file is not well-formed, so nothing was applied: its segments do not "
                    + "follow the " + kind.wireName + " layout (is the file complete, from ISA to IEA?). Ask the clearinghouse for the file again, unchanged.");
        }
        List<String> errors = new ArrayList<>(reader.getFatalErrors());
        for (String error : reader.getErrors()) {
            if (!knownFalseAlarm(error, reader.getLoops())) {
                errors.add(error);
            }
        }
        if (!errors.isEmpty()) {
            throw new MalformedAcknowledgement("The " + kind.wireName + " file is not well-formed, so nothing was applied: "
                    + String.join("; ", errors.subList(0, Math.min(5, errors.size()))) + (errors.size() > 5 ? " (and " + (errors.size() - 5) + " more)" : "")
                    + ". Ask the clearinghouse for the file again, unchanged.");
        }
        if (reader.getLoops().isEmpty()) {
            throw new MalformedAcknowledgement("The " + kind.wireName + " file holds no interchange.");
        }
        return reader.getLoops();
    }

    private static final java.util.regex.Pattern REQUIRED_NOT_FOUND = java.util.regex.Pattern.compile("([A-Z0-9]{2,3}) in loop ([A-Z0-9_]+) is required but not found");

    /**
     * x12-parser 1.13 reports, for its 999 mapping, a segment that follows a child loop as missing (AK9 after loop 2000,
     * IK5 after loop 2100) although it reads it into the right loop; and it checks a business-unit CTX (CTX*CLM01:…) as
     * if it were a segment-context CTX, whose CTX02 is required. Those two reports are dropped when the tree shows the
     * segment where it belongs or the CTX is the business-unit one; every other report refuses the file.
     */
    private static boolean knownFalseAlarm(String error, List<Loop> interchanges) {
        java.util.regex.Matcher m = REQUIRED_NOT_FOUND.matcher(error);
        if (m.matches()) {
            for (Loop isa : interchanges) {
                for (Loop loop : isa.findLoop(m.group(2))) {
                    if (loop.getSegment(m.group(1)) != null) {
                        return true;
                    }
                }
            }
            return false;
        }
        if (error.startsWith("CTX in loop 2100 element at position 2 does not exist")) {
            for (Loop isa : interchanges) {
                for (Loop loop : isa.findLoop("2100")) {
                    for (Segment ctx : loop.findSegment("CTX")) {
                        String id = ctx.getElementValue("CTX01");
                        if (id == null || !id.startsWith("CLM01")) {
                            return false;
                        }
                    }
                }
            }
            return true;
        }
        return false;
    }

    /** An element's value, or null when the segment or element is absent or empty. */
    static String value(Segment segment, String elementId) {
        if (segment == null) {
            return null;
        }
        String v = segment.getElementValue(elementId);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** The first segment {@code segmentId} of the loop itself (not of its children). */
    static String value(Loop loop, String segmentId, String elementId) {
        return value(loop.getSegment(segmentId), elementId);
    }

    /** The components of a composite element (empty when absent), split on the interchange's component separator. */
    static List<String> components(Segment segment, String elementId) {
        String v = segment.getElementValue(elementId);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        String separator = String.valueOf(segment.getSeparators().getCompositeElement());
        return List.of(v.strip().split(java.util.regex.Pattern.quote(separator), -1));
    }

    /** The direct child loops with the given id. */
    static List<Loop> children(Loop loop, String id) {
        return loop.getLoops().stream().filter(l -> id.equals(l.getId())).toList();
    }
}
