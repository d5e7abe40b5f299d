package health.careloop.common.audit;

import health.careloop.common.auth.Principal;
import health.careloop.common.http.ApiAuthentication;
import health.careloop.common.http.ApiResponses;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Records every API call, signed in or not, in core.audit_event once its response has ended (HIPAA 164.312(b)):
 * who (or which address, for strangers and sign-ins), what (method, path, query string), the outcome, the practice
 * whose record was addressed, and every patient the answer named: the one in the path, those named {@code patientId}
 * anywhere in a JSON answer, and those a handler names with {@link #patients} (files, lists whose items are patients).
 * The insert happens off the request's path ({@link AuditWriter}); while the writer is too far behind, new calls are
 * refused with 503 rather than served unaudited. Mount it first on the API router, before authentication.
 */
public final class AuditTrail implements Handler<RoutingContext> {
    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    private static final String PATIENTS = "careloop.audit.patients";
    private static final String SIGN_IN = "careloop.audit.signIn";

    private final AuditWriter writer;

    public AuditTrail(AuditWriter writer) {
        this.writer = writer;
    }

    /** The patients whose data a response or a file holds, where the answer is not JSON naming them as patientId. */
    public static void patients(RoutingContext ctx, Collection<UUID> patientIds) {
        Set<UUID> named = ctx.get(PATIENTS);
        if (named == null) {
            named = new LinkedHashSet<>();
            ctx.put(PATIENTS, named);
        }
        named.addAll(patientIds);
    }

    /** Marks a sign-in attempt for this e-mail address: the event names the account it was for, if there is one. */
    public static void signIn(RoutingContext ctx, String email) {
        ctx.put(SIGN_IN, email);
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (writer.saturated()) {
            writer.countRefusal();
            ctx.response().putHeader("Retry-After", "5");
            ApiResponses.error(ctx, 503, "audit_unavailable",
                    "CareLoop cannot record access right now (its audit trail is not being written), so it answers nothing; try again shortly.");
            return;
        }
        Instant at = Instant.now();
        ctx.addEndHandler(done -> writer.submit(recordedOrBare(ctx, at)));
        ctx.next();
    }

    /** Should completing the event fail, the call is still recorded with what the request line says. */
    private static AuditWriter.Recorded recordedOrBare(RoutingContext ctx, Instant at) {
        try {
            return recorded(ctx, at);
        } catch (RuntimeException e) {
            log.error("Audit event of {} recorded without its details: {}", ctx.request().method(), e.toString());
            String actor = ctx.get(ApiAuthentication.ACTOR);
            return new AuditWriter.Recorded(new AuditEvent(at, actor == null ? AuditEvent.ANONYMOUS : actor, null, ctx.request().method().name(),
                    ctx.request().path() == null ? "?" : ctx.request().path(), ctx.request().query(), ctx.response().getStatusCode(), null, null,
                    null, null), null, Map.of(), null);
        }
    }

    private static AuditWriter.Recorded recorded(RoutingContext ctx, Instant at) {
        Principal principal = ctx.get(Principal.CONTEXT_KEY);
        String actor = ctx.get(ApiAuthentication.ACTOR);
        UUID callerPractice = principal == null ? null : principal.practiceId();
        int outcome = ctx.response().ended() ? ctx.response().getStatusCode() : AuditEvent.CONNECTION_ENDED;

        Set<UUID> named = new LinkedHashSet<>();
        Set<UUID> handed = ctx.get(PATIENTS);
        if (handed != null) {
            named.addAll(handed);
        }
        collectPatientIds(ctx.get(ApiResponses.RESPONSE_BODY), named);
        UUID patient = uuidOrNull(ctx.pathParam("patientId"));
        if (patient != null) {
            named.remove(patient);
        } else if (named.size() == 1) {
            patient = named.iterator().next();
            named.clear();
        }

        boolean lookUp = callerPractice == null || outcome / 100 != 2;
        var remote = ctx.request().remoteAddress();
        AuditEvent event = new AuditEvent(at, actor == null ? AuditEvent.ANONYMOUS : actor, principal == null ? null : principal.staffId(),
                ctx.request().method().name(), ctx.normalizedPath(), ctx.request().query(), outcome, null, patient,
                new ArrayList<>(named), remote == null ? null : remote.hostAddress());
        return new AuditWriter.Recorded(event, callerPractice, lookUp ? addressed(ctx) : Map.of(), ctx.get(SIGN_IN));
    }

    /** The ids a request named, for finding the practice of the record it addressed: path, then query, then body. */
    private static Map<String, String> addressed(RoutingContext ctx) {
        Map<String, String> ids = new LinkedHashMap<>(ctx.pathParams());
        for (String name : List.of("practiceId", "patientId")) {
            String value = ctx.queryParams().get(name);
            if (value != null) {
                ids.putIfAbsent(name, value);
            }
        }
        // FHIR searches name their patient as patient=Patient/<id> (or subject=).
        for (String name : List.of("patient", "subject")) {
            String value = ctx.queryParams().get(name);
            if (value != null) {
                ids.putIfAbsent("patientId", value.startsWith("Patient/") ? value.substring("Patient/".length()) : value);
            }
        }
        JsonObject body = bodyOrNull(ctx);
        if (body != null) {
            for (String name : List.of("practiceId", "patientId")) {
                if (body.getValue(name) instanceof String value) {
                    ids.putIfAbsent(name, value);
                }
            }
        }
        return ids;
    }

    private static JsonObject bodyOrNull(RoutingContext ctx) {
        try {
            return ctx.body() == null || ctx.body().length() <= 0 ? null : ctx.body().asJsonObject();
        } catch (RuntimeException notAnObject) {
            return null;
        }
    }

    /** Every value of a "patientId" field, at any depth of a JSON answer. */
    static void collectPatientIds(Object json, Set<UUID> into) {
        if (json instanceof JsonObject object) {
            collectPatientIds(object.getMap(), into);
        } else if (json instanceof JsonArray array) {
            collectPatientIds(array.getList(), into);
        } else if (json instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if ("patientId".equals(entry.getKey()) && entry.getValue() instanceof String id) {
                    UUID uuid = uuidOrNull(id);
                    if (uuid != null) {
                        into.add(uuid);
                    }
                } else {
                    collectPatientIds(entry.getValue(), into);
                }
            }
        } else if (json instanceof List<?> list) {
            for (Object element : list) {
                collectPatientIds(element, into);
            }
        }
    }

    private static UUID uuidOrNull(String value) {
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
