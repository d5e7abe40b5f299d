package health.careloop.fhir.r4;

import health.careloop.ingest.storage.ReadingQueries;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * FHIR ids for records whose own keys are not FHIR ids. A FHIR id is 1-64 of {@code [A-Za-z0-9.-]}; a device id may
 * also hold {@code _}, and a reading is keyed by (device, type, measured at). Both are written reversibly:
 * {@code .} becomes {@code ..} and {@code _} becomes {@code .-}, so a read by id finds the record without a look-up
 * table. A key that would not fit in 64 characters gets no id (empty): a device with a very long id is still shown
 * inside its patient's record, but cannot be read on its own. A reading entered by a person has a pseudo device
 * ({@code careloop-entered-<patient id>}, ingest's {@link ReadingQueries#ENTERED_PREFIX}), written {@code .e} and the
 * patient id's 32 hex digits: no escaped device id holds {@code .e}, so the two cannot clash, and the id stays within
 * 64 characters ({@code hrbp-<11 characters>-.e<32>} is 50).
 */
public final class ResourceIds {
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9.\\-]{1,64}");
    private static final String ENTERED = ".e";
    private static final Pattern HEX_UUID = Pattern.compile("[0-9a-f]{32}");

    private ResourceIds() {
    }

    /** What an Observation shows of a reading: the reading itself, or the heart rate its cuff or oximeter measured too. */
    public enum ObservationKind {
        BLOOD_PRESSURE("bp", "blood_pressure"), GLUCOSE("glu", "blood_glucose"), WEIGHT("wt", "body_weight"),
        OXYGEN_SATURATION("spo2", "oxygen_saturation"), HEART_RATE_OF_CUFF("hrbp", "blood_pressure"),
        HEART_RATE_OF_OXIMETER("hrspo2", "oxygen_saturation");

        private final String prefix;
        private final String readingType;

        ObservationKind(String prefix, String readingType) {
            this.prefix = prefix;
            this.readingType = readingType;
        }

        public String readingType() {
            return readingType;
        }

        public boolean isHeartRate() {
            return this == HEART_RATE_OF_CUFF || this == HEART_RATE_OF_OXIMETER;
        }

        /** The reading's own observation (not the heart rate taken with it). */
        public static ObservationKind primaryOf(String readingType) {
            for (ObservationKind k : values()) {
                if (!k.isHeartRate() && k.readingType.equals(readingType)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("No observation for reading type " + readingType);
        }

        public static ObservationKind heartRateOf(String readingType) {
            return "blood_pressure".equals(readingType) ? HEART_RATE_OF_CUFF : HEART_RATE_OF_OXIMETER;
        }
    }

    /** A reading's observation, decoded from its id. */
    public record ObservationKey(ObservationKind kind, Instant measuredAt, String deviceId) {
    }

    public static Optional<String> device(String deviceId) {
        String id = escape(deviceId);
        return FHIR_ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    }

    public static Optional<String> deviceIdOf(String fhirId) {
        return unescape(fhirId);
    }

    /** {@code <kind>-<epoch microseconds, base 36>-<device>}, e.g. {@code bp-1h2k3x0k2ps-cuff-1001} (PostgreSQL keeps microseconds). */
    public static Optional<String> observation(ObservationKind kind, Instant measuredAt, String deviceId) {
        String id = kind.prefix + "-" + Long.toString(micros(measuredAt), 36) + "-" + readingDevice(deviceId);
        return FHIR_ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    }

    public static Optional<ObservationKey> observationKey(String fhirId) {
        String[] parts = fhirId.split("-", 3);
        if (parts.length != 3) {
            return Optional.empty();
        }
        ObservationKind kind = null;
        for (ObservationKind k : ObservationKind.values()) {
            if (k.prefix.equals(parts[0])) {
                kind = k;
            }
        }
        if (kind == null) {
            return Optional.empty();
        }
        long micros;
        try {
            micros = Long.parseLong(parts[1], 36);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        ObservationKind found = kind;
        return readingDeviceOf(parts[2]).map(device -> new ObservationKey(found, instant(micros), device));
    }

    /** A reading's device in its Observation id: escaped, or for a reading entered by a person, {@code .e} and the patient id. */
    private static String readingDevice(String deviceId) {
        if (deviceId.startsWith(ReadingQueries.ENTERED_PREFIX)) {
            try {
                String id = deviceId.substring(ReadingQueries.ENTERED_PREFIX.length());
                if (UUID.fromString(id).toString().equals(id)) {
                    return ENTERED + id.replace("-", "");
                }
            } catch (IllegalArgumentException e) {
                // not ingest's pseudo device after all: written as any device id
            }
        }
        return escape(deviceId);
    }

    private static Optional<String> readingDeviceOf(String part) {
        if (!part.startsWith(ENTERED)) {
            return unescape(part);
        }
        String hex = part.substring(ENTERED.length());
        if (!HEX_UUID.matcher(hex).matches()) {
            return Optional.empty();
        }
        UUID patient = new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
        return Optional.of(ReadingQueries.ENTERED_PREFIX + patient);
    }

    static long micros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    private static String escape(String key) {
        return key.replace(".", "..").replace("_", ".-");
    }

    private static Optional<String> unescape(String id) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < id.length(); i++) {
            char ch = id.charAt(i);
            if (ch != '.') {
                out.append(ch);
                continue;
            }
            if (i + 1 >= id.length()) {
                return Optional.empty();
            }
            char next = id.charAt(++i);
            if (next == '.') {
                out.append('.');
            } else if (next == '-') {
                out.append('_');
            } else {
                return Optional.empty();
            }
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out.toString());
    }
}
