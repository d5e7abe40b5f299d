package health.careloop.ingest.api;

import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.RequestBody;
import health.careloop.ingest.entered.EnteredReadings;
import health.careloop.ingest.payload.DecodedMessage;
import health.careloop.ingest.payload.MealContext;
import health.careloop.ingest.payload.ReadingDecoder;
import health.careloop.ingest.payload.ReadingType;
import health.careloop.ingest.payload.Rejection;
import health.careloop.ingest.storage.ReadingQueries;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * POST /api/v1/patients/{patientId}/entered-readings (ENTER_READINGS): a reading a person enters — a value the patient
 * phones in, a measurement taken in the clinic. The values go through the device payload's decoder (same types, units,
 * plausible ranges and time checks, each refusal naming its field), are stored flagged with who entered them and how
 * they arrived, and are judged by the same rules. They are never a data day: CMS counts device-transmitted data only.
 */
public final class EnteredReadingsApi {
    /** The value fields of each type (the payload contract's, less the device-only readingId and battery). */
    private static final Map<ReadingType, List<String>> FIELDS = Map.of(
            ReadingType.BLOOD_PRESSURE, List.of("systolic", "diastolic", "pulse"),
            ReadingType.BLOOD_GLUCOSE, List.of("glucose", "unit", "mealContext"),
            ReadingType.BODY_WEIGHT, List.of("weight", "unit"),
            ReadingType.OXYGEN_SATURATION, List.of("spo2", "pulse"));
    private static final List<String> ALL_VALUE_FIELDS = List.of("systolic", "diastolic", "pulse", "glucose", "unit", "mealContext", "weight", "spo2");
    private static final Map<ReadingType, List<String>> UNITS = Map.of(ReadingType.BLOOD_GLUCOSE, List.of("mg/dL", "mmol/L"),
            ReadingType.BODY_WEIGHT, List.of("kg", "lb"));

    private final EnteredReadings store;
    private final Directory directory;
    private final ReadingDecoder decoder;

    public EnteredReadingsApi(EnteredReadings store, Directory directory, ReadingDecoder decoder) {
        this.store = store;
        this.directory = directory;
        this.decoder = decoder;
    }

    public void mount(Router api) {
        api.post("/patients/:patientId/entered-readings").handler(this::enter);
    }

    private void enter(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.ENTER_READINGS);
        UUID patientId = RequestBody.parseUuid("patientId", ctx.pathParam("patientId"));
        RequestBody body = RequestBody.of(ctx);
        EnteredReadings.Source source = EnteredReadings.Source.fromWire(body.string("source", 20))
                .orElseThrow(() -> ApiException.badRequest("'source' must be phoned_in or clinic."));
        String note = body.optionalText("note", 2000).orElse(null);
        JsonObject payload = payload(body);
        ApiResponses.respondBlocking(ctx, 201, () -> {
            Patient patient = directory.patient(patientId).orElseThrow(() -> ApiException.notFound("No patient " + patientId + "."));
            principal.requirePractice(patient.practiceId(), "patient " + patientId);
            ZoneId zone = directory.practice(patient.practiceId()).map(p -> p.timeZone()).orElse(ZoneId.of("UTC"));
            DecodedMessage decoded = decoder.decode(ReadingQueries.ENTERED_PREFIX + patientId, payload.encode().getBytes(StandardCharsets.UTF_8));
            if (!decoded.rejections().isEmpty()) {
                throw refused(decoded.rejections().get(0));
            }
            return ReadingsApi.json(store.record(patient.practiceId(), zone, patientId, decoded.readings().get(0), source, note, principal.staffId()))
                    .put("note", note);
        });
    }

    /**
     * The reading as a device would have sent it, each string checked here so that a refusal names its field; the values
     * then go through the device payload's decoder (plausible ranges, units, not in the future, within retention).
     */
    private static JsonObject payload(RequestBody body) {
        String typeName = body.string("type", 40);
        ReadingType type = ReadingType.fromWire(typeName).orElseThrow(() -> ApiException.badRequest(
                "'type' must be blood_pressure, blood_glucose, body_weight or oxygen_saturation."));
        Instant measuredAt = body.instant("measuredAt");
        JsonObject payload = new JsonObject().put("type", type.wireName()).put("measuredAt", measuredAt.toString());
        List<String> allowed = FIELDS.get(type);
        for (String field : ALL_VALUE_FIELDS) {
            if (!body.has(field)) {
                continue;
            }
            if (!allowed.contains(field)) {
                throw ApiException.badRequest("'" + field + "' is not a field of a " + typeName.replace('_', ' ') + " reading (it has "
                        + String.join(", ", allowed) + ").");
            }
            if (field.equals("unit")) {
                String unit = body.string("unit", 10);
                if (!UNITS.get(type).contains(unit)) {
                    throw ApiException.badRequest("'unit' must be " + String.join(" or ", UNITS.get(type)) + ".");
                }
                payload.put("unit", unit);
            } else if (field.equals("mealContext")) {
                String meal = body.string("mealContext", 20);
                payload.put("mealContext", MealContext.fromWire(meal).map(MealContext::wireName).orElseThrow(() -> ApiException.badRequest(
                        "'mealContext' must be fasting, before_meal, after_meal, bedtime or random.")));
            } else {
                payload.put(field, body.optionalNumber(field).orElseThrow(() -> ApiException.badRequest("'" + field + "' must be a number.")));
            }
        }
        return payload;
    }

    /** A decoder refusal as a 400 naming the field it is about (the decoder's own words follow). */
    private static ApiException refused(Rejection rejection) {
        String detail = rejection.detail();
        String field = switch (rejection.reason()) {
            case MEASURED_IN_FUTURE, MEASURED_TOO_OLD, INVALID_TIMESTAMP -> "measuredAt";
            default -> ALL_VALUE_FIELDS.stream().filter(detail::contains).findFirst().orElse("type");
        };
        return new ApiException(400, "invalid_reading", "'" + field + "': " + detail + ".");
    }
}
