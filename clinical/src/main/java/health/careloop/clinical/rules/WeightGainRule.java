package health.careloop.clinical.rules;

import health.careloop.ingest.storage.StoredReading;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Heart-failure weight gain over a span (> 0.9 kg / 2 lb in 24 h; > 2.3 kg / 5 lb in 7 days [S45]), for patients
 * whose thresholds enable weight trends (heart failure). Pairs are taken in measured order: the new reading against
 * the lightest reading up to a span before it, and against the heaviest reading up to a span after it, so a reading
 * that arrives late (a scale that synced days later) is judged where it belongs in time.
 */
public final class WeightGainRule implements ReadingRule {
    public static final String ID_24H = "hf_weight_gain_24h";
    public static final String ID_7D = "hf_weight_gain_7d";
    private static final BigDecimal KG_PER_LB = new BigDecimal("0.45359237");

    private final String id;
    private final Duration span;
    private final ThresholdKey limitKey;

    private WeightGainRule(String id, Duration span, ThresholdKey limitKey) {
        this.id = id;
        this.span = span;
        this.limitKey = limitKey;
    }

    public static WeightGainRule over24Hours() {
        return new WeightGainRule(ID_24H, Duration.ofHours(24), ThresholdKey.WEIGHT_GAIN_24H_KG);
    }

    public static WeightGainRule over7Days() {
        return new WeightGainRule(ID_7D, Duration.ofDays(7), ThresholdKey.WEIGHT_GAIN_7D_KG);
    }

    private static boolean applies(StoredReading reading, Thresholds thresholds) {
        return "body_weight".equals(reading.type()) && reading.weightKg() != null && thresholds.enabled(ThresholdKey.WEIGHT_TREND_ENABLED);
    }

    @Override
    public boolean needsRecent(StoredReading reading, Thresholds thresholds) {
        return applies(reading, thresholds);
    }

    @Override
    public List<Finding> evaluate(StoredReading reading, List<StoredReading> recent, Thresholds thresholds) {
        if (!applies(reading, thresholds)) {
            return List.of();
        }
        BigDecimal limit = thresholds.value(limitKey);
        List<StoredReading> weights = recent.stream().filter(r -> "body_weight".equals(r.type()) && r.weightKg() != null).toList();
        Optional<StoredReading> lightestBefore = weights.stream()
                .filter(r -> r.measuredAt().isBefore(reading.measuredAt()) && !r.measuredAt().isBefore(reading.measuredAt().minus(span)))
                .min(Comparator.comparing(StoredReading::weightKg));
        if (lightestBefore.isPresent() && reading.weightKg().subtract(lightestBefore.get().weightKg()).compareTo(limit) > 0) {
            return List.of(finding(lightestBefore.get(), reading, reading));
        }
        Optional<StoredReading> heaviestAfter = weights.stream()
                .filter(r -> r.measuredAt().isAfter(reading.measuredAt()) && !r.measuredAt().isAfter(reading.measuredAt().plus(span)))
                .max(Comparator.comparing(StoredReading::weightKg));
        if (heaviestAfter.isPresent() && heaviestAfter.get().weightKg().subtract(reading.weightKg()).compareTo(limit) > 0) {
            return List.of(finding(reading, heaviestAfter.get(), reading));
        }
        return List.of();
    }

    private Finding finding(StoredReading from, StoredReading to, StoredReading trigger) {
        BigDecimal gain = to.weightKg().subtract(from.weightKg());
        BigDecimal pounds = gain.divide(KG_PER_LB, 1, RoundingMode.HALF_UP);
        String message = "Weight up " + gain.stripTrailingZeros().toPlainString() + " kg (" + pounds.toPlainString() + " lb) within "
                + (span.toHours() <= 24 ? "24 h" : span.toDays() + " days") + ": " + from.weightKg().stripTrailingZeros().toPlainString()
                + " kg at " + from.measuredAt() + " to " + to.weightKg().stripTrailingZeros().toPlainString() + " kg at " + to.measuredAt();
        return Finding.onReading(id, Severity.HIGH, message, ReadingRef.of(trigger), List.of(ReadingRef.of(from), ReadingRef.of(to)));
    }
}
