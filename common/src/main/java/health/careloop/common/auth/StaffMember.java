package health.careloop.common.auth;

import java.util.UUID;

/** A staff account, without its password hash. */
public record StaffMember(UUID id, UUID practiceId, String email, String displayName, StaffRole role, String npi, boolean active) {

    public Principal principal() {
        return new Principal("staff:" + id, id, practiceId, role, displayName);
    }
}
