package health.careloop.common.setup;

import health.careloop.common.audit.AuditTrail;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.RequestBody;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;

/**
 * The first-run setup, before anyone can sign in: GET /api/v1/setup says whether it is still needed; POST /api/v1/setup
 * makes the first practice and its administrator. Mounted before authentication (nobody has an account yet), so the
 * request carries the install's API token in its body instead: whoever can read the server's data directory (or knows
 * CARELOOP_API_TOKEN) may set it up, a stranger on the network may not. Audited like every call, under the account it
 * made.
 */
public final class FirstRunSetupApi {
    private final FirstRunSetup setup;
    private final byte[] tokenDigest;

    public FirstRunSetupApi(FirstRunSetup setup, String apiToken) {
        this.setup = setup;
        this.tokenDigest = sha256(apiToken);
    }

    /** Routes that need no session; mount before authentication. */
    public void mountPublic(Router api) {
        api.get("/setup").handler(ctx -> ApiResponses.respondBlocking(ctx, 200, () -> new JsonObject().put("needed", setup.needed())));
        api.post("/setup").handler(this::run);
    }

    private void run(RoutingContext ctx) {
        RequestBody body = RequestBody.of(ctx);
        String token = body.string("setupToken", 512);
        String practiceName = body.string("practiceName", 200);
        ZoneId zone = body.zone("timeZone");
        String adminName = body.string("adminName", 200);
        String adminEmail = body.string("adminEmail", 254);
        if (!adminEmail.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw ApiException.badRequest("'adminEmail' must be an e-mail address.");
        }
        String adminPassword = body.string("adminPassword", 200);
        // The account this call was for: the trail then names the new administrator and practice (or, for a refused
        // try against an install that has that account, its practice).
        AuditTrail.signIn(ctx, adminEmail);
        String address = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
        ApiResponses.respondBlocking(ctx, 201, () -> {
            if (!setup.needed()) {
                throw FirstRunSetup.alreadyDone();
            }
            if (!MessageDigest.isEqual(tokenDigest, sha256(token.trim()))) {
                throw new ApiException(403, "wrong_setup_token", "That is not this CareLoop's setup token. Paste the whole contents of the file "
                        + "admin-token in CareLoop's data directory on the server (the start-up log names it), or the value of CARELOOP_API_TOKEN "
                        + "where that is set.");
            }
            FirstRunSetup.Done done = setup.run(practiceName, zone, adminName, adminEmail, adminPassword, address);
            return new JsonObject()
                    .put("practice", new JsonObject().put("id", done.practice().id().toString()).put("name", done.practice().name())
                            .put("timeZone", done.practice().timeZone().getId()))
                    .put("admin", new JsonObject().put("id", done.admin().id().toString()).put("email", done.admin().email())
                            .put("displayName", done.admin().displayName()).put("role", done.admin().role().wireName()));
        });
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
