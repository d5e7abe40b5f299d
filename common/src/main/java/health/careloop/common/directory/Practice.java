package health.careloop.common.directory;

import java.time.ZoneId;
import java.util.UUID;

/** A practice (tenant) with the time zone its data days and billing months are counted in. */
public record Practice(UUID id, String name, ZoneId timeZone) {
}
