package health.careloop.billing.acks;

import com.imsweb.x12.Loop;
import com.imsweb.x12.reader.X12Reader;
import com.imsweb.x12.reader.X12Reader.FileType;
import health.careloop.billing.export.Claim837Export;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The claims of an 837P CareLoop wrote, read back from the file itself with x12-parser (so what is recorded as sent is
 * exactly what the file holds): each claim's CLM01, its patient (CLM01 is made from the patient id and month) and the
 * codes of its service lines.
 */
public final class SentClaims {
    private SentClaims() {
    }

    /** @param patients the month's billed patients, among whom every claim's patient is */
    public static List<ClaimStatuses.SentClaim> of(String x12, YearMonth month, Collection<UUID> patients) {
        Map<String, UUID> byNumber = new HashMap<>();
        for (UUID patient : patients) {
            byNumber.put(Claim837Export.claimControlNumber(patient, month, 1), patient);
        }
        X12Reader reader;
        try {
            reader = new X12Reader(FileType.ANSI837_5010_X222, new StringReader(x12));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<ClaimStatuses.SentClaim> claims = new ArrayList<>();
        for (Loop isa : reader.getLoops()) {
            for (Loop claim : isa.findLoop("2300")) {
                String clm01 = AcknowledgementText.value(claim, "CLM", "CLM01");
                UUID patient = clm01 == null ? null : byNumber.get(clm01.length() > 18 ? clm01.substring(0, 18) : clm01);
                if (patient == null) {
                    throw new IllegalStateException("claim " + clm01 + " of the 837P names none of the month's patients");
                }
                List<String> codes = new ArrayList<>();
                for (Loop line : claim.findLoop("2400")) {
                    List<String> procedure = AcknowledgementText.components(line.getSegment("SV1"), "SV101");
                    if (procedure.size() >= 2) {
                        codes.add(procedure.get(1));
                    }
                }
                claims.add(new ClaimStatuses.SentClaim(clm01, patient, codes));
            }
        }
        return claims;
    }
}
