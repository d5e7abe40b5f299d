package health.careloop.clinical.alerts;

import health.careloop.clinical.rules.ReadingRef;
import health.careloop.clinical.rules.Severity;
import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.directory.Directory;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.QueryParams;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.RequestBody;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * GET /alerts, GET /patients/{patientId}/alerts, GET /alerts/stream (server-sent events), GET /alerts/{alertId},
 * POST /alerts/{alertId}/acknowledge|resolve|escalate.
 * Reading needs READ_CLINICAL, acting WORK_QUEUE; another practice's alert or patient answers 404.
 */
public final class AlertsApi {
    private static final int DEFAULT_LIMIT = 200;
    private static final int MAX_LIMIT = 1000;

    private final DataSource dataSource;
    private final Directory directory;

    public AlertsApi(DataSource dataSource) {
        this.dataSource = dataSource;
        this.directory = new Directory(dataSource);
    }

    public void mount(Router api) {
        api.get("/alerts").handler(this::list);
        api.get("/patients/:patientId/alerts").handler(this::listForPatient);
        // Before /alerts/:alertId, which would take "stream" for an id.
        api.get("/alerts/stream").handler(new QueueStream());
        api.get("/alerts/:alertId").handler(this::get);
        api.post("/alerts/:alertId/acknowledge").handler(ctx -> act(ctx, "acknowledge"));
        api.post("/alerts/:alertId/resolve").handler(ctx -> act(ctx, "resolve"));
        api.post("/alerts/:alertId/escalate").handler(ctx -> act(ctx, "escalate"));
    }

    private void list(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        Filters f = Filters.of(ctx);
        UUID practice = principal.isSystem() ? optionalUuid(ctx, "practiceId") : principal.practiceId();
        ApiResponses.respondBlocking(ctx, 200, () -> {
            try (Connection c = dataSource.getConnection()) {
                return items(AlertStore.list(c, practice, null, f.status, f.severity, f.rule, f.limit));
            }
        });
    }

    private void listForPatient(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        UUID patientId = RequestBody.parseUuid("patientId", ctx.pathParam("patientId"));
        Filters f = Filters.of(ctx);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            var patient = directory.patient(patientId).orElseThrow(() -> ApiException.notFound("No patient " + patientId + "."));
            principal.requirePractice(patient.practiceId(), "patient " + patientId);
            try (Connection c = dataSource.getConnection()) {
                return items(AlertStore.list(c, patient.practiceId(), patientId, f.status, f.severity, f.rule, f.limit))
                        .put("patientId", patientId.toString());
            }
        });
    }

    private void get(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        UUID alertId = RequestBody.parseUuid("alertId", ctx.pathParam("alertId"));
        ApiResponses.respondBlocking(ctx, 200, () -> {
            try (Connection c = dataSource.getConnection()) {
                return json(visible(c, principal, alertId, false));
            }
        });
    }

    private void act(RoutingContext ctx, String action) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.WORK_QUEUE);
        UUID alertId = RequestBody.parseUuid("alertId", ctx.pathParam("alertId"));
        String outcome;
        String reason;
        if (action.equals("resolve")) {
            outcome = RequestBody.of(ctx).text("outcome", 4000);
            reason = null;
        } else if (action.equals("escalate")) {
            outcome = null;
            reason = RequestBody.present(ctx) ? RequestBody.of(ctx).optionalText("reason", 1000).orElse(null) : null;
        } else {
            outcome = null;
            reason = null;
        }
        ApiResponses.respondBlocking(ctx, 200, () -> {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    Alert alert = visible(c, principal, alertId, true);
                    switch (action) {
                        case "acknowledge" -> AlertStore.acknowledge(c, alert, principal.actor());
                        case "resolve" -> AlertStore.resolve(c, alert, principal.actor(), outcome);
                        default -> AlertStore.escalate(c, alert, principal.actor(), reason == null ? "Escalated by " + principal.displayName() : reason);
                    }
                    Alert updated = AlertStore.find(c, alertId, false).orElseThrow();
                    c.commit();
                    return json(updated);
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
        });
    }

    private static Alert visible(Connection c, Principal principal, UUID alertId, boolean forUpdate) throws SQLException {
        Alert alert = AlertStore.find(c, alertId, forUpdate).orElseThrow(() -> ApiException.notFound("No alert " + alertId + "."));
        principal.requirePractice(alert.practiceId(), "alert " + alertId);
        return alert;
    }

    private static JsonObject items(java.util.List<Alert> alerts) {
        JsonArray items = new JsonArray();
        alerts.forEach(a -> items.add(json(a)));
        return new JsonObject().put("items", items);
    }

    public static JsonObject json(Alert a) {
        JsonArray readings = new JsonArray();
        for (ReadingRef r : a.readings()) {
            readings.add(new JsonObject().put("deviceId", r.deviceId()).put("type", r.type()).put("measuredAt", r.measuredAt().toString()));
        }
        JsonObject json = new JsonObject()
                .put("id", a.id().toString())
                .put("practiceId", a.practiceId().toString())
                .put("patientId", a.patientId().toString())
                .put("rule", a.ruleId())
                .put("severity", a.severity())
                .put("status", a.status())
                .put("message", a.message())
                .put("raisedAt", a.raisedAt().toString())
                .put("lastSeenAt", a.lastSeenAt().toString())
                .put("occurrences", a.occurrences())
                .put("readings", readings);
        put(json, "taskId", a.taskId());
        put(json, "acknowledgedBy", a.acknowledgedBy());
        put(json, "acknowledgedAt", a.acknowledgedAt());
        put(json, "escalatedBy", a.escalatedBy());
        put(json, "escalatedAt", a.escalatedAt());
        put(json, "escalationReason", a.escalationReason());
        put(json, "resolvedBy", a.resolvedBy());
        put(json, "resolvedAt", a.resolvedAt());
        put(json, "outcome", a.outcome());
        return json;
    }

    private static void put(JsonObject json, String key, Object value) {
        if (value != null) {
            json.put(key, value instanceof Instant || value instanceof UUID ? value.toString() : value);
        }
    }

    private static UUID optionalUuid(RoutingContext ctx, String name) {
        return QueryParams.uuid(ctx, name).orElse(null);
    }

    private record Filters(String status, String severity, String rule, int limit) {
        static Filters of(RoutingContext ctx) {
            String status = QueryParams.string(ctx, "status").orElse(null);
            if (status != null && !Alert.STATUSES.contains(status)) {
                throw ApiException.badRequest("'status' must be one of " + String.join(", ", Alert.STATUSES) + ".");
            }
            String severity = QueryParams.string(ctx, "severity").orElse(null);
            if (severity != null && Severity.fromWire(severity).isEmpty()) {
                throw ApiException.badRequest("'severity' must be critical, high or low.");
            }
            String rule = QueryParams.string(ctx, "rule").orElse(null);
            if (rule != null && !rule.matches("[a-z0-9_]{1,64}")) {
                throw ApiException.badRequest("'rule' must be a rule id such as bp_crisis.");
            }
            return new Filters(status, severity, rule, QueryParams.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT));
        }
    }
}
