package health.careloop.ingest.payload;

import java.util.List;

/** What one MQTT message held: the readings to store and what to dead-letter. Either list may be empty. */
public record DecodedMessage(List<Reading> readings, List<Rejection> rejections) {

    public int size() {
        return readings.size() + rejections.size();
    }
}
