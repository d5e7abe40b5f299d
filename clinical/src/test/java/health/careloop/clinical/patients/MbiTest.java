package health.careloop.clinical.patients;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MbiTest {
    @Test
    void theCmsExampleIsValidWithOrWithoutDashes() {
        assertThat(Mbi.normalise("1eg4-te5-mk73")).isEqualTo("1EG4TE5MK73");
        assertThat(Mbi.problem("1EG4TE5MK73")).isEmpty();
        assertThat(Mbi.problem("9A04C07DE12")).as("positions 3 and 6 may be digits").isEmpty();
    }

    @Test
    void eachRuleNamesThePositionItBreaks() {
        assertThat(Mbi.problem("1EG4TE5MK7")).hasValue("An MBI has 11 characters; '1EG4TE5MK7' has 10.");
        assertThat(Mbi.problem("0EG4TE5MK73")).hasValue("MBI position 1 must be a digit 1-9, not '0'.");
        assertThat(Mbi.problem("1SG4TE5MK73")).hasValue("MBI position 2 must be a letter other than S, L, O, I, B or Z, not 'S'.");
        assertThat(Mbi.problem("1EG4TE5MO73")).hasValue("MBI position 9 must be a letter other than S, L, O, I, B or Z, not 'O'.");
        assertThat(Mbi.problem("1EGATE5MK73")).hasValue("MBI position 4 must be a digit, not 'A'.");
        assertThat(Mbi.problem("1EB4TE5MK73")).hasValue("MBI position 3 must be a digit or a letter other than S, L, O, I, B or Z, not 'B'.");
        assertThat(Mbi.problem("1EG4TZ5MK73")).hasValue("MBI position 6 must be a digit or a letter other than S, L, O, I, B or Z, not 'Z'.");
    }

    @Test
    void allExcludedLettersAreRefused() {
        for (char excluded : "SLOIBZ".toCharArray()) {
            assertThat(Mbi.problem("1" + excluded + "G4TE5MK73")).isPresent();
        }
        assertThat(Mbi.LETTERS).hasSize(20);
    }
}
