package health.careloop.billing.x12;

import com.imsweb.x12.Element;
import com.imsweb.x12.Loop;
import com.imsweb.x12.Segment;
import com.imsweb.x12.mapping.CompositeDefinition;
import com.imsweb.x12.mapping.ElementDefinition;
import com.imsweb.x12.mapping.LoopDefinition;
import com.imsweb.x12.mapping.SegmentDefinition;
import com.imsweb.x12.mapping.TransactionDefinition.Usage;
import com.imsweb.x12.reader.X12Reader;
import com.imsweb.x12.reader.X12Reader.FileType;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an 837P back with imsweb x12-parser's 005010X222A1 mapping and lists what is wrong with it: the parser's
 * structural errors (loops, segment order and repeats, required segments, elements and composites), then what x12-parser
 * 1.13 ships in the mapping but does not enforce (the valid codes of each element, elements marked not used), then what
 * no mapping says: envelope counts and control numbers, HL numbering, CLM02 against the line charges, decimal points in
 * HI and SV107 pointers past the diagnoses.
 *
 * <p>Not checked: element data types and lengths (the mapping has none; the input records enforce theirs) and code
 * lists the mapping keeps outside it (place of service, states).
 */
public final class Claim837Check {
    private Claim837Check() {
    }

    /** Empty when the interchange is a well-formed 837P as far as these checks go. */
    public static List<String> problems(String x12) {
        X12Reader reader;
        try {
            reader = new X12Reader(FileType.ANSI837_5010_X222, new StringReader(x12));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            return List.of("x12-parser could not read it: " + e);
        }
        List<String> problems = new ArrayList<>();
        reader.getFatalErrors().forEach(e -> problems.add("x12-parser (fatal): " + e));
        reader.getErrors().forEach(e -> problems.add("x12-parser: " + e));
        if (reader.getLoops().isEmpty()) {
            problems.add("no interchange found");
        }
        LoopDefinition mapping = FileType.ANSI837_5010_X222.getDefinition().getLoop();
        for (Loop isa : reader.getLoops()) {
            try {
                codes(isa, mapping, problems);
                interchange(isa, problems);
            } catch (RuntimeException e) {
                problems.add("unreadable interchange: " + e);
            }
        }
        return problems;
    }

    private static void interchange(Loop isa, List<String> problems) {
        List<Loop> groups = children(isa, "GS_LOOP");
        String icn = value(isa, "ISA", "ISA13");
        expect(problems, "IEA01 (groups)", String.valueOf(groups.size()), value(isa, "IEA", "IEA01"));
        expect(problems, "IEA02 (= ISA13)", icn, value(isa, "IEA", "IEA02"));
        for (Loop gs : groups) {
            List<Loop> sets = children(gs, "ST_LOOP");
            expect(problems, "GS08", Claim837Writer.IMPLEMENTATION_GUIDE, value(gs, "GS", "GS08"));
            expect(problems, "GE01 (transaction sets)", String.valueOf(sets.size()), value(gs, "GE", "GE01"));
            expect(problems, "GE02 (= GS06)", value(gs, "GS", "GS06"), value(gs, "GE", "GE02"));
            for (Loop st : sets) {
                transactionSet(st, problems);
            }
        }
    }

    private static void transactionSet(Loop st, List<String> problems) {
        String control = value(st, "ST", "ST02");
        expect(problems, "ST01", "837", value(st, "ST", "ST01"));
        expect(problems, "ST03", Claim837Writer.IMPLEMENTATION_GUIDE, value(st, "ST", "ST03"));
        // Loop.size() counts the segments of the loop and all its subloops: ST through SE.
        expect(problems, "SE01 (segments in ST " + control + ")", String.valueOf(st.size()), value(st, "SE", "SE01"));
        expect(problems, "SE02 (= ST02)", control, value(st, "SE", "SE02"));
        hierarchy(st, problems);
        for (Loop claim : st.findLoop("2300")) {
            claim(claim, problems);
        }
    }

    /** HL01 counts 1, 2, 3… in order; each subscriber level's HL02 names a billing provider level before it. */
    private static void hierarchy(Loop st, List<String> problems) {
        int expected = 1;
        List<String> providers = new ArrayList<>();
        for (Loop provider : st.findLoop("2000A")) {
            String id = value(provider, "HL", "HL01");
            expect(problems, "HL01", String.valueOf(expected++), id);
            providers.add(id);
            for (Loop subscriber : children(provider, "2000B")) {
                expect(problems, "HL01", String.valueOf(expected++), value(subscriber, "HL", "HL01"));
                expect(problems, "HL02 of subscriber level " + value(subscriber, "HL", "HL01"), id, value(subscriber, "HL", "HL02"));
            }
        }
        if (providers.isEmpty()) {
            problems.add("no billing provider level (HL 20)");
        }
    }

