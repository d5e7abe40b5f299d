package health.careloop.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import health.careloop.common.config.DatabaseConfig;
import health.careloop.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The image {@code mvn -Pimages package} wrote (target/jib-image.tar), run the way a container engine runs it, without
 * one: its layers unpacked in the manifest's order into a root directory, its entrypoint run there by chroot as the
 * image's user, in new mount and PID namespaces (unshare: /proc mounted, the entrypoint is PID 1 as under Docker),
 * on the host's network. Proves the base (scratch plus the jlinked runtime) holds everything CareLoop loads, that
 * compose names this image and that its health check works in it.
 *
 * <p>Runs in {@code verify} with {@code -Pimages} (scripts/test.sh, so CI). Needs root, {@code unshare}, {@code chroot},
 * GNU {@code tar} and PostgreSQL: a missing one fails the test with its name, never a skip.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ContainerImageIT {
    private static final Path IMAGE_TAR = Path.of("target/jib-image.tar");
    private static final Path WORK = Path.of("target/image-run").toAbsolutePath();
    private static final Path ROOT = WORK.resolve("root");
    /** Docker's PATH for an image that sets none (ours does not): how the engine finds compose's `bash`. */
    private static final String ENGINE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String unshare;
    private static String chroot;
    private static JsonNode manifest;
    private static JsonNode config;

    @BeforeAll
    static void unpackTheImage() throws Exception {
        assertThat(IMAGE_TAR).as("the image tar; build it with mvn -Pimages package (or scripts/image.sh)").isRegularFile();
        assertThat(new com.sun.security.auth.module.UnixSystem().getUid())
                .as("running the image needs root (chroot, unshare, mounting /proc), as CI and this machine are").isZero();
        unshare = onPath("unshare");
        chroot = onPath("chroot");
        onPath("tar");

        deleteTree(WORK);
        Path image = Files.createDirectories(WORK.resolve("image"));
        Files.createDirectories(ROOT);
        run(List.of("tar", "-xf", IMAGE_TAR.toAbsolutePath().toString(), "-C", image.toString()), Duration.ofMinutes(1));
        manifest = JSON.readTree(image.resolve("manifest.json").toFile()).get(0);
        config = JSON.readTree(image.resolve(manifest.path("Config").asText()).toFile());
        for (JsonNode layer : manifest.path("Layers")) {
            run(List.of("tar", "--warning=no-unknown-keyword", "-xzf", image.resolve(layer.asText()).toString(),
                    "-C", ROOT.toString()), Duration.ofMinutes(1));
        }
        Files.createDirectories(ROOT.resolve("proc")); // the engine's mount point; the image has none
    }

    @AfterAll
    static void removeTheRoot() throws IOException {
        deleteTree(WORK);
    }

    @Test
    void composeRunsTheImageTheBuildNamesAndItsUserIsNotRoot() throws Exception {
        Object compose = new org.yaml.snakeyaml.Yaml().load(Files.readString(Path.of("../docker-compose.yml")));
        String composeImage = JSON.valueToTree(compose).path("x-careloop").path("image").asText()
                .replaceAll("\\$\\{CARELOOP_IMAGE_TAG:-([^}]+)}", "$1");
        assertThat(manifest.path("RepoTags").toString()).contains("\"" + composeImage + "\"");
        assertThat(config.path("config").path("User").asText()).isEqualTo("65532");
        assertThat(config.path("config").path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(config.path("config").path("ExposedPorts").has("9464/tcp")).as("the metrics listener").isTrue();
    }

    @Test
    void theImagesOwnJavaRuntimeRunsAsTheImagesUser() throws Exception {
        String java = entrypoint().get(0);
        assertThat(java).isEqualTo("/opt/java/openjdk/bin/java");
        Result version = inImage(List.of(java, "-version"), Map.of(), Duration.ofMinutes(1));
        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.output()).contains("version \"17.");
    }

    @Test
    void careLoopStartsAgainstPostgresqlPassesComposesHealthCheckAndDrainsOnSigterm() throws Exception {
        DatabaseConfig db = TestDatabases.fresh();
        int port = EmbeddedPlatforms.freePort();
        int metricsPort = EmbeddedPlatforms.freePort();
        Path log = WORK.resolve("careloop.log");
        Map<String, String> env = new HashMap<>(imageEnvironment());
        // The listeners as compose sets them for the clinical service: API and metrics on every interface.
        JsonNode clinical = JSON.valueToTree(new org.yaml.snakeyaml.Yaml().load(Files.readString(Path.of("../docker-compose.yml"))))
                .path("services").path("clinical").path("environment");
        env.put("CARELOOP_HTTP_BIND", clinical.path("CARELOOP_HTTP_BIND").asText());
        env.put("CARELOOP_METRICS_BIND", clinical.path("CARELOOP_METRICS_BIND").asText());
        env.put("CARELOOP_METRICS_PORT", Integer.toString(metricsPort));
        env.put("CARELOOP_ROLE", "clinical");
        env.put("CARELOOP_DB_URL", db.jdbcUrl());
        env.put("CARELOOP_DB_USER", db.user());
        env.put("CARELOOP_DB_PASSWORD", db.password());
        // Named as in compose so no embedded broker starts; the clinical role does not connect to it.
        env.put("CARELOOP_MQTT_URL", "tcp://127.0.0.1:1883");
        env.put("CARELOOP_HTTP_PORT", Integer.toString(port));
        Process container = startInImage(entrypoint(), env, log);
        try {
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    if (!container.isAlive()) {
                        throw new AssertionError("the container exited with " + container.exitValue() + ":\n" + read(log));
                    }
                    return status(port, "/health") == 200 && status(port, "/ready") == 200;
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("CareLoop in the image was not ready within 120 s; its log:\n" + read(log), e);
            }
            assertThat(read(log)).contains("CareLoop is up: role clinical", "metrics on 0.0.0.0:" + metricsPort)
                    .contains("The API serves plain HTTP on 0.0.0.0");
            assertThat(status(metricsPort, "/metrics")).as("Prometheus's scrape, as over compose's network").isEqualTo(200);
            assertThat(status(port, "/metrics")).as("no metrics on the API's port").isEqualTo(404);

            Result health = inImage(composeHealthCheck(port), Map.of("PATH", ENGINE_PATH), Duration.ofSeconds(30));
            assertThat(health.exitCode()).as("compose's health check in the image: " + health.output()).isZero();

            ProcessHandle careloop = container.toHandle().children().findFirst()
                    .orElseThrow(() -> new AssertionError("no entrypoint process under unshare"));
            // The host sees the image's java under the root it was unpacked to.
            assertThat(careloop.info().command()).hasValueSatisfying(c -> assertThat(c).endsWith(ROOT + "/opt/java/openjdk/bin/java"));
            careloop.destroy(); // SIGTERM, as `docker stop` sends to PID 1
            assertThat(container.waitFor(30, TimeUnit.SECONDS)).as("exited within compose's stop_grace_period").isTrue();
            assertThat(container.exitValue()).as(read(log)).isZero();
            assertThat(read(log)).contains("CareLoop stopped");
        } finally {
            container.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            container.destroyForcibly().waitFor();
            TestDatabases.drop(db);
        }
    }

    /** compose's `healthcheck.test` for the CareLoop services, with the port this run listens on. */
    private static List<String> composeHealthCheck(int port) throws IOException {
        Object compose = new org.yaml.snakeyaml.Yaml().load(Files.readString(Path.of("../docker-compose.yml")));
        JsonNode test = JSON.valueToTree(compose).path("x-careloop").path("healthcheck").path("test");
        List<String> command = new ArrayList<>();
        test.forEach(arg -> command.add(arg.asText()));
        assertThat(command).first().isEqualTo("CMD");
        String script = command.get(command.size() - 1);
        assertThat(script).contains("/dev/tcp/127.0.0.1/8080");
        // As compose hands it to the engine: `$$` is compose's escape for `$`.
        command.set(command.size() - 1, script.replace("/127.0.0.1/8080", "/127.0.0.1/" + port).replace("$$", "$"));
        return command.subList(1, command.size());
    }

    private static List<String> entrypoint() {
        List<String> entrypoint = new ArrayList<>();
        config.path("config").path("Entrypoint").forEach(arg -> entrypoint.add(arg.asText()));
        return entrypoint;
    }

    private static Map<String, String> imageEnvironment() {
        Map<String, String> env = new HashMap<>();
        config.path("config").path("Env").forEach(e -> {
            String[] kv = e.asText().split("=", 2);
            env.put(kv[0], kv[1]);
        });
        return env;
    }

    private static Process startInImage(List<String> command, Map<String, String> env, Path log) throws IOException {
        List<String> full = new ArrayList<>(List.of(unshare, "--mount", "--pid", "--fork", "--mount-proc=" + ROOT.resolve("proc"),
                chroot, "--userspec=65532:65532", ROOT.toString()));
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result inImage(List<String> command, Map<String, String> env, Duration within) throws Exception {
        Path log = Files.createTempFile(WORK, "run", ".log");
        Process p = startInImage(command, env, log);
        if (!p.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + within + ":\n" + read(log));
        }
        return new Result(p.exitValue(), read(log));
    }

    private static int status(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void run(List<String> command, Duration within) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)).as(command + " finished").isTrue();
        assertThat(p.exitValue()).as(command + ": " + output).isZero();
    }

    private static String onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin:/sbin";
        return Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, tool)).filter(Files::isExecutable).findFirst()
                .map(Path::toString)
                .orElseThrow(() -> new AssertionError("running the image needs " + tool + " (Debian: util-linux, coreutils, tar)"));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        // Files in the root are the image's (mode 644/755 owned by root): the JVM, running as root, removes them.
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
