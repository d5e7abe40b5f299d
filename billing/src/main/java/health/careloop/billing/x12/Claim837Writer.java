package health.careloop.billing.x12;

import com.imsweb.x12.Element;
import com.imsweb.x12.LineBreak;
import com.imsweb.x12.Loop;
import com.imsweb.x12.Segment;
import com.imsweb.x12.Separators;
import com.imsweb.x12.reader.X12Reader.FileType;
import com.imsweb.x12.writer.X12Writer;
import health.careloop.clinical.patients.Address;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes one ANSI X12 837P (005010X222A1) interchange for Medicare Part B: one functional group, one transaction set,
 * one billing provider (HL 20) and one subscriber level (HL 22) per beneficiary holding that beneficiary's claims.
 *
 * <p>The inputs have checked themselves (see the records); this class adds the checks that span them, builds the
 * document in x12-parser's object model ({@link Loop}/{@link Segment}), prints it with its {@link X12Writer} (which orders
 * segments and loops by the X222A1 mapping) and reads the result back through {@link Claim837Check}. A structural error
 * found there is a bug in this class, not in the input, and is thrown as an {@link IllegalStateException}.
 *
 * <p>Output: element separator {@code *}, component separator {@code :}, repetition separator {@code ^}, each segment
 * ending in {@code ~} and a line feed.
 */
public final class Claim837Writer {
    /** ISA15: whether the receiver should treat the interchange as test or production data. */
    public enum Usage {
        TEST("T"), PRODUCTION("P");

        private final String code;

        Usage(String code) {
            this.code = code;
        }
    }

    /** GS08 and ST03: the professional claim implementation guide with its addenda. */
    public static final String IMPLEMENTATION_GUIDE = "005010X222A1";
    /** X222A1: the recommended maximum of claims (CLM) in one transaction set. */
    public static final int MAX_CLAIMS = 5000;
    /** X222A1: loop 2300 repeats at most 100 times under one subscriber level. */
    public static final int MAX_CLAIMS_PER_SUBSCRIBER = 100;
    static final long MAX_CONTROL_NUMBER = 999_999_999L;
    private static final String TRANSACTION_SET_CONTROL_NUMBER = "0001";
    private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");
    private static final DateTimeFormatter CCYYMMDD = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HHmm");

    private final ZoneId zone;
    private final Usage usage;

    /**
     * @param zone  the practice's time zone: the creation dates and times in ISA, GS and BHT are local to it
     * @param usage ISA15
     */
    public Claim837Writer(ZoneId zone, Usage usage) {
        this.zone = Objects.requireNonNull(zone, "zone");
        this.usage = Objects.requireNonNull(usage, "usage");
    }

