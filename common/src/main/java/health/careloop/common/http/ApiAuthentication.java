package health.careloop.common.http;

import health.careloop.common.auth.Principal;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.auth.StaffMember;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Bearer-token authentication for the API: either a staff member's session token (from POST /api/v1/auth/login) or
 * the administrative token (CARELOOP_API_TOKEN, or the one generated into the data directory) for operators and the
 * simulator. The audit trail names the administrative token by a short fingerprint, never by its value.
 */
public final class ApiAuthentication implements Handler<RoutingContext> {
    public static final String ACTOR = "careloop.actor";

    private final byte[] adminDigest;
    private final Principal system;
    private final StaffAccounts staff;

    public ApiAuthentication(String adminToken, StaffAccounts staff) {
        this.adminDigest = sha256(adminToken);
        this.system = Principal.system("api-token:" + HexFormat.of().formatHex(adminDigest, 0, 4));
        this.staff = staff;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String token = bearer(ctx);
        if (token == null) {
            refuse(ctx);
        } else if (MessageDigest.isEqual(adminDigest, sha256(token))) {
            admit(ctx, system);
        } else {
            ctx.vertx().executeBlocking(() -> staff.authenticate(token), false).onComplete(result -> {
                Optional<StaffMember> member = result.succeeded() ? result.result() : Optional.empty();
                if (member.isPresent()) {
                    admit(ctx, member.get().principal());
                } else {
                    refuse(ctx);
                }
            });
        }
    }

    public static String bearer(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 512) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static void admit(RoutingContext ctx, Principal principal) {
        ctx.put(Principal.CONTEXT_KEY, principal);
        ctx.put(ACTOR, principal.actor());
        ctx.next();
    }

    /**
     * A 401 through the router's failure handler, so each API answers it in its own form: /api/v1's JSON error, /fhir/r4's
     * OperationOutcome.
     */
    private static void refuse(RoutingContext ctx) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"careloop\"");
        ctx.fail(new ApiException(401, "unauthenticated",
                "Send 'Authorization: Bearer <token>' with a session token from POST /api/v1/auth/login (sessions end after "
                        + StaffAccounts.IDLE_TIMEOUT.toMinutes() + " idle minutes) or the API token."));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
