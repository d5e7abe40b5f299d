package health.careloop.simulator.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import health.careloop.simulator.devices.ReadingJson;
import health.careloop.simulator.mqtt.BrokerSettings;
import health.careloop.simulator.mqtt.DeviceConnections;
import health.careloop.simulator.physiology.PatientFactory;
import health.careloop.simulator.physiology.SimulatedPatient;
import health.careloop.simulator.registration.ApiToken;
import health.careloop.simulator.registration.CareLoopApi;
import health.careloop.simulator.registration.DemoRegistration;
import org.eclipse.paho.client.mqttv3.MqttException;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the common options into the pieces a mode runs with: the panel, registration, connections, the report. */
final class RunContext {
    private final CommonOptions options;
    private final PrintStream out;
    private final ZoneId zone;
    private final Map<String, Object> report = new LinkedHashMap<>();

    RunContext(CommonOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.zone = ZoneId.of(options.timeZone);
        if (options.patients < 1) {
            throw new IllegalArgumentException("--patients must be positive");
        }
        report.put("seed", options.seed);
        report.put("patients", options.patients);
    }

    ZoneId zone() {
        return zone;
    }

    List<SimulatedPatient> patients(LocalDate epoch, int spanDays) {
        List<SimulatedPatient> patients = new PatientFactory(options.seed, zone, epoch, spanDays, options.idPrefix)
                .create(options.patients);
        long devices = patients.stream().mapToLong(p -> p.devices().size()).sum();
        out.printf("%d patients with %d devices (seed %d, epoch %s)%n", patients.size(), devices, options.seed, epoch);
        return patients;
    }

    /** Registers the panel unless --no-register; every assignment starts at {@code validFrom}. */
    void registerIfAsked(List<SimulatedPatient> patients, Instant validFrom) throws IOException, InterruptedException {
        if (options.noRegister) {
            return;
        }
        String token = ApiToken.resolve(options.apiToken, System.getenv(ApiToken.ENV), options.apiTokenFile)
                .orElseThrow(() -> new IllegalStateException("no API token: give --api-token, set "
                        + ApiToken.ENV + " or write " + options.apiTokenFile + " (or run with --no-register)"));
        DemoRegistration.Summary summary = new DemoRegistration(new CareLoopApi(URI.create(options.api), token), !options.noRecords)
                .register(options.practiceId, options.practiceName, options.timeZone, patients, validFrom);
        out.println("registered " + summary.describe());
        summary.warnings().forEach(w -> out.println("registration: " + w));
        report.put("registration", summary);
    }

    DeviceConnections connect(int qos) {
        BrokerSettings settings = new BrokerSettings(options.broker, options.mqttUsername, options.mqttPassword,
                options.connections, options.perDeviceCredentials, options.devicePassword, qos, 1000);
        try {
            return DeviceConnections.open(settings, options.idPrefix + "-sim");
        } catch (MqttException e) {
            throw new IllegalStateException("cannot connect to the broker at " + options.broker + ": " + e.getMessage(), e);
        }
    }

    void put(String key, Object value) {
        report.put(key, value);
    }

    void writeReportIfAsked() throws IOException {
        if (options.reportFile != null) {
            ReadingJson.mapper().writer().with(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(options.reportFile.toFile(), report);
            out.println("report written to " + options.reportFile);
        }
    }
}
