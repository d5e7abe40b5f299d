package health.careloop.billing.x12;

import com.imsweb.x12.Loop;
import com.imsweb.x12.Segment;
import com.imsweb.x12.reader.X12Reader;
import com.imsweb.x12.reader.X12Reader.FileType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static health.careloop.billing.x12.Claim837Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class Claim837WriterTest {
    private final String text = write(twoPatients());

    @Test
    void twoPatientsWithRpmAndCcmParseWithTheX222A1MappingWithoutErrors() throws IOException {
        X12Reader reader = new X12Reader(FileType.ANSI837_5010_X222, new StringReader(text));

        assertThat(reader.getFatalErrors()).isEmpty();
        assertThat(reader.getErrors()).isEmpty();
        assertThat(reader.getLoops()).hasSize(1);
        Loop st = reader.getLoops().get(0).getLoop("ST_LOOP");
        assertThat(st.findLoop("2000A")).hasSize(1);
        assertThat(st.findLoop("2000B")).extracting(l -> l.getLoop("2010BA").getSegment("NM1").getElementValue("NM109"))
                .containsExactly("1EG4TE5MK73", "2CD5EF6GH78");
        assertThat(st.findLoop("2300")).hasSize(2);
        assertThat(st.findLoop("2400")).extracting(l -> l.getSegment("SV1").getElement("SV101").getSubValues().get(1))
                .containsExactly("99454", "99457", "99458", "99490", "99439", "99454", "99457", "99458", "99490", "99439");
        assertThat(Claim837Check.problems(text)).isEmpty();
    }

    @Test
    void envelopeCountsAndControlNumbersAgree() {
        List<String> segments = segments(text);
        String isa = segments.get(0);
        // ISA is fixed-width: 105 characters and the segment terminator.
        assertThat(isa + "~").hasSize(106);
        assertThat(el(isa, 6)).hasSize(15).isEqualTo("CLDEMO01       ");
        assertThat(el(isa, 8)).hasSize(15).isEqualTo("12202          ");
        assertThat(el(isa, 9)).isEqualTo("260402");
        assertThat(el(isa, 10)).isEqualTo("1005"); // 14:05 UTC is 10:05 in New York (EDT)
        assertThat(el(isa, 13)).isEqualTo("000000042");
        assertThat(el(isa, 15)).isEqualTo("T");
        assertThat(el(isa, 16)).isEqualTo(":");

        int st = indexOf(segments, "ST*");
        int se = indexOf(segments, "SE*");
        String gs = segments.get(indexOf(segments, "GS*"));
        String ge = segments.get(indexOf(segments, "GE*"));
        String iea = segments.get(indexOf(segments, "IEA*"));
        assertThat(el(segments.get(se), 1)).isEqualTo(String.valueOf(se - st + 1)).isEqualTo("60");
        assertThat(el(segments.get(se), 2)).isEqualTo(el(segments.get(st), 2)).isEqualTo("0001");
        assertThat(el(gs, 4)).isEqualTo("20260402");
        assertThat(el(gs, 8)).isEqualTo(el(segments.get(st), 3)).isEqualTo("005010X222A1");
        assertThat(el(ge, 1)).isEqualTo("1");
        assertThat(el(ge, 2)).isEqualTo(el(gs, 6)).isEqualTo("42");
        assertThat(el(iea, 1)).isEqualTo("1");
        assertThat(el(iea, 2)).isEqualTo(el(isa, 13));
        assertThat(segments).contains("BHT*0019*00*42*20260402*1005*CH");
        assertThat(segments).filteredOn(s -> s.startsWith("HL*"))
                .containsExactly("HL*1**20*1", "HL*2*1*22*0", "HL*3*1*22*0");
        assertThat(text).endsWith("IEA*1*000000042~\n").doesNotContain("\r");
    }

    @Test
    void hiCarriesTheCodesWithoutDecimalPointsPrincipalFirst() {
        List<String> hi = segments(text).stream().filter(s -> s.startsWith("HI*")).toList();

        assertThat(hi).containsExactly("HI*ABK:I10*ABF:E119", "HI*ABK:I130*ABF:I5022*ABF:N1831");
        assertThat(hi).allSatisfy(s -> assertThat(s).doesNotContain("."));
    }

    @Test
    void clm02IsTheSumOfTheLineCharges() {
        List<String> segments = segments(text);
        List<String> claims = segments.stream().filter(s -> s.startsWith("CLM*")).toList();

        assertThat(claims).containsExactly("CLM*CL202603-0001*330***11:B:1*Y*A*Y*Y", "CLM*CL202603-0002*301.71***11:B:1*Y*A*Y*Y");
        for (int c = 0; c < claims.size(); c++) {
            int from = segments.indexOf(claims.get(c));
            int to = c + 1 < claims.size() ? segments.indexOf(claims.get(c + 1)) : indexOf(segments, "SE*");
            BigDecimal sum = segments.subList(from, to).stream().filter(s -> s.startsWith("SV1*"))
                    .map(s -> new BigDecimal(el(s, 2))).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(new BigDecimal(el(claims.get(c), 2))).isEqualByComparingTo(sum);
        }
        assertThat(new BigDecimal("330")).isEqualByComparingTo(janeMarch().totalCharge());
    }

    @Test
    void serviceLinesCarryUnitsPointersDatesAndTheRenderingProvider() {
        List<String> segments = segments(text);

        assertThat(segments).containsSubsequence("LX*5", "SV1*HC:99439*100*UN*2***1:2", "DTP*472*D8*20260331");
        assertThat(segments).containsSubsequence("LX*4", "SV1*HC:99490*66.13*UN*1***1:2:3", "DTP*472*RD8*20260301-20260331");
        assertThat(segments).containsSubsequence("SV1*HC:99457*52.1*UN*1***1");
        assertThat(segments).containsSubsequence("SBR*P*18*******MB", "NM1*IL*1*ROE*JOHN****MI*2CD5EF6GH78", "N3*9 OAK AVE*APT 3",
                "N4*COLUMBIA*MD*210441234", "DMG*D8*19461102*M", "NM1*PR*2*MEDICARE PART B*****PI*12202");
        assertThat(segments).containsSubsequence("HI*ABK:I130*ABF:I5022*ABF:N1831", "NM1*82*1*SMITH*ANNA****XX*1987654328", "LX*1");
        // Jane's claim has no rendering provider of its own: no 2310B.
        assertThat(segments).filteredOn(s -> s.startsWith("NM1*82*")).hasSize(1);
    }

    @Test
    void theSameSubscriberTwiceSharesOneSubscriberLevel() {
        ProfessionalClaim second = new ProfessionalClaim("CL202603-0003", "11", ClaimFrequency.ORIGINAL, null, List.of("I10"), null,
                List.of(ServiceLine.on(MARCH_31, "99091", usd("40"), 1, 1)));
        String out = write(List.of(new SubscriberClaim(JANE, janeMarch()), new SubscriberClaim(JOHN, johnMarch()),
                new SubscriberClaim(JANE, second)));

        assertThat(segments(out)).filteredOn(s -> s.startsWith("HL*")).containsExactly("HL*1**20*1", "HL*2*1*22*0", "HL*3*1*22*0");
        assertThat(segments(out)).containsSubsequence("NM1*IL*1*DOE*JANE****MI*1EG4TE5MK73", "CLM*CL202603-0001*330***11:B:1*Y*A*Y*Y",
                "CLM*CL202603-0003*40***11:B:1*Y*A*Y*Y", "NM1*IL*1*ROE*JOHN****MI*2CD5EF6GH78");
        assertThat(Claim837Check.problems(out)).isEmpty();
    }

    @Test
    void aReplacementClaimNamesTheClaimItReplaces() {
        ProfessionalClaim replacement = new ProfessionalClaim("CL202603-0001", "11", ClaimFrequency.REPLACEMENT, "22026091234567", List.of("I10"),
                new RenderingProvider("LEE", "SAM", PRACTICE_NPI), List.of(ServiceLine.on(MARCH_30, "99454", usd("60"), 1, 1)));
        List<String> segments = segments(write(List.of(new SubscriberClaim(JANE, replacement))));

        assertThat(segments).containsSubsequence("CLM*CL202603-0001*60***11:B:7*Y*A*Y*Y", "REF*F8*22026091234567", "HI*ABK:I10");
        // The rendering NPI is the practice's: no 2310B (billing-rules.md 4).
        assertThat(segments).noneMatch(s -> s.startsWith("NM1*82*"));
    }

    @Test
    void modifiersFollowTheProcedureCode() {
        ProfessionalClaim claim = new ProfessionalClaim("CL1", "11", ClaimFrequency.ORIGINAL, null, List.of("I10"), null, List.of(
                new ServiceLine("99457", List.of("GA", "59"), usd("55.5"), 1, List.of(1), MARCH_31, MARCH_31)));
        String out = write(List.of(new SubscriberClaim(JANE, claim)));

        assertThat(segments(out)).containsSubsequence("SV1*HC:99457:GA:59*55.5*UN*1***1", "DTP*472*D8*20260331");
    }

    @Test
    void oneSmallClaimMatchesTheGoldenFile() throws IOException {
        ProfessionalClaim small = new ProfessionalClaim("CL202603-0001", "11", ClaimFrequency.ORIGINAL, null, List.of("I10", "E11.9"), null,
                List.of(ServiceLine.on(MARCH_30, "99454", usd("60.00"), 1, 1),
                        ServiceLine.on(MARCH_31, "99457", usd("55.00"), 1, 1, 2)));
        String out = write(List.of(new SubscriberClaim(JANE, small)));

        try (InputStream golden = getClass().getResourceAsStream("/x12/claim837-one-small-claim.txt")) {
            assertThat(golden).as("golden file on the test class path").isNotNull();
            assertThat(out).isEqualTo(new String(golden.readAllBytes(), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void theParsedDocumentKeepsEveryValueWritten() throws IOException {
        X12Reader reader = new X12Reader(FileType.ANSI837_5010_X222, new StringReader(text));
        Loop claim = reader.getLoops().get(0).getLoop("2300", 1);
        Segment clm = claim.getSegment("CLM");

        assertThat(clm.getElementValue("CLM01")).isEqualTo("CL202603-0002");
        assertThat(clm.getElement("CLM05").getSubValues()).containsExactly("11", "B", "1");
        assertThat(claim.getLoop("2310B").getSegment("NM1").getElementValue("NM109")).isEqualTo(PRACTITIONER_NPI);
        assertThat(claim.findLoop("2400")).hasSize(5);
    }

    static List<String> segments(String x12) {
        return Arrays.stream(x12.split("~\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Element n (1-based) of a segment. */
    static String el(String segment, int n) {
        String[] parts = segment.split("\\*", -1);
        return n < parts.length ? parts[n] : "";
    }

    private static int indexOf(List<String> segments, String prefix) {
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no segment starting " + prefix);
    }
}
