package health.careloop.ingest.api;

import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.QueryParams;
import health.careloop.common.http.RequestBody;
import health.careloop.ingest.devices.Assignment;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import health.careloop.ingest.devices.DeviceCredentials;
import health.careloop.ingest.devices.DeviceDirectory;
import health.careloop.ingest.devices.DeviceInventory;
import health.careloop.ingest.devices.DeviceKind;
import health.careloop.ingest.devices.DeviceRecord;
import health.careloop.ingest.devices.DeviceRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * /api/v1/devices: register devices and assign them to patients over time; GET /devices lists a practice's inventory
 * (optionally one patient's devices) with the newest reading seen and a silence flag.
 */
public final class DeviceApi {
    private static final String DEVICE_ID = "[A-Za-z0-9._-]{1,64}";
    private static final String RESERVED_PREFIX = "careloop-";

    private final DeviceRegistry registry;
    private final DeviceDirectory directory;
    private final DeviceInventory inventory;
    private final Directory patients;
    private final DeviceCredentials credentials;

    public DeviceApi(DeviceRegistry registry, DeviceDirectory directory, DeviceInventory inventory, Directory patients,
                     DeviceCredentials credentials) {
        this.registry = registry;
        this.directory = directory;
        this.inventory = inventory;
        this.patients = patients;
        this.credentials = credentials;
    }

    public void mount(Router api) {
        api.post("/devices").handler(this::register);
        api.get("/devices").handler(this::list);
        api.get("/devices/:deviceId").handler(this::get);
        api.post("/devices/:deviceId/assignments").handler(this::assign);
        api.post("/devices/:deviceId/credentials").handler(this::issueCredentials);
    }

    /**
     * The device's MQTT username and a new password, shown this once (only a hash is kept); the old password stops
     * working. A provisioning system may send its own {"password"} of at least 20 characters instead.
     */
    private void issueCredentials(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.EDIT_PATIENTS);
        String deviceId = validDeviceId(ctx);
        Optional<String> chosen = RequestBody.present(ctx) ? RequestBody.of(ctx).optionalString("password", 200) : Optional.empty();
        if (chosen.isPresent() && chosen.get().length() < DeviceCredentials.MIN_CHOSEN_LENGTH) {
            throw ApiException.badRequest("'password' must be at least " + DeviceCredentials.MIN_CHOSEN_LENGTH
                    + " characters; leave it out to have CareLoop make one.");
        }
        ApiResponses.respondBlocking(ctx, 201, () -> {
            visibleDevice(principal, deviceId);
            String password = credentials.issue(deviceId, chosen)
                    .orElseThrow(() -> ApiException.notFound("Device '" + deviceId + "' is not registered."));
            return new JsonObject().put("deviceId", deviceId).put("mqttUsername", deviceId).put("mqttPassword", password)
                    .put("topic", "rpm/v1/devices/" + deviceId + "/readings");
        });
    }

    private void register(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.EDIT_PATIENTS);
        RequestBody body = RequestBody.of(ctx);
        String deviceId = body.identifier("deviceId", DEVICE_ID, "1-64 of letters, digits, '.', '_' and '-'");
        if (deviceId.toLowerCase(java.util.Locale.ROOT).startsWith(RESERVED_PREFIX)) {
            // Broker accounts and client ids named careloop-* are CareLoop's own (ingest, simulator, its canary).
            throw ApiException.badRequest("'deviceId' may not start with '" + RESERVED_PREFIX + "': those names are reserved for CareLoop's own broker accounts.");
        }
        UUID practiceId = body.uuid("practiceId");
        principal.requirePractice(practiceId, "practice " + practiceId);
        String kindName = body.string("kind", 40);
        DeviceKind kind = DeviceKind.fromWire(kindName).orElseThrow(() ->
                ApiException.badRequest("'kind' must be blood_pressure_cuff, glucometer, scale or pulse_oximeter."));
        String model = body.optionalString("model", 200).orElse(null);
        ApiResponses.respondBlocking(ctx, 201, () -> {
            DeviceRecord device = registry.register(deviceId, practiceId, kind, model);
            directory.invalidate(deviceId);
            return json(device);
        });
    }

    private void list(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        UUID requestedPractice = QueryParams.uuid(ctx, "practiceId").orElse(null);
        UUID patientId = QueryParams.uuid(ctx, "patientId").orElse(null);
        if (requestedPractice != null) {
            principal.requirePractice(requestedPractice, "practice " + requestedPractice);
        }
        ApiResponses.respondBlocking(ctx, 200, () -> {
            UUID practiceId = requestedPractice != null ? requestedPractice : principal.practiceId();
            if (patientId != null) {
                Patient patient = patients.patient(patientId).orElseThrow(() -> ApiException.notFound("No patient " + patientId + "."));
                principal.requirePractice(patient.practiceId(), "patient " + patientId);
                if (practiceId != null && !practiceId.equals(patient.practiceId())) {
                    throw ApiException.notFound("No patient " + patientId + ".");
                }
                practiceId = patient.practiceId();
            }
            if (practiceId == null) {
                throw ApiException.badRequest("The API token spans practices: give 'practiceId' or 'patientId'.");
            }
            Instant now = Instant.now();
            JsonArray items = new JsonArray();
            inventory.of(practiceId, patientId, now).forEach(item -> items.add(json(item, now)));
            return new JsonObject().put("practiceId", practiceId.toString()).put("silentAfterDays", DeviceInventory.SILENT_AFTER.toDays())
                    .put("lowBatteryPercent", DeviceInventory.LOW_BATTERY_PERCENT)
                    .put("lookBackDays", DeviceInventory.LOOK_BACK.toDays()).put("items", items);
        });
    }

    private void get(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        String deviceId = validDeviceId(ctx);
        ApiResponses.respondBlocking(ctx, 200, () -> json(visibleDevice(principal, deviceId)));
    }

    private DeviceRecord visibleDevice(Principal principal, String deviceId) throws java.sql.SQLException {
        DeviceRecord device = registry.find(deviceId)
                .orElseThrow(() -> ApiException.notFound("Device '" + deviceId + "' is not registered."));
        principal.requirePractice(device.practiceId(), "device '" + deviceId + "'");
        return device;
    }

    private void assign(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.EDIT_PATIENTS);
        String deviceId = validDeviceId(ctx);
        RequestBody body = RequestBody.of(ctx);
        UUID patientId = body.uuid("patientId");
        Instant from = body.optionalInstant("validFrom").orElseGet(Instant::now);
        Instant to = body.optionalInstant("validTo").orElse(null);
        ApiResponses.respondBlocking(ctx, 201, () -> {
            visibleDevice(principal, deviceId);
            Assignment assignment = registry.assign(deviceId, patientId, from, to);
            directory.invalidate(deviceId);
            return json(assignment).put("deviceId", deviceId);
        });
    }

    private static String validDeviceId(RoutingContext ctx) {
        String deviceId = ctx.pathParam("deviceId");
        if (!deviceId.matches(DEVICE_ID)) {
            throw ApiException.badRequest("A device id is 1-64 of letters, digits, '.', '_' and '-'.");
        }
        return deviceId;
    }

    static JsonObject json(DeviceRecord d) {
        return new JsonObject()
                .put("deviceId", d.deviceId())
                .put("practiceId", d.practiceId().toString())
                .put("kind", d.kind().wireName())
                .put("model", d.model())
                .put("registeredAt", d.registeredAt().toString())
                .put("assignments", d.assignments().stream().map(DeviceApi::json).toList());
    }

    static JsonObject json(DeviceInventory.Item d, Instant now) {
        return new JsonObject()
                .put("deviceId", d.deviceId())
                .put("kind", d.kind().wireName())
                .put("model", d.model())
                .put("registeredAt", d.registeredAt().toString())
                .put("patientId", d.patientId() == null ? null : d.patientId().toString())
                .put("assignedSince", d.assignedSince() == null ? null : d.assignedSince().toString())
                .put("lastMeasuredAt", d.lastMeasuredAt() == null ? null : d.lastMeasuredAt().toString())
                .put("lastReceivedAt", d.lastReceivedAt() == null ? null : d.lastReceivedAt().toString())
                .put("silent", d.silent(now))
                .put("batteryPercent", d.batteryPercent())
                .put("batteryReportedAt", d.batteryReportedAt() == null ? null : d.batteryReportedAt().toString())
                .put("batteryLow", d.batteryLow())
                .put("mqttPasswordSetAt", d.mqttPasswordSetAt() == null ? null : d.mqttPasswordSetAt().toString());
    }

    static JsonObject json(Assignment a) {
        return new JsonObject()
                .put("id", a.id())
                .put("patientId", a.patientId().toString())
                .put("validFrom", a.validFrom().toString())
                .put("validTo", a.validTo() == null ? null : a.validTo().toString());
    }
}
