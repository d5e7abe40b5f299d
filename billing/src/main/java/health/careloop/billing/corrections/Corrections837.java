package health.careloop.billing.corrections;

import health.careloop.billing.export.Claim837Export;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * What the month's 837 of corrections holds: every correction that is the latest of its claim and ready (a replacement
 * or void whose payer claim number is known, or a new claim), never one that waits. Pure; the API writes the file with
 * {@link Claim837Export#writeClaims}.
 */
public final class Corrections837 {
    private Corrections837() {
    }

    public static List<Claim837Export.ClaimToWrite> claims(List<Correction> corrections) {
        return ready(corrections).stream().map(k -> new Claim837Export.ClaimToWrite(k.patientId(), k.claimControlNumber(), k.frequency(),
                k.payerClaimControlNumber(), k.lines())).toList();
    }

    public static List<Correction> ready(List<Correction> corrections) {
        return corrections.stream().filter(k -> k.status() == Correction.Status.READY).toList();
    }

    /** The file's creation time: when its newest correction was made (a re-export is byte-identical). */
    public static Instant createdAt(List<Correction> ready) {
        return ready.stream().map(Correction::createdAt).max(Comparator.naturalOrder()).orElseThrow();
    }

    /**
     * ISA13 of a corrections file: from the practice, the month and the corrections it holds (CLM01 and version), so the
     * same corrections give the same number and another set another one; never the month's original number.
     */
    public static long interchangeControlNumber(UUID practiceId, YearMonth month, List<Correction> ready) {
        StringBuilder key = new StringBuilder(practiceId + "|" + month + "|corrections");
        ready.stream().map(k -> k.claimControlNumber() + ":" + k.version()).sorted().forEach(s -> key.append('|').append(s));
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(key.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (h[i] & 0xff);
        }
        long number = 1 + Math.floorMod(value, 999_999_999L);
        return number == Claim837Export.interchangeControlNumber(practiceId, month) ? number % 999_999_999L + 1 : number;
    }
}
