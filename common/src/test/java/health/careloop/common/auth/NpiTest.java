package health.careloop.common.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NpiTest {
    @Test
    void acceptsNpisWithTheirCheckDigitAndRefusesOthers() {
        assertThat(Npi.isValid("1234567893")).isTrue();   // CMS's worked example
        assertThat(Npi.isValid("1234567890")).isFalse();
        assertThat(Npi.isValid("123456789")).isFalse();
        assertThat(Npi.isValid("12345678a3")).isFalse();
        assertThat(Npi.isValid(null)).isFalse();
    }
}
