package health.careloop.ingest.api;

import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.directory.Directory;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.QueryParams;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.RequestBody;
import health.careloop.ingest.payload.ReadingType;
import health.careloop.ingest.storage.ReadingQueries;
import health.careloop.ingest.storage.StoredReading;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

/** GET /api/v1/patients/{patientId}/readings and …/data-days: a patient's stored readings in a time range. */
public final class ReadingsApi {
    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;

    private final ReadingQueries queries;
    private final Directory directory;

    public ReadingsApi(ReadingQueries queries, Directory directory) {
        this.queries = queries;
        this.directory = directory;
    }

    /** Worker thread: the patient must exist and belong to a practice the caller may see (else 404). */
    private void requireVisiblePatient(Principal principal, UUID patientId) throws java.sql.SQLException {
        var patient = directory.patient(patientId).orElseThrow(() -> ApiException.notFound("No patient " + patientId + "."));
        principal.requirePractice(patient.practiceId(), "patient " + patientId);
    }

    public void mount(Router api) {
        api.get("/patients/:patientId/readings").handler(this::readings);
        api.get("/patients/:patientId/data-days").handler(this::dataDays);
    }

    private void readings(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        UUID patientId = RequestBody.parseUuid("patientId", ctx.pathParam("patientId"));
        Instant to = instantParam(ctx, "to", Instant.now().plus(Duration.ofMinutes(5)));
        Instant from = instantParam(ctx, "from", to.minus(Duration.ofDays(30)));
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("'from' must be before 'to'.");
        }
        String type = QueryParams.string(ctx, "type").orElse(null);
        if (type != null && ReadingType.fromWire(type).isEmpty()) {
            throw ApiException.badRequest("'type' must be blood_pressure, blood_glucose, body_weight or oxygen_saturation.");
        }
        int limit = QueryParams.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            requireVisiblePatient(principal, patientId);
            JsonArray items = new JsonArray();
            queries.readings(patientId, from, to, type, limit).forEach(r -> items.add(json(r)));
            return new JsonObject().put("patientId", patientId.toString()).put("from", from.toString()).put("to", to.toString())
                    .put("items", items);
        });
    }

    private void dataDays(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        UUID patientId = RequestBody.parseUuid("patientId", ctx.pathParam("patientId"));
        LocalDate from = dateParam(ctx, "from");
        LocalDate to = dateParam(ctx, "to");
        if (from.isAfter(to) || from.plusDays(400).isBefore(to)) {
            throw ApiException.badRequest("'from' must not be after 'to', and the range must be at most 400 days.");
        }
        ApiResponses.respondBlocking(ctx, 200, () -> {
            requireVisiblePatient(principal, patientId);
            JsonArray days = new JsonArray();
            queries.dataDays(patientId, from, to).forEach((date, count) ->
                    days.add(new JsonObject().put("date", date.toString()).put("readings", count)));
            return new JsonObject().put("patientId", patientId.toString()).put("from", from.toString()).put("to", to.toString())
                    .put("dataDays", days.size()).put("days", days);
        });
    }

    static JsonObject json(StoredReading r) {
        JsonObject json = new JsonObject()
                .put("deviceId", r.deviceId())
                .put("type", r.type())
                .put("measuredAt", r.measuredAt().atOffset(ZoneOffset.ofTotalSeconds(r.offsetMinutes() * 60)).toString())
                .put("receivedAt", r.receivedAt().toString())
                .put("localDate", r.localDate().toString())
                .put("unit", r.unit())
                .put("loinc", r.loinc());
        if (r.enteredByStaff()) {
            // A person entered it (phoned in, measured in the clinic): drawn apart, judged by the rules, never a data day.
            json.put("enteredBy", r.enteredBy().toString()).put("entrySource", r.entrySource());
        }
        if (r.readingId() != null) {
            json.put("readingId", r.readingId());
        }
        if (r.sourceUnit() != null) {
            json.put("sourceUnit", r.sourceUnit());
        }
        JsonArray components = new JsonArray();
        switch (r.type()) {
            case "blood_pressure" -> {
                json.put("systolic", r.systolic()).put("diastolic", r.diastolic());
                components.add(component(ReadingType.LOINC_SYSTOLIC, r.systolic(), "mm[Hg]"));
                components.add(component(ReadingType.LOINC_DIASTOLIC, r.diastolic(), "mm[Hg]"));
            }
            case "blood_glucose" -> {
                json.put("glucose", number(r.glucoseMgDl()));
                if (r.mealContext() != null) {
                    json.put("mealContext", r.mealContext());
                }
            }
            case "body_weight" -> json.put("weight", number(r.weightKg()));
            case "oxygen_saturation" -> json.put("spo2", number(r.spo2()));
            default -> {
            }
        }
        if (r.pulse() != null) {
            json.put("pulse", r.pulse());
            components.add(component(ReadingType.LOINC_HEART_RATE, r.pulse(), "/min"));
        }
        if (!components.isEmpty()) {
            json.put("components", components);
        }
        return json;
    }

    private static JsonObject component(String loinc, Object value, String ucum) {
        return new JsonObject().put("loinc", loinc).put("value", value).put("unit", ucum);
    }

    private static Number number(BigDecimal value) {
        return value.stripTrailingZeros().scale() <= 0 ? (Number) value.longValue() : (Number) value.doubleValue();
    }

    private static Instant instantParam(RoutingContext ctx, String name, Instant defaultValue) {
        return QueryParams.instant(ctx, name).orElse(defaultValue);
    }

    private static LocalDate dateParam(RoutingContext ctx, String name) {
        return QueryParams.date(ctx, name).orElseThrow(() -> ApiException.badRequest("'" + name + "' (a date, YYYY-MM-DD) is required."));
    }
}
