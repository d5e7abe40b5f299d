package health.careloop.common.directory;

import java.util.UUID;

/** The minimal identity of a patient that every tier refers to; demographics live in the clinical tier. */
public record Patient(UUID id, UUID practiceId, String externalRef) {
}
