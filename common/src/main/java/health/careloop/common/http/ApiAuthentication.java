package health.careloop.common.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Bearer-token authentication for the API. For now there is one administrative token (CARELOOP_API_TOKEN, or the one
 * generated into the data directory); staff accounts with roles arrive with the clinical tier and replace it for people.
 * The audit trail names the token by a short fingerprint, never by its value.
 */
public final class ApiAuthentication implements Handler<RoutingContext> {
    public static final String ACTOR = "careloop.actor";

    private final byte[] expectedDigest;
    private final String actor;

    public ApiAuthentication(String token) {
        this.expectedDigest = sha256(token);
        this.actor = "api-token:" + HexFormat.of().formatHex(expectedDigest, 0, 4);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                && MessageDigest.isEqual(expectedDigest, sha256(header.substring(7).trim()))) {
            ctx.put(ACTOR, actor);
            ctx.next();
            return;
        }
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"careloop\"");
        ApiResponses.error(ctx, 401, "unauthenticated", "Send 'Authorization: Bearer <token>' with a valid API token.");
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
