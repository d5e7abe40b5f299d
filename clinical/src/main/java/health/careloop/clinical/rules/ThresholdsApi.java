package health.careloop.clinical.rules;

import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.RequestBody;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/**
 * GET /patients/{patientId}/thresholds: every threshold with its default, the condition-adjusted value, any override
 * and its history. PUT: a provider (physician or NPP, CHANGE_THRESHOLDS_AND_CARE_PLANS) sets or removes overrides,
 * {"values": {"bp.crisis_systolic": 170, "spo2.low_below": null}, "reason": "..."}; each change is kept with who, when,
 * the old and new value and the reason.
 */
public final class ThresholdsApi {
    private static final int HISTORY = 100;

    private final DataSource dataSource;
    private final Directory directory;

    public ThresholdsApi(DataSource dataSource) {
        this.dataSource = dataSource;
        this.directory = new Directory(dataSource);
    }

    public void mount(Router api) {
        api.get("/patients/:patientId/thresholds").handler(this::get);
        api.put("/patients/:patientId/thresholds").handler(this::put);
    }

    private void get(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        UUID patientId = RequestBody.parseUuid("patientId", ctx.pathParam("patientId"));
        ApiResponses.respondBlocking(ctx, 200, () -> {
            visiblePatient(principal, patientId);
            try (Connection c = dataSource.getConnection()) {
                return view(c, patientId);
            }
        });
    }

    private void put(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.CHANGE_THRESHOLDS_AND_CARE_PLANS);
        if (principal.isSystem()) {
            // Thresholds are a clinician's decision (billing-rules.md 5: "clinician approves"); the API token is not one.
            throw new ApiException(403, "forbidden", "Only a physician or non-physician practitioner may change alert thresholds.");
        }
        UUID patientId = RequestBody.parseUuid("patientId", ctx.pathParam("patientId"));
        RequestBody body = RequestBody.of(ctx);
        String reason = body.text("reason", 1000);
        RequestBody values;
        try {
            values = body.optionalObject("values").filter(v -> !v.fieldNames().isEmpty()).orElseThrow();
        } catch (ApiException | java.util.NoSuchElementException e) {
            throw ApiException.badRequest("'values' must be an object of threshold keys to numbers (or null to remove an override).");
        }
        Map<ThresholdKey, BigDecimal> changes = new EnumMap<>(ThresholdKey.class);
        for (String name : values.fieldNames()) {
            ThresholdKey key = ThresholdKey.fromKey(name).orElseThrow(() -> ApiException.badRequest("Unknown threshold '" + name + "'."));
            // 1e309 arrives as Infinity, which BigDecimal cannot take (a 500 before): optionalNumber refuses it.
            Number n = values.optionalNumber(name).orElse(null);
            if (n == null) {
                changes.put(key, null);
                continue;
            }
            BigDecimal value = new BigDecimal(n.toString());
            if (!key.allows(value)) {
                throw ApiException.badRequest("'" + name + "' must be from " + key.min().toPlainString() + " to " + key.max().toPlainString() + ".");
            }
            changes.put(key, value);
        }
        ApiResponses.respondBlocking(ctx, 200, () -> {
            Patient patient = visiblePatient(principal, patientId);
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    ThresholdStore.change(c, patient.practiceId(), patientId, changes, principal.actor(), reason);
                    JsonObject view = view(c, patientId);
                    c.commit();
                    return view;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
        });
    }

    private Patient visiblePatient(Principal principal, UUID patientId) throws SQLException {
        Patient patient = directory.patient(patientId).orElseThrow(() -> ApiException.notFound("No patient " + patientId + "."));
        principal.requirePractice(patient.practiceId(), "patient " + patientId);
        return patient;
    }

    private static JsonObject view(Connection c, UUID patientId) throws SQLException {
        Thresholds effective = ThresholdStore.load(c, patientId);
        Map<ThresholdKey, ThresholdStore.Override> overrides = new EnumMap<>(ThresholdKey.class);
        ThresholdStore.overrides(c, patientId).forEach(o -> overrides.put(o.key(), o));
        JsonArray thresholds = new JsonArray();
        for (ThresholdKey key : ThresholdKey.values()) {
            JsonObject t = new JsonObject().put("key", key.key()).put("value", number(effective.value(key)))
                    .put("source", effective.source(key).name().toLowerCase(java.util.Locale.ROOT))
                    .put("default", number(key.defaultValue())).put("min", number(key.min())).put("max", number(key.max()))
                    .put("description", key.description());
            ThresholdStore.Override o = overrides.get(key);
            if (o != null) {
                t.put("override", new JsonObject().put("value", number(o.value())).put("setBy", o.setBy())
                        .put("setAt", o.setAt().toString()).put("reason", o.reason()));
            }
            thresholds.add(t);
        }
        JsonArray history = new JsonArray();
        for (ThresholdStore.Change ch : ThresholdStore.history(c, patientId, HISTORY)) {
            history.add(new JsonObject().put("key", ch.key().key()).put("oldValue", ch.oldValue() == null ? null : number(ch.oldValue()))
                    .put("newValue", ch.newValue() == null ? null : number(ch.newValue())).put("changedBy", ch.changedBy())
                    .put("changedAt", ch.changedAt().toString()).put("reason", ch.reason()));
        }
        return new JsonObject().put("patientId", patientId.toString())
                .put("conditions", new JsonArray(ThresholdStore.activeConditions(c, patientId)))
                .put("thresholds", thresholds).put("history", history);
    }

    private static Number number(BigDecimal value) {
        BigDecimal v = value.stripTrailingZeros();
        return v.scale() <= 0 ? (Number) v.longValue() : (Number) v.doubleValue();
    }
}
