package health.careloop.common.auth;

import health.careloop.common.http.ApiException;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/**
 * Who is calling. A staff member is confined to their practice; the system principal (the administrative API token,
 * used by operators and the simulator) spans all practices but is not a person and cannot work the care queue.
 *
 * @param staffId    null for the system principal
 * @param practiceId null for the system principal (all practices)
 */
public record Principal(String actor, UUID staffId, UUID practiceId, StaffRole role, String displayName) {
    public static final String CONTEXT_KEY = "careloop.principal";

    public static Principal system(String actor) {
        return new Principal(actor, null, null, StaffRole.ADMIN, "system");
    }

    public static Principal of(RoutingContext ctx) {
        Principal principal = ctx.get(CONTEXT_KEY);
        if (principal == null) {
            throw new ApiException(401, "unauthenticated", "Sign in first.");
        }
        return principal;
    }

    public boolean isSystem() {
        return staffId == null;
    }

    public boolean canSee(UUID practice) {
        return isSystem() || practiceId.equals(practice);
    }

    /** Another practice's record answers 404, so its existence does not leak. */
    public void requirePractice(UUID practice, String what) {
        if (!canSee(practice)) {
            throw ApiException.notFound("No " + what + ".");
        }
    }

    public void require(Permission permission) {
        boolean granted = isSystem() ? !permission.personOnly() : permission.grantedTo(role);
        if (!granted) {
            throw new ApiException(403, "forbidden", "Your role (" + role.wireName() + ") may not do this.");
        }
    }
}
