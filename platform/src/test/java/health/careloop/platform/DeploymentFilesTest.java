package health.careloop.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped deployment files, read as a machine would (no Docker engine here to run them): every image pinned, the
 * broker secured as DESIGN.md says, two ingest processes with their own session ids, health checks and restart
 * policies everywhere, every secret from the untracked .env that .env.example documents, Prometheus scraping every
 * CareLoop process, and the images compose names are the ones the Jib profile builds.
 */
class DeploymentFilesTest {
    private static final Path ROOT = Path.of("..");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** SnakeYAML resolves the merge keys ({@code <<: *careloop}) compose relies on; Jackson's YAML reader does not. */
    private static JsonNode compose() throws Exception {
        Object tree = new org.yaml.snakeyaml.Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        return YAML.valueToTree(tree);
    }

    @Test
    void everyServiceIsPinnedHealthCheckedAndRestarted() throws Exception {
        JsonNode services = compose().path("services");
        assertThat(services.fieldNames()).toIterable().contains("timescaledb", "mosquitto", "clinical", "ingest-1", "ingest-2",
                "billing", "prometheus", "simulator");
        services.fields().forEachRemaining(service -> {
            String image = service.getValue().path("image").asText();
            assertThat(image).as(service.getKey() + " image").contains(":").doesNotEndWith(":latest");
            if (!service.getKey().equals("simulator")) {
                assertThat(service.getValue().path("restart").asText()).as(service.getKey() + " restart").isEqualTo("unless-stopped");
            }
            if (!Set.of("simulator", "prometheus").contains(service.getKey())) {
                assertThat(service.getValue().has("healthcheck")).as(service.getKey() + " health check").isTrue();
            }
        });
        assertThat(services.path("timescaledb").path("image").asText()).startsWith("timescale/timescaledb:2.");
        assertThat(services.path("timescaledb").path("volumes").toString()).contains("pgdata:/var/lib/postgresql/data");
        // The server's log leaves out DETAIL lines, which quote the values of a refused row (patient data).
        assertThat(services.path("timescaledb").path("command").toString()).contains("log_error_verbosity=terse");
        Matcher mosquitto = Pattern.compile("eclipse-mosquitto:2\\.0\\.(\\d+)").matcher(services.path("mosquitto").path("image").asText());
        assertThat(mosquitto.matches()).isTrue();
        assertThat(Integer.parseInt(mosquitto.group(1))).as("Mosquitto 2.0.13 or later (DEPENDENCIES.md)").isGreaterThanOrEqualTo(13);
        assertThat(services.path("simulator").path("profiles").toString()).contains("simulator");
    }

    @Test
    void eachTierIsItsOwnProcessAndTheIngestProcessesHaveTheirOwnSessions() throws Exception {
        JsonNode services = compose().path("services");
        assertThat(services.path("clinical").path("environment").path("CARELOOP_ROLE").asText()).isEqualTo("clinical");
        assertThat(services.path("billing").path("environment").path("CARELOOP_ROLE").asText()).isEqualTo("billing");
        Set<String> clientIds = new TreeSet<>();
        for (String ingest : List.of("ingest-1", "ingest-2")) {
            JsonNode env = services.path(ingest).path("environment");
            assertThat(env.path("CARELOOP_ROLE").asText()).isEqualTo("ingest");
            clientIds.add(env.path("CARELOOP_INGEST_CLIENT_ID").asText());
            // The broker makes every client id its user name (use_username_as_clientid): the session is the account's.
            assertThat(env.path("CARELOOP_MQTT_USERNAME").asText()).isEqualTo(env.path("CARELOOP_INGEST_CLIENT_ID").asText());
            // Longer than CareLoop's own drain bound (CareLoop.SHUTDOWN_BOUND), so SIGTERM is never cut short.
            assertThat(services.path(ingest).path("stop_grace_period").asText()).isEqualTo("30s");
        }
        assertThat(clientIds).hasSize(2).doesNotContain("");
        assertThat(CareLoop.SHUTDOWN_BOUND.toSeconds()).isLessThan(30);
    }

