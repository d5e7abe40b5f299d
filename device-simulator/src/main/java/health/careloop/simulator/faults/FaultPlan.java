package health.careloop.simulator.faults;

import java.time.Duration;

/**
 * Which faults to inject, as fractions. Reading faults apply to single readings; device faults pick whole devices.
 *
 * @param duplicateFraction     readings sent a second time, unchanged (a device that missed the PUBACK)
 * @param malformedFraction     readings replaced by a payload the contract rejects (not JSON, missing field, ...)
 * @param implausibleFraction   readings replaced by a value outside physiological plausibility
 * @param offlineDeviceFraction devices that go offline for {@code offlineDays}, buffer, then send one array payload
 * @param skewedDeviceFraction  devices whose clock runs ahead by {@code clockSkew}
 */
public record FaultPlan(
        double duplicateFraction,
        double malformedFraction,
        double implausibleFraction,
        double offlineDeviceFraction,
        double skewedDeviceFraction,
        Duration clockSkew,
        int offlineDays) {

    public static final FaultPlan NONE = new FaultPlan(0, 0, 0, 0, 0, Duration.ofHours(3), 3);

    public FaultPlan {
        for (double f : new double[] {duplicateFraction, malformedFraction, implausibleFraction,
                offlineDeviceFraction, skewedDeviceFraction}) {
            if (f < 0 || f > 1) {
                throw new IllegalArgumentException("fault fractions are between 0 and 1, not " + f);
            }
        }
        if (malformedFraction + implausibleFraction > 1) {
            throw new IllegalArgumentException("malformed and implausible fractions add up to more than 1");
        }
        if (offlineDays < 1) {
            throw new IllegalArgumentException("offlineDays must be positive");
        }
        if (clockSkew.isNegative()) {
            // A clock behind could move readings before the device's assignment and make rejections ambiguous.
            throw new IllegalArgumentException("clock skew runs ahead only");
        }
    }

    public boolean any() {
        return duplicateFraction + malformedFraction + implausibleFraction + offlineDeviceFraction + skewedDeviceFraction > 0;
    }
}
