package health.careloop.common.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One row of core.audit_event: who asked what, when, from where, with which outcome, about which practice and patients.
 *
 * @param staffId    the calling staff member, or for a sign-in the account it was for; null for the API token and strangers
 * @param practiceId the practice whose record was addressed (also when refused), else the caller's; null when none is known
 * @param patientId  the one patient addressed or answered about, if there was exactly one
 * @param patientIds the patients a list, an export or a file named (null when none besides {@code patientId})
 * @param outcome    the HTTP status answered ({@link #CONNECTION_ENDED} when the client went away first)
 */
public record AuditEvent(Instant at, String actor, UUID staffId, String action, String resource, String query, int outcome,
                         UUID practiceId, UUID patientId, List<UUID> patientIds, String clientAddress) {
    /** Outcome recorded when the connection ended before an answer was sent (nginx's convention). */
    public static final int CONNECTION_ENDED = 499;
    public static final String ANONYMOUS = "anonymous";
    static final int MAX_RESOURCE = 500;
    static final int MAX_QUERY = 2000;
    static final int MAX_ADDRESS = 64;

    public AuditEvent {
        patientIds = patientIds == null || patientIds.isEmpty() ? null : List.copyOf(patientIds);
    }

    /** Actor of a staff member, as {@code Principal} names them. */
    static String staffActor(UUID staffId) {
        return "staff:" + staffId;
    }
}