    @Test
    void secretsComeFromTheUntrackedEnvFileThatTheExampleDocuments() throws Exception {
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        Set<String> required = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z_]+):\\?").matcher(compose);
        while (m.find()) {
            required.add(m.group(1));
        }
        assertThat(required).contains("POSTGRES_PASSWORD", "CARELOOP_DB_PASSWORD", "CARELOOP_API_TOKEN", "MQTT_INGEST_PASSWORD", "MQTT_SIMULATOR_PASSWORD");
        String example = Files.readString(ROOT.resolve(".env.example"));
        for (String variable : required) {
            assertThat(example).as(".env.example documents " + variable).containsPattern("(?m)^" + variable + "=");
        }
        assertThat(Files.readAllLines(ROOT.resolve(".gitignore"))).contains(".env", "deploy/mosquitto/passwd");
        assertThat(compose).doesNotContainPattern("(?i)password: [a-z0-9]");
    }

    @Test
    void careLoopConnectsAsItsOwnRoleNotTheDatabaseSuperuser() throws Exception {
        JsonNode services = compose().path("services");
        JsonNode database = services.path("timescaledb").path("environment");
        String superuser = database.path("POSTGRES_USER").asText("");
        superuser = superuser.isEmpty() ? "postgres" : superuser; // the image's default
        String role = database.path("CARELOOP_DB_USER").asText();
        assertThat(role).as("the role the init script makes").isNotBlank().isNotEqualTo(superuser);
        assertThat(database.path("CARELOOP_DB_PASSWORD").asText()).isEqualTo("${CARELOOP_DB_PASSWORD:?set CARELOOP_DB_PASSWORD in .env}");
        for (String service : List.of("clinical", "ingest-1", "ingest-2", "billing")) {
            JsonNode env = services.path(service).path("environment");
            assertThat(env.path("CARELOOP_DB_USER").asText()).as(service + " connects as").isEqualTo(role).isNotEqualTo(superuser);
            assertThat(env.path("CARELOOP_DB_PASSWORD").asText()).as(service + " password")
                    .contains("CARELOOP_DB_PASSWORD").doesNotContain("POSTGRES_PASSWORD");
        }
        assertThat(services.path("timescaledb").path("volumes").toString()).contains("./deploy/postgres/initdb:/docker-entrypoint-initdb.d:ro");
        Path script = ROOT.resolve("deploy/postgres/initdb/10-careloop-role.sh");
        assertThat(Files.isExecutable(script)).as("the entrypoint runs executable scripts").isTrue();
        String sql = Files.readString(script);
        assertThat(sql).contains("LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE", "GRANT careloop_practice_staff TO :\"app_role\"")
                .as("nothing grants superuser or BYPASSRLS").doesNotContainPattern("(?<![A-Z])(SUPERUSER|BYPASSRLS)");
        assertThat(Files.readString(ROOT.resolve(".env.example"))).containsPattern("(?m)^CARELOOP_DB_PASSWORD=");
        // ExternalDatabaseRoleTest runs the script against a real PostgreSQL and CareLoop as the role it makes.
    }

    @Test
    void theBrokerLetsOnlySignedInDevicesWriteTheirOwnTopic() throws Exception {
        List<String> conf = Files.readAllLines(ROOT.resolve("deploy/mosquitto/mosquitto.conf"));
        assertThat(conf).contains("allow_anonymous false", "password_file /mosquitto/config/passwd", "acl_file /mosquitto/config/acl",
                "persistence true", "use_username_as_clientid true", "retain_available false");
        assertThat(conf.stream().filter(l -> l.startsWith("max_queued_messages ")).map(l -> Long.parseLong(l.split(" ")[1])))
                .as("a queue that outlasts a restart").singleElement().satisfies(n -> assertThat(n).isGreaterThanOrEqualTo(1_000_000));
        List<String> acl = Files.readAllLines(ROOT.resolve("deploy/mosquitto/acl"));
        assertThat(acl).contains("pattern write rpm/v1/devices/%u/#", "user careloop-ingest-1", "user careloop-ingest-2",
                "topic read rpm/v1/devices/+/readings", "topic write rpm/v1/devices/careloop-canary/readings");
    }

    @Test
    void theCareLoopHealthCheckNeedsNothingButTheBashInTheImage() throws Exception {
        // The default image (base scratch, scripts/image-root.sh) has bash and no other shell tools; ContainerImageIT
        // runs this command inside it.
        JsonNode test = compose().path("x-careloop").path("healthcheck").path("test");
        assertThat(test.get(0).asText()).isEqualTo("CMD");
        assertThat(test.get(1).asText()).isEqualTo("bash");
        assertThat(test.get(3).asText()).contains("/dev/tcp/127.0.0.1/8080", "/ready")
                .doesNotContainPattern("\\b(curl|wget|head|grep|nc|sed|awk)\\b");
    }

    @Test
    void onlyTheClinicalApiListensBeyondItsContainerAndOnlyOnTheHostsLoopback() throws Exception {
        JsonNode services = compose().path("services");
        // CareLoop binds its API to 127.0.0.1 unless told otherwise; compose tells only the service whose port it publishes.
        assertThat(services.path("clinical").path("environment").path("CARELOOP_HTTP_BIND").asText()).isEqualTo("0.0.0.0");
        assertThat(services.path("clinical").path("ports").toString()).contains("127.0.0.1:8080}:8080");
        for (String service : List.of("ingest-1", "ingest-2", "billing")) {
            assertThat(services.path(service).path("environment").has("CARELOOP_HTTP_BIND")).as(service).isFalse();
            assertThat(services.path(service).has("ports")).as(service).isFalse();
        }
    }

    @Test
    void prometheusScrapesEveryCareLoopProcessAndComposeRunsTheImagesJibBuilds() throws Exception {
        JsonNode prometheus = YAML.readTree(ROOT.resolve("deploy/prometheus.yml").toFile());
        String targets = prometheus.path("scrape_configs").toString();
        JsonNode services = compose().path("services");
        for (String service : List.of("ingest-1", "ingest-2", "clinical", "billing")) {
            // Metrics have their own listener, which must listen beyond the container's loopback for Prometheus to reach it.
            JsonNode env = services.path(service).path("environment");
            String port = env.path("CARELOOP_METRICS_PORT").asText();
            assertThat(port).as(service + " metrics port").isNotEmpty();
            assertThat(targets).contains(service + ":" + port);
            assertThat(env.path("CARELOOP_METRICS_BIND").asText()).as(service + " metrics bind").isEqualTo("0.0.0.0");
            assertThat(services.path(service).path("ports").toString()).as(service + " publishes no metrics port").doesNotContain(port);
        }
        assertThat(targets).doesNotContain(":8080");
        assertThat(Files.readString(ROOT.resolve("pom.xml"))).contains("jib-maven-plugin", "<careloop.image.registry>careloop</careloop.image.registry>");
        assertThat(Files.readString(ROOT.resolve("platform/pom.xml"))).contains("<to><image>${careloop.image.registry}/careloop:${project.version}</image></to>");
        assertThat(Files.readString(ROOT.resolve("device-simulator/pom.xml")))
                .contains("<to><image>${careloop.image.registry}/careloop-simulator:${project.version}</image></to>");
        assertThat(compose().path("x-careloop").path("image").asText()).startsWith("careloop/careloop:");
        assertThat(compose().path("services").path("simulator").path("image").asText()).startsWith("careloop/careloop-simulator:");
    }
}
