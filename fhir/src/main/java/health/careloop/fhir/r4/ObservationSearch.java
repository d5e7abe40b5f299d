package health.careloop.fhir.r4;

import health.careloop.common.http.ApiException;
import health.careloop.fhir.r4.ResourceIds.ObservationKind;
import health.careloop.fhir.r4.SearchParameters.DateRange;
import health.careloop.fhir.r4.SearchParameters.Token;
import health.careloop.ingest.storage.ReadingQueries;
import health.careloop.ingest.storage.StoredReading;
import org.hl7.fhir.r4.model.Observation;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A patient's readings as Observations, one page at a time, by keyset over the readings (ingest's
 * {@link ReadingQueries#page}): a page costs the same however deep it is. One reading gives one or two Observations (the
 * heart rate of a cuff or oximeter is its own), so a page ends inside a reading when it must, and the cursor says so.
 */
public final class ObservationSearch {
    private static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("3000-01-01T00:00:00Z");
    /** The LOINC codes each kind of Observation answers to; glucose by its meal context below. */
    private static final Map<ObservationKind, Set<String>> CODES = Map.of(
            ObservationKind.BLOOD_PRESSURE, Set.of(ReadingObservations.LOINC_BP_PANEL),
            ObservationKind.WEIGHT, Set.of(ReadingObservations.LOINC_BODY_WEIGHT),
            ObservationKind.OXYGEN_SATURATION, Set.of(ReadingObservations.LOINC_OXYGEN_SATURATION, ReadingObservations.LOINC_PULSE_OXIMETRY),
            ObservationKind.GLUCOSE, Set.of(ReadingObservations.LOINC_GLUCOSE, ReadingObservations.LOINC_FASTING_GLUCOSE_CAPILLARY),
            ObservationKind.HEART_RATE_OF_CUFF, Set.of(ReadingObservations.LOINC_HEART_RATE),
            ObservationKind.HEART_RATE_OF_OXIMETER, Set.of(ReadingObservations.LOINC_HEART_RATE));

    /** The LOINC codes asked for; null: every Observation. */
    private final Set<String> codes;
    private final DateRange range;

    private ObservationSearch(Set<String> codes, DateRange range) {
        this.codes = codes;
        this.range = range;
    }

    /** Refuses a code CareLoop never emits, or a system other than LOINC, naming it. */
    public static ObservationSearch of(List<Token> tokens, DateRange range) {
        if (tokens.isEmpty()) {
            return new ObservationSearch(null, range);
        }
        Set<String> all = new LinkedHashSet<>();
        CODES.values().forEach(all::addAll);
        Set<String> codes = new LinkedHashSet<>();
        for (Token t : tokens) {
            if (t.system() != null && !t.system().equals(CodeSystems.LOINC)) {
                throw new ApiException(400, "unknown_code", "'code' system " + t.system() + " is not one CareLoop uses; readings are coded in LOINC ("
                        + CodeSystems.LOINC + ").");
            }
            if (!all.contains(t.code())) {
                throw new ApiException(400, "unknown_code", "'code' " + t.code() + " is no reading CareLoop stores; it answers " + String.join(", ", all) + ".");
            }
            codes.add(t.code());
        }
        return new ObservationSearch(codes, range);
    }

    public record Page(List<Observation> observations, String nextCursor) {
    }

    public Page page(Connection c, UUID patientId, int count, String cursor) throws SQLException {
        Set<ObservationKind> kinds = kinds();
        Set<String> types = new LinkedHashSet<>();
        kinds.forEach(k -> types.add(k.readingType()));
        boolean pulseOnly = kinds.stream().allMatch(ObservationKind::isHeartRate);
        Position start = cursor == null ? null : Position.decode(cursor);
        ReadingQueries.PagePosition position = start == null ? null : new ReadingQueries.PagePosition(start.measuredAt, start.deviceId, start.kind.readingType());
        Instant from = range.from() == null ? EARLIEST : range.from();
        Instant to = range.to() == null ? LATEST : range.to();
        List<Observation> out = new ArrayList<>();
        ReadingQueries.Identity done = null;
        int batch = Math.min(count + 1, SearchParameters.MAX_COUNT + 1);
        while (true) {
            List<StoredReading> rows = ReadingQueries.page(c, patientId, from, to, types, pulseOnly, position, batch);
            for (StoredReading r : rows) {
                if (done != null && r.measuredAt().equals(done.measuredAt()) && r.deviceId().equals(done.deviceId()) && r.type().equals(done.type())) {
                    continue;
                }
                for (ObservationKind kind : List.of(ObservationKind.primaryOf(r.type()), ObservationKind.heartRateOf(r.type()))) {
                    boolean resumesLater = start != null && isStartReading(r, start) && start.kind.isHeartRate() && !kind.isHeartRate();
                    if (resumesLater || !wanted(r, kind, kinds)) {
                        continue;
                    }
                    if (out.size() == count) {
                        return new Page(out, new Position(kind, r.measuredAt(), r.deviceId()).encode());
                    }
                    out.add(ReadingObservations.of(r, kind));
                }
            }
            if (rows.size() < batch) {
                return new Page(out, null);
            }
            StoredReading last = rows.get(rows.size() - 1);
            done = new ReadingQueries.Identity(last.deviceId(), last.type(), last.measuredAt());
            position = new ReadingQueries.PagePosition(last.measuredAt(), last.deviceId(), last.type());
            start = null;
        }
    }

    private static boolean isStartReading(StoredReading r, Position start) {
        return r.measuredAt().equals(start.measuredAt) && r.deviceId().equals(start.deviceId) && r.type().equals(start.kind.readingType());
    }

    private Set<ObservationKind> kinds() {
        Set<ObservationKind> kinds = EnumSet.noneOf(ObservationKind.class);
        CODES.forEach((kind, its) -> {
            if (codes == null || its.stream().anyMatch(codes::contains)) {
                kinds.add(kind);
            }
        });
        return kinds;
    }

    private boolean wanted(StoredReading r, ObservationKind kind, Set<ObservationKind> kinds) {
        if (!kinds.contains(kind) || kind.isHeartRate() && r.pulse() == null) {
            return false;
        }
        if (kind == ObservationKind.GLUCOSE && codes != null) {
            return codes.contains("fasting".equals(r.mealContext()) ? ReadingObservations.LOINC_FASTING_GLUCOSE_CAPILLARY : ReadingObservations.LOINC_GLUCOSE);
        }
        return true;
    }

    /** Where the next page starts: the first Observation it holds (opaque to clients: base64url of kind, time and device). */
    record Position(ObservationKind kind, Instant measuredAt, String deviceId) {
        String encode() {
            String raw = kind.name() + "|" + ResourceIds.micros(measuredAt) + "|" + deviceId;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(String cursor) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 3);
                return new Position(ObservationKind.valueOf(parts[0]), ResourceIds.instant(Long.parseLong(parts[1])), parts[2]);
            } catch (RuntimeException e) {
                throw new ApiException(400, "invalid_cursor", "'_cursor' is not one this server wrote; follow the Bundle's next link as given.");
            }
        }
    }
}
