package health.careloop.billing.x12;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static health.careloop.billing.x12.Claim837Fixtures.twoPatients;
import static health.careloop.billing.x12.Claim837Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The check the writer runs on its own output finds what a broken file would have: a "no errors" from x12-parser is
 * only worth something if its errors show up when there are some.
 */
class Claim837CheckTest {
    private static final String GOOD = write(twoPatients());

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "payer loop removed              | NM1*PR*2*MEDICARE PART B*****PI*12202~\\nCLM*CL202603-0001 | CLM*CL202603-0001 | 2010BB is required but not found",
            "HI removed                      | HI*ABK:I10*ABF:E119~\\n                                  |                   | HI in loop 2300 is required but not found",
            "SBR removed                     | SBR*P*18*******MB~\\nNM1*IL*1*DOE                     | NM1*IL*1*DOE      | SBR in loop 2000B is required but not found",
            "line without its date           | DTP*472*D8*20260330~\\nLX*2~                            | LX*2~             | DTP in loop 2400 is required but not found",
            "line without a charge           | SV1*HC:99454*60*UN                                        | SV1*HC:99454**UN  | SV1 in loop 2400 is missing a required element at 2",
            "wrong diagnosis qualifier       | HI*ABK:I10                                                | HI*ABX:I10        | HI01-01 (Diagnosis Type Code) is 'ABX', not one of [ABK, BK]",
            "institutional facility code     | 11:B:1                                                    | 11:A:1            | CLM05-02 (Facility Code Qualifier) is 'A', not one of [B]",
            "wrong segment count             | SE*60*0001                                                | SE*61*0001        | SE01 (segments in ST 0001) is '61', expected '60'",
            "trailer control number          | SE*60*0001                                                | SE*60*0002        | SE02 (= ST02) is '0002', expected '0001'",
            "group control number            | GE*1*42                                                   | GE*1*43           | GE02 (= GS06) is '43', expected '42'",
            "interchange control number      | IEA*1*000000042                                           | IEA*1*000000043   | IEA02 (= ISA13) is '000000043', expected '000000042'",
            "claim total off by a cent       | CLM*CL202603-0002*301.71                                  | CLM*CL202603-0002*301.72 | claim CL202603-0002: CLM02 301.72 is not the sum of its line charges, 301.71",
            "decimal point in HI             | ABF:E119                                                  | ABF:E11.9         | HI code E11.9 has a decimal point",
            "pointer past the diagnoses      | SV1*HC:99490*70*UN*1***1:2                                | SV1*HC:99490*70*UN*1***1:3 | SV107 pointer 3 past its 2 diagnoses",
            "HL numbers skip                 | HL*3*1*22*0                                               | HL*4*1*22*0       | HL01 is '4', expected '3'",
    })
    void findsWhatIsWrong(String name, String from, String to, String problem) {
        from = from.replace("\\n", "\n");
        to = to == null ? "" : to.replace("\\n", "\n");
        assertThat(GOOD).contains(from);

        assertThat(Claim837Check.problems(GOOD.replace(from, to))).anySatisfy(p -> assertThat(p).contains(problem));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"not an interchange", "ISA*00*short~"})
    void somethingThatIsNotAnInterchangeHasProblems(String text) {
        assertThat(Claim837Check.problems(text)).isNotEmpty();
    }

    @Test
    void findsNothingInTheWritersOutput() {
        assertThat(Claim837Check.problems(GOOD)).isEmpty();
    }
}
