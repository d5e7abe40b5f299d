package health.careloop.billing.acks;

import health.careloop.billing.export.Claim837Export;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which of a practice's claims a CLM01 names: a claim CareLoop recorded as sent, or else one its closed months' claim
 * lines make ({@link Claim837Export#claimControlNumber}: a hash of the patient id and the month), so an acknowledgement
 * of an 837 downloaded before sending was recorded still finds its claim. Only the practice's own claims are looked at:
 * another practice's CLM01 names nothing here. One instance per import (it keeps the months it has read).
 */
final class ClaimNumbers {
    private static final Pattern CLM01 = Pattern.compile("^([0-9A-F]{12})([0-9]{4})([0-9]{2})(?:-([2-9]))?$");

    private final Connection connection;
    private final UUID practiceId;
    private final Map<YearMonth, Map<String, UUID>> patientsByNumber = new HashMap<>();

    ClaimNumbers(Connection connection, UUID practiceId) {
        this.connection = connection;
        this.practiceId = practiceId;
    }

    Optional<ClaimStatuses.ClaimRef> resolve(String claimControlNumber) throws SQLException {
        Optional<ClaimStatus> known = ClaimStatuses.find(connection, practiceId, claimControlNumber, false);
        if (known.isPresent()) {
            return Optional.of(new ClaimStatuses.ClaimRef(claimControlNumber, known.get().patientId(), known.get().month()));
        }
        Matcher m = CLM01.matcher(claimControlNumber);
        if (!m.matches()) {
            return Optional.empty();
        }
        YearMonth month;
        try {
            month = YearMonth.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
        UUID patient = patientsOf(month).get(m.group(1) + m.group(2) + m.group(3));
        return patient == null ? Optional.empty() : Optional.of(new ClaimStatuses.ClaimRef(claimControlNumber, patient, month));
    }

    /** The month's billed patients by their first claim's CLM01. */
    private Map<String, UUID> patientsOf(YearMonth month) throws SQLException {
        Map<String, UUID> known = patientsByNumber.get(month);
        if (known != null) {
            return known;
        }
        Map<String, UUID> byNumber = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT DISTINCT patient_id FROM billing.claim_line WHERE practice_id = ? AND month = ?")) {
            ps.setObject(1, practiceId);
            ps.setDate(2, Date.valueOf(month.atDay(1)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID patient = rs.getObject(1, UUID.class);
                    byNumber.put(Claim837Export.claimControlNumber(patient, month, 1), patient);
                }
            }
        }
        patientsByNumber.put(month, byNumber);
        return byNumber;
    }
}