    private static void claim(Loop claim, List<String> problems) {
        Segment clm = claim.getSegment("CLM");
        String name = "claim " + clm.getElementValue("CLM01");
        BigDecimal lines = BigDecimal.ZERO;
        List<Loop> serviceLines = children(claim, "2400");
        for (Loop line : serviceLines) {
            lines = lines.add(new BigDecimal(value(line, "SV1", "SV102")));
        }
        BigDecimal total = new BigDecimal(clm.getElementValue("CLM02"));
        if (total.compareTo(lines) != 0) {
            problems.add(name + ": CLM02 " + total.toPlainString() + " is not the sum of its line charges, " + lines.toPlainString());
        }
        int diagnoses = 0;
        for (Segment hi : claim.findSegment("HI")) {
            for (Element composite : hi.getElements()) {
                String code = composite.getSubValues().size() > 1 ? composite.getSubValues().get(1) : "";
                if (composite.getSubValues().get(0).startsWith("AB")) {
                    diagnoses++;
                }
                if (code.contains(".")) {
                    problems.add(name + ": HI code " + code + " has a decimal point");
                }
            }
        }
        if (diagnoses > ProfessionalClaim.MAX_DIAGNOSES) {
            problems.add(name + ": " + diagnoses + " diagnosis codes, at most " + ProfessionalClaim.MAX_DIAGNOSES);
        }
        for (Loop line : serviceLines) {
            Element pointers = line.getSegment("SV1").getElement("SV107");
            for (String pointer : pointers == null ? List.<String>of() : pointers.getSubValues()) {
                if (Integer.parseInt(pointer) > diagnoses) {
                    problems.add(name + " line " + value(line, "LX", "LX01") + ": SV107 pointer " + pointer + " past its " + diagnoses
                            + " diagnoses");
                }
            }
        }
    }

    /** Every element against the mapping: a value from its valid codes, nothing where the guide marks it not used. */
    private static void codes(Loop loop, LoopDefinition definition, List<String> problems) {
        for (Segment segment : loop.getSegments()) {
            List<SegmentDefinition> candidates = listOf(definition.getSegment()).stream().filter(d -> d.getXid().equals(segment.getId())).toList();
            if (candidates.isEmpty()) {
                problems.add(segment.getId() + " is not a segment of loop " + loop.getId());
                continue;
            }
            // Loops repeat a segment id under several definitions (REF, DTP, HI…); the qualifier in the first element picks one.
            SegmentDefinition segmentDefinition = candidates.stream().filter(d -> qualifierFits(d, segment)).findFirst().orElse(candidates.get(0));
            String where = segment.getId() + " in loop " + loop.getId();
            for (Element element : segment.getElements()) {
                if (element.getValue() == null || element.getValue().isEmpty()) {
                    continue;
                }
                ElementDefinition simple = find(segmentDefinition.getElements(), element.getId());
                CompositeDefinition composite = listOf(segmentDefinition.getComposites()).stream()
                        .filter(c -> c.getXid().equals(element.getId())).findFirst().orElse(null);
                if (simple != null) {
                    code(simple, element.getValue(), where, problems);
                } else if (composite != null) {
                    if ("N".equals(composite.getUsage())) {
                        problems.add(where + ": " + element.getId() + " is not used in " + Claim837Writer.IMPLEMENTATION_GUIDE);
                    }
                    List<String> parts = element.getSubValues();
                    for (int i = 0; i < parts.size(); i++) {
                        ElementDefinition part = find(composite.getElements(), String.format("%s-%02d", element.getId(), i + 1));
                        if (part != null && !parts.get(i).isEmpty()) {
                            code(part, parts.get(i), where, problems);
                        }
                    }
                } else {
                    problems.add(where + ": " + element.getId() + " is not in the mapping");
                }
            }
        }
        for (Loop child : loop.getLoops()) {
            LoopDefinition childDefinition = listOf(definition.getLoop()).stream().filter(d -> d.getXid().equals(child.getId())).findFirst().orElse(null);
            if (childDefinition == null) {
                problems.add("loop " + child.getId() + " is not a loop of " + loop.getId());
            } else {
                codes(child, childDefinition, problems);
            }
        }
    }

    private static boolean qualifierFits(SegmentDefinition definition, Segment segment) {
        if (segment.getElements().isEmpty() || listOf(definition.getElements()).isEmpty() && listOf(definition.getComposites()).isEmpty()) {
            return false;
        }
        Element first = segment.getElements().get(0);
        ElementDefinition simple = find(definition.getElements(), first.getId());
        if (simple == null) {
            CompositeDefinition composite = listOf(definition.getComposites()).stream().filter(c -> c.getXid().equals(first.getId())).findFirst().orElse(null);
            simple = composite == null ? null : find(composite.getElements(), first.getId() + "-01");
            return simple != null && accepts(simple, first.getSubValues().get(0));
        }
        return accepts(simple, first.getValue());
    }

    private static void code(ElementDefinition definition, String value, String where, List<String> problems) {
        if (definition.getUsage() == Usage.NOT_USED) {
            problems.add(where + ": " + definition.getXid() + " (" + definition.getName() + ") is not used in " + Claim837Writer.IMPLEMENTATION_GUIDE);
        } else if (!accepts(definition, value)) {
            problems.add(where + ": " + definition.getXid() + " (" + definition.getName() + ") is '" + value + "', not one of "
                    + definition.getValidCodes().getCodes());
        }
    }

    /** True unless the mapping lists the valid codes itself and the value is not among them. */
    private static boolean accepts(ElementDefinition definition, String value) {
        var valid = definition.getValidCodes();
        return valid == null || valid.getExternal() != null || listOf(valid.getCodes()).isEmpty() || valid.getCodes().contains(value);
    }

    private static ElementDefinition find(List<ElementDefinition> definitions, String xid) {
        return listOf(definitions).stream().filter(d -> d.getXid().equals(xid)).findFirst().orElse(null);
    }

    private static <T> List<T> listOf(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static List<Loop> children(Loop parent, String id) {
        return parent.getLoops().stream().filter(l -> id.equals(l.getId())).toList();
    }

    private static String value(Loop loop, String segment, String element) {
        Segment s = loop.getSegment(segment);
        return s == null ? null : s.getElementValue(element);
    }

    private static void expect(List<String> problems, String what, String expected, String actual) {
        if (!expected.equals(actual)) {
            problems.add(what + " is " + (actual == null ? "missing" : "'" + actual + "'") + ", expected '" + expected + "'");
        }
    }
}
