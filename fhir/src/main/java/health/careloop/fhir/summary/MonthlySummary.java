package health.careloop.fhir.summary;

import health.careloop.billing.claims.ClaimLine;
import health.careloop.billing.claims.NotBilled;
import health.careloop.clinical.alerts.Alert;
import health.careloop.clinical.careplan.CarePlanVersion;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What one patient's month in CareLoop comes to, for the EHR to file: the readings (data days, ranges, trends), the
 * alerts and their outcomes, the minutes by program and activity, the care plan version in force, and the claim lines
 * and the reasons for each (or why a code was not billed). Built by {@link MonthlySummaries}, rendered by
 * {@link SummaryPdf}.
 *
 * @param monthClosed whether the practice closed the month; claim lines exist only then
 */
public record MonthlySummary(UUID practiceId, String practiceName, UUID patientId, String mrn, String patientName, YearMonth month, ZoneId zone,
                             int dataDays, List<Measure> measures, List<Alert> alerts, Map<String, Map<String, Integer>> minutes,
                             CarePlanVersion carePlanInForce, boolean monthClosed, List<ClaimLine> claimLines, List<NotBilled> notBilled,
                             Instant generatedAt) {

    /** One measured quantity over the month: how many readings, the range, the mean, and the trend (first half to second half). */
    public record Measure(String name, String unit, int count, BigDecimal min, BigDecimal max, BigDecimal mean, BigDecimal firstHalfMean,
                          BigDecimal secondHalfMean) {
        /** The trend in words, e.g. "down 6.5 mmHg (first half 142.0, second half 135.5)". */
        public String trend() {
            if (firstHalfMean == null || secondHalfMean == null) {
                return "too few readings in one half of the month for a trend";
            }
            BigDecimal change = secondHalfMean.subtract(firstHalfMean);
            String direction = change.signum() == 0 ? "unchanged" : change.signum() > 0 ? "up " + change.abs() + " " + unit
                    : "down " + change.abs() + " " + unit;
            return direction + " (first half " + firstHalfMean + ", second half " + secondHalfMean + ")";
        }
    }
}