    /**
     * The interchange text, ending in a line feed.
     *
     * @param claims                   1-5000 claims; claims of equal subscribers are grouped under one HL 22, first
     *                                 appearance first
     * @param createdAt                when the file is created (ISA09/10, GS04/05, BHT04/05)
     * @param interchangeControlNumber 1-999999999: ISA13/IEA02 (zero-padded to 9 digits), also GS06/GE02 and BHT03.
     *                                 The caller keeps it unique per submitter and receiver
     * @throws IllegalArgumentException naming the field when the input cannot make a valid claim file
     */
    public String write(Submitter submitter, Receiver receiver, Payer payer, BillingProvider billingProvider, List<SubscriberClaim> claims,
                        Instant createdAt, long interchangeControlNumber) {
        X12Text.notNull(submitter, "submitter");
        X12Text.notNull(receiver, "receiver");
        X12Text.notNull(payer, "payer");
        X12Text.notNull(billingProvider, "billingProvider");
        X12Text.notNull(createdAt, "createdAt");
        if (interchangeControlNumber < 1 || interchangeControlNumber > MAX_CONTROL_NUMBER) {
            throw new IllegalArgumentException("interchangeControlNumber must be 1-" + MAX_CONTROL_NUMBER + ", not " + interchangeControlNumber);
        }
        Map<Subscriber, List<ProfessionalClaim>> bySubscriber = group(claims);

        Separators separators = new Separators('~', '*', ':');
        ZonedDateTime created = createdAt.atZone(zone);
        String icn = String.valueOf(interchangeControlNumber);
        Segments doc = new Segments(separators);

        Loop isa = new Loop(separators, "ISA_LOOP");
        doc.add(isa, "ISA", "00", " ".repeat(10), "00", " ".repeat(10), "ZZ", pad(submitter.id(), 15), "ZZ", pad(receiver.id(), 15),
                created.format(YYMMDD), created.format(HHMM), "^", "00501", String.format("%09d", interchangeControlNumber), "0", usage.code,
                String.valueOf(separators.getCompositeElement()));
        Loop gs = isa.addLoop("GS_LOOP");
        doc.add(gs, "GS", "HC", submitter.id(), receiver.id(), created.format(CCYYMMDD), created.format(HHMM), icn, "X", IMPLEMENTATION_GUIDE);
        Loop st = gs.addLoop("ST_LOOP");
        doc.add(st, "ST", "837", TRANSACTION_SET_CONTROL_NUMBER, IMPLEMENTATION_GUIDE);

        Loop header = st.addLoop("HEADER");
        // BHT02 00 = original transmission; BHT06 CH = chargeable (billing-rules.md 4).
        doc.add(header, "BHT", "0019", "00", icn, created.format(CCYYMMDD), created.format(HHMM), "CH");
        Loop submitterLoop = header.addLoop("1000A");
        doc.add(submitterLoop, "NM1", "41", "2", submitter.name(), "", "", "", "", "46", submitter.id());
        doc.add(submitterLoop, "PER", "IC", submitter.contactName(), "TE", submitter.contactPhone());
        Loop receiverLoop = header.addLoop("1000B");
        doc.add(receiverLoop, "NM1", "40", "2", receiver.name(), "", "", "", "", "46", receiver.id());

        Loop detail = st.addLoop("DETAIL");
        int hl = 1;
        Loop billing = detail.addLoop("2000A");
        doc.add(billing, "HL", String.valueOf(hl), "", "20", "1");
        Loop billingName = billing.addLoop("2010AA");
        doc.add(billingName, "NM1", "85", "2", billingProvider.organizationName(), "", "", "", "", "XX", billingProvider.npi());
        doc.address(billingName, billingProvider.address());
        doc.add(billingName, "REF", "EI", billingProvider.ein());

        for (Map.Entry<Subscriber, List<ProfessionalClaim>> entry : bySubscriber.entrySet()) {
            Subscriber subscriber = entry.getKey();
            Loop subscriberLevel = billing.addLoop("2000B");
            doc.add(subscriberLevel, "HL", String.valueOf(++hl), "1", "22", "0");
            // SBR02 18 = the patient is the subscriber; SBR09 MB = Medicare Part B (billing-rules.md 4).
            doc.add(subscriberLevel, "SBR", "P", "18", "", "", "", "", "", "", "MB");
            Loop subscriberName = subscriberLevel.addLoop("2010BA");
            doc.add(subscriberName, "NM1", "IL", "1", subscriber.lastName(), subscriber.firstName(), "", "", "", "MI", subscriber.mbi());
            doc.address(subscriberName, subscriber.address());
            doc.add(subscriberName, "DMG", "D8", subscriber.birthDate().format(CCYYMMDD), subscriber.genderCode());
            Loop payerName = subscriberLevel.addLoop("2010BB");
            doc.add(payerName, "NM1", "PR", "2", payer.name(), "", "", "", "", "PI", payer.payerId());
            for (ProfessionalClaim claim : entry.getValue()) {
                claim(doc, subscriberLevel.addLoop("2300"), claim, billingProvider);
            }
        }

        // SE01 counts the segments from ST to SE, both included.
        doc.add(st, "SE", String.valueOf(st.size() + 1), TRANSACTION_SET_CONTROL_NUMBER);
        doc.add(gs, "GE", "1", icn);
        doc.add(isa, "IEA", "1", String.format("%09d", interchangeControlNumber));

        String text = new X12Writer(FileType.ANSI837_5010_X222, List.of(isa), separators).toX12String(LineBreak.LF).stripTrailing() + "\n";
        List<String> problems = Claim837Check.problems(text);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The 837P written does not pass its own check: " + String.join("; ", problems));
        }
        return text;
    }

    private static void claim(Segments doc, Loop loop, ProfessionalClaim claim, BillingProvider billingProvider) {
        // CLM05 = place of service : B (professional) : frequency; CLM06-09 = signature on file, assigned, benefits
        // assigned, release of information (billing-rules.md 4).
        doc.add(loop, "CLM", claim.patientControlNumber(), amount(claim.totalCharge()), "", "",
                doc.composite(claim.placeOfService(), "B", claim.frequency().code()), "Y", "A", "Y", "Y");
        if (claim.payerClaimControlNumber() != null) {
            doc.add(loop, "REF", "F8", claim.payerClaimControlNumber());
        }
        // billing-rules.md 4: one code per composite, the first ABK (principal) and the rest ABF, without the decimal point.
        List<String> hi = new ArrayList<>();
        List<String> codes = claim.diagnosesWithoutDot();
        for (int i = 0; i < codes.size(); i++) {
            hi.add(doc.composite(i == 0 ? "ABK" : "ABF", codes.get(i)));
        }
        doc.add(loop, "HI", hi.toArray(String[]::new));
        RenderingProvider rendering = claim.renderingProvider();
        if (rendering != null && !rendering.npi().equals(billingProvider.npi())) {
            Loop renderingLoop = loop.addLoop("2310B");
            doc.add(renderingLoop, "NM1", "82", "1", rendering.lastName(), rendering.firstName(), "", "", "", "XX", rendering.npi());
        }
        int lineNumber = 0;
        for (ServiceLine line : claim.lines()) {
            Loop lineLoop = loop.addLoop("2400");
            doc.add(lineLoop, "LX", String.valueOf(++lineNumber));
            List<String> procedure = new ArrayList<>();
            procedure.add("HC");
            procedure.add(line.procedureCode());
            procedure.addAll(line.modifiers());
            String pointers = doc.composite(line.diagnosisPointers().stream().map(String::valueOf).toArray(String[]::new));
            doc.add(lineLoop, "SV1", doc.composite(procedure.toArray(String[]::new)), amount(line.charge()), "UN", String.valueOf(line.units()),
                    "", "", pointers);
            if (line.isDateRange()) {
                doc.add(lineLoop, "DTP", "472", "RD8", line.serviceFrom().format(CCYYMMDD) + "-" + line.serviceTo().format(CCYYMMDD));
            } else {
                doc.add(lineLoop, "DTP", "472", "D8", line.serviceFrom().format(CCYYMMDD));
            }
        }
    }

    /** Claims grouped per subscriber, refusing what spans claims: repeated control numbers, one MBI with two identities. */
    private static Map<Subscriber, List<ProfessionalClaim>> group(List<SubscriberClaim> claims) {
        X12Text.notNull(claims, "claims");
        if (claims.isEmpty()) {
            throw new IllegalArgumentException("claims needs at least one claim");
        }
        if (claims.size() > MAX_CLAIMS) {
            throw new IllegalArgumentException("claims has at most " + MAX_CLAIMS + " claims per file, not " + claims.size());
        }
        Map<Subscriber, List<ProfessionalClaim>> bySubscriber = new LinkedHashMap<>();
        Map<String, Subscriber> byMbi = new HashMap<>();
        Set<String> controlNumbers = new HashSet<>();
        for (SubscriberClaim sc : claims) {
            X12Text.notNull(sc, "claims[]");
            Subscriber known = byMbi.putIfAbsent(sc.subscriber().mbi(), sc.subscriber());
            if (known != null && !known.equals(sc.subscriber())) {
                throw new IllegalArgumentException("Subscriber.mbi " + sc.subscriber().mbi() + " appears with two different names, birth dates, "
                        + "sexes or addresses");
            }
            if (!controlNumbers.add(sc.claim().patientControlNumber())) {
                throw new IllegalArgumentException("ProfessionalClaim.patientControlNumber " + sc.claim().patientControlNumber()
                        + " appears twice in one file");
            }
            List<ProfessionalClaim> list = bySubscriber.computeIfAbsent(sc.subscriber(), s -> new ArrayList<>());
            list.add(sc.claim());
            if (list.size() > MAX_CLAIMS_PER_SUBSCRIBER) {
                throw new IllegalArgumentException("claims has at most " + MAX_CLAIMS_PER_SUBSCRIBER + " claims per subscriber, more for MBI "
                        + sc.subscriber().mbi());
            }
        }
        return bySubscriber;
    }

    /** X12 R type: no trailing zeros after the decimal point, no exponent ("47.40" is written 47.4, "100.00" is 100). */
    static String amount(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    /** ISA06/ISA08 are fixed-width: left-justified and space-padded. */
    private static String pad(String value, int width) {
        return value + " ".repeat(width - value.length());
    }

    /** Segments in x12-parser's model, all sharing the interchange's separators. */
    private record Segments(Separators separators) {
        void add(Loop loop, String id, String... values) {
            int last = values.length;
            while (last > 0 && values[last - 1].isEmpty()) {
                last--; // X12 never ends a segment with empty elements
            }
            Segment segment = new Segment(id, separators);
            for (int i = 0; i < last; i++) {
                segment.addElement(new Element(String.format("%s%02d", id, i + 1), values[i], separators));
            }
            loop.addSegment(segment);
        }

        void address(Loop loop, Address address) {
            if (address.line2() == null) {
                add(loop, "N3", address.line1());
            } else {
                add(loop, "N3", address.line1(), address.line2());
            }
            add(loop, "N4", address.city(), address.state(), address.zip());
        }

        String composite(String... parts) {
            return String.join(String.valueOf(separators.getCompositeElement()), parts);
        }
    }
}
