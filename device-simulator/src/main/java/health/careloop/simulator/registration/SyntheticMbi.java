package health.careloop.simulator.registration;

import health.careloop.simulator.physiology.DerivedSeed;

/**
 * A Medicare Beneficiary Identifier in the CMS format (11 characters: digit 1-9, letter, letter or digit, digit,
 * letter, letter or digit, digit, letter, letter, digit, digit; letters without S, L, O, I, B, Z), made from the seed
 * and the patient index. The index, offset by a number derived from the seed, is written in the mixed radix of the
 * eleven positions, so different patients of one seed never share an MBI.
 */
public final class SyntheticMbi {
    static final String LETTERS = "ACDEFGHJKMNPQRTUVWXY";
    private static final String DIGITS = "0123456789";
    private static final String DIGITS_1_TO_9 = "123456789";
    private static final String LETTERS_OR_DIGITS = LETTERS + DIGITS;
    private static final String[] POSITIONS = {DIGITS_1_TO_9, LETTERS, LETTERS_OR_DIGITS, DIGITS, LETTERS,
            LETTERS_OR_DIGITS, DIGITS, LETTERS, LETTERS, DIGITS, DIGITS};
    /** How many MBIs there are: 9 x 20^5 x 30^2 x 10^4 (about 2.6 x 10^14). */
    static final long SPACE;

    static {
        long space = 1;
        for (String position : POSITIONS) {
            space *= position.length();
        }
        SPACE = space;
    }

    private SyntheticMbi() {
    }

    public static String of(long seed, int index) {
        long value = (Math.floorMod(DerivedSeed.of(seed, 0x4D4249L), SPACE) + index) % SPACE;
        char[] mbi = new char[POSITIONS.length];
        // Last position varies fastest, so consecutive patients differ in the trailing digits.
        for (int i = POSITIONS.length - 1; i >= 0; i--) {
            String alphabet = POSITIONS[i];
            mbi[i] = alphabet.charAt((int) (value % alphabet.length()));
            value /= alphabet.length();
        }
        return new String(mbi);
    }
}
