package health.careloop.simulator.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options every mode shares: who the patients are, where the broker and the API are. */
final class CommonOptions {
    @Option(names = "--broker", defaultValue = "tcp://127.0.0.1:1883", description = "MQTT broker URL (default: ${DEFAULT-VALUE})")
    String broker;

    @Option(names = "--mqtt-username", defaultValue = "${env:CARELOOP_MQTT_USERNAME}",
            description = "username of the shared connections (default: $CARELOOP_MQTT_USERNAME, else anonymous)")
    String mqttUsername;

    @Option(names = "--mqtt-password", defaultValue = "${env:CARELOOP_MQTT_PASSWORD}",
            description = "password of the shared connections (default: $CARELOOP_MQTT_PASSWORD)")
    String mqttPassword;

    @Option(names = "--connections", defaultValue = "4",
            description = "shared MQTT connections the devices are spread over (default: ${DEFAULT-VALUE})")
    int connections;

    @Option(names = "--per-device-credentials",
            description = "one connection per device, MQTT username and client id = device id, for brokers with ACLs")
    boolean perDeviceCredentials;

    @Option(names = "--device-password", description = "MQTT password of every device with --per-device-credentials")
    String devicePassword;

    @Option(names = "--api", defaultValue = "http://127.0.0.1:8080", description = "CareLoop base URL (default: ${DEFAULT-VALUE})")
    String api;

    @Option(names = "--api-token", description = "API bearer token (default: $CARELOOP_API_TOKEN, else --api-token-file)")
    String apiToken;

    @Option(names = "--api-token-file", defaultValue = "careloop-data/admin-token",
            description = "file holding the API token (default: ${DEFAULT-VALUE})")
    Path apiTokenFile;

    @Option(names = "--no-register", description = "do not register practice, patients and devices through the API")
    boolean noRegister;

    @Option(names = "--no-records",
            description = "register patients and devices only: no demographics, diagnoses, consent or enrolment (load tests)")
    boolean noRecords;

    @Option(names = "--practice-name", defaultValue = "Simulated Practice",
            description = "practice to register into: the one of this name and --time-zone, else a new one (default: ${DEFAULT-VALUE})")
    String practiceName;

    @Option(names = "--practice-id", description = "register into this existing practice instead of creating one")
    String practiceId;

    @Option(names = "--time-zone", defaultValue = "America/Chicago", description = "the patients' and practice's time zone (default: ${DEFAULT-VALUE})")
    String timeZone;

    @Option(names = "--patients", defaultValue = "200", description = "patients to simulate (default: ${DEFAULT-VALUE})")
    int patients;

    @Option(names = "--seed", defaultValue = "42", description = "seed; the same seed gives the same patients and readings (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--id-prefix", defaultValue = "sim",
            description = "prefix of device ids (sim-bp-000001) and, upper-cased, patient refs (SIM-000001) (default: ${DEFAULT-VALUE})")
    String idPrefix;

    @Option(names = "--report-file", description = "also write the counts as JSON to this file")
    Path reportFile;
}
