package health.careloop.common.auth;

import health.careloop.common.audit.AuditTrail;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.ApiAuthentication;
import health.careloop.common.http.QueryParams;
import health.careloop.common.http.RequestBody;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Sign-in and staff accounts: POST /auth/login (no token needed), POST /auth/logout (this session),
 * POST /auth/logout-everywhere (all of the caller's sessions), GET /auth/me, GET/POST /staff,
 * POST /staff/{id}/deactivate, POST /staff/{id}/password and POST /staff/{id}/role (admins, within their practice; the system token for any
 * practice). Deactivating an account, resetting its password or changing its role ends all its sessions.
 */
public final class AuthApi {
    private final StaffAccounts accounts;
    private final LoginThrottle throttle;

    public AuthApi(StaffAccounts accounts, LoginThrottle throttle) {
        this.accounts = accounts;
        this.throttle = throttle;
    }

    /** Routes that need no token; mount before authentication. */
    public void mountPublic(Router api) {
        api.post("/auth/login").handler(this::login);
    }

    public void mount(Router api) {
        api.post("/auth/logout").handler(ctx -> {
            String token = ApiAuthentication.bearer(ctx);
            ApiResponses.respondBlocking(ctx, 200, () -> {
                accounts.signOut(token);
                return new JsonObject().put("signedOut", true);
            });
        });
        api.post("/auth/logout-everywhere").handler(this::signOutEverywhere);
        api.get("/auth/me").handler(ctx -> ApiResponses.json(ctx, 200, json(Principal.of(ctx))));
        api.get("/staff").handler(this::list);
        api.post("/staff").handler(this::create);
        api.post("/staff/:staffId/deactivate").handler(this::deactivate);
        api.post("/staff/:staffId/password").handler(this::resetPassword);
        api.post("/staff/:staffId/role").handler(this::changeRole);
    }

    /** Ends all of the caller's sessions, this one included (a lost phone, a shared computer left signed in). */
    private void signOutEverywhere(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        if (principal.isSystem()) {
            throw ApiException.badRequest("The API token has no sessions; rotate CARELOOP_API_TOKEN to revoke it.");
        }
        ApiResponses.respondBlocking(ctx, 200, () -> new JsonObject().put("signedOut", true)
                .put("sessionsEnded", accounts.signOutEverywhere(principal.staffId())));
    }

    private void deactivate(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.MANAGE_STAFF);
        UUID staffId = RequestBody.parseUuid("staffId", ctx.pathParam("staffId"));
        if (staffId.equals(principal.staffId())) {
            throw ApiException.conflict("An administrator cannot deactivate their own account; ask another administrator.");
        }
        ApiResponses.respondBlocking(ctx, 200, () -> {
            visibleStaff(principal, staffId);
            int ended = accounts.deactivate(staffId).orElseThrow(() -> ApiException.notFound("No staff member " + staffId + "."));
            return json(accounts.find(staffId).orElseThrow()).put("sessionsEnded", ended);
        });
    }

    /** An administrator sets a new password (the person forgot theirs, or it may be known to someone else). */
    private void resetPassword(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.MANAGE_STAFF);
        UUID staffId = RequestBody.parseUuid("staffId", ctx.pathParam("staffId"));
        String password = RequestBody.of(ctx).string("password", 200);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            visibleStaff(principal, staffId);
            int ended = accounts.resetPassword(staffId, password).orElseThrow(() -> ApiException.notFound("No staff member " + staffId + "."));
            return json(accounts.find(staffId).orElseThrow()).put("sessionsEnded", ended);
        });
    }

    /**
     * An administrator gives a colleague another role (a nurse becomes care coordinator, a locum physician's NPI is
     * recorded). Their sessions end, so no open page keeps the old role's buttons. Changing one's own role is refused:
     * an administrator could lock the practice out of its staff accounts.
     */
    private void changeRole(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.MANAGE_STAFF);
        UUID staffId = RequestBody.parseUuid("staffId", ctx.pathParam("staffId"));
        RequestBody body = RequestBody.of(ctx);
        StaffRole role = role(body.string("role", 40));
        String npi = body.optionalString("npi", 10).orElse(null);
        if (staffId.equals(principal.staffId())) {
            throw ApiException.conflict("An administrator cannot change their own role; ask another administrator.");
        }
        ApiResponses.respondBlocking(ctx, 200, () -> {
            visibleStaff(principal, staffId);
            int ended = accounts.changeRole(staffId, role, npi).orElseThrow(() -> ApiException.notFound("No staff member " + staffId + "."));
            return json(accounts.find(staffId).orElseThrow()).put("sessionsEnded", ended);
        });
    }

    private static StaffRole role(String name) {
        return StaffRole.fromWire(name).orElseThrow(() -> ApiException.badRequest(
                "'role' must be one of rn, lpn, ma, care_coordinator, physician, npp, billing, admin."));
    }

    /** Another practice's staff member answers 404, as every other record does. */
    private StaffMember visibleStaff(Principal principal, UUID staffId) throws java.sql.SQLException {
        StaffMember member = accounts.find(staffId).orElseThrow(() -> ApiException.notFound("No staff member " + staffId + "."));
        principal.requirePractice(member.practiceId(), "staff member " + staffId);
        return member;
    }

    private void login(RoutingContext ctx) {
        RequestBody body = RequestBody.of(ctx);
        String email = body.string("email", 254);
        String password = body.string("password", 200);
        AuditTrail.signIn(ctx, email);
        String address = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
        // Admitted before bcrypt and counted while in flight, so parallel guesses cannot outrun the limit.
        LoginThrottle.Admission attempt = throttle.admit(email, address);
        Optional<Duration> wait = attempt.refusal();
        if (wait.isPresent()) {
            long seconds = Math.max(1, wait.get().toSeconds());
            ctx.response().putHeader("Retry-After", Long.toString(seconds));
            throw new ApiException(429, "too_many_attempts", "Too many failed sign-ins. Try again in "
                    + Math.max(1, (seconds + 59) / 60) + " minute(s), or ask an administrator to reset the password.");
        }
        ApiResponses.respondBlocking(ctx, 200, () -> new JsonObject()
                .put("token", signIn(attempt, email, password))
                .put("idleTimeoutSeconds", StaffAccounts.IDLE_TIMEOUT.toSeconds())
                .put("maxAgeSeconds", StaffAccounts.MAX_AGE.toSeconds()));
    }

    private String signIn(LoginThrottle.Admission attempt, String email, String password) throws java.sql.SQLException {
        Optional<String> token;
        try {
            token = accounts.signIn(email, password);
        } catch (java.sql.SQLException | RuntimeException e) {
            attempt.abandoned();
            throw e;
        }
        if (token.isEmpty()) {
            attempt.failed();
            throw new ApiException(401, "unauthenticated", "The e-mail address or the password is wrong.");
        }
        attempt.succeeded();
        return token.get();
    }

    private void list(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.MANAGE_STAFF);
        UUID practice = practiceOf(ctx, principal, QueryParams.string(ctx, "practiceId").orElse(null));
        ApiResponses.respondBlocking(ctx, 200, () -> new JsonObject().put("items",
                accounts.list(practice).stream().map(AuthApi::json).toList()));
    }

    private void create(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.MANAGE_STAFF);
        RequestBody body = RequestBody.of(ctx);
        UUID practice = practiceOf(ctx, principal, body.optionalString("practiceId", 36).orElse(null));
        String email = body.string("email", 254);
        if (!email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            throw ApiException.badRequest("'email' must be an e-mail address.");
        }
        String name = body.string("displayName", 200);
        StaffRole role = role(body.string("role", 40));
        String npi = body.optionalString("npi", 10).orElse(null);
        String password = body.string("password", 200);
        ApiResponses.respondBlocking(ctx, 201, () -> json(accounts.create(practice, email, name, role, npi, password)));
    }

    /** Staff admins act on their own practice; the system token names one. */
    private static UUID practiceOf(RoutingContext ctx, Principal principal, String requested) {
        if (!principal.isSystem()) {
            if (requested != null && !requested.equals(principal.practiceId().toString())) {
                throw ApiException.notFound("No practice " + requested + ".");
            }
            return principal.practiceId();
        }
        if (requested == null) {
            throw ApiException.badRequest("'practiceId' is required with the API token.");
        }
        return RequestBody.parseUuid("practiceId", requested);
    }

    static JsonObject json(StaffMember m) {
        return new JsonObject().put("id", m.id().toString()).put("practiceId", m.practiceId().toString()).put("email", m.email())
                .put("displayName", m.displayName()).put("role", m.role().wireName()).put("npi", m.npi()).put("active", m.active());
    }

    static JsonObject json(Principal p) {
        return new JsonObject().put("staffId", p.staffId() == null ? null : p.staffId().toString())
                .put("practiceId", p.practiceId() == null ? null : p.practiceId().toString())
                .put("role", p.role().wireName()).put("displayName", p.displayName()).put("system", p.isSystem());
    }
}
