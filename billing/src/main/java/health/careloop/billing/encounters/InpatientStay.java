package health.careloop.billing.encounters;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * A hospital or SNF inpatient stay; no CCM time counts during it (billing-rules.md 2.1 [S22]).
 *
 * @param dischargedAt null while the patient is still in
 */
public record InpatientStay(UUID id, UUID practiceId, UUID patientId, Setting setting, Instant admittedAt, Instant dischargedAt,
                            String recordedBy, Instant recordedAt) {

    public enum Setting {
        HOSPITAL("hospital"), SNF("skilled nursing facility");

        private final String words;

        Setting(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static java.util.Optional<Setting> fromWire(String value) {
            return java.util.Arrays.stream(values()).filter(s -> s.wireName().equals(value)).findFirst();
        }
    }

    /** The end of the stay for counting: its discharge, or far in the future while it is open. */
    public Instant until() {
        return dischargedAt == null ? Instant.MAX : dischargedAt;
    }

    public JsonObject toJson() {
        return new JsonObject().put("id", id.toString()).put("patientId", patientId.toString()).put("setting", setting.wireName())
                .put("admittedAt", admittedAt.toString()).put("dischargedAt", dischargedAt == null ? null : dischargedAt.toString())
                .put("recordedBy", recordedBy).put("recordedAt", recordedAt.toString());
    }
}
