package health.careloop.platform.config;

import health.careloop.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigFileTest {
    @TempDir
    Path dir;

    private Map<String, String> file(String yaml) throws Exception {
        Path path = dir.resolve("careloop.yaml");
        Files.writeString(path, yaml);
        return Map.of(ConfigFile.VARIABLE, path.toString());
    }

    @Test
    void nestedAndFlatNamesAreTheSameSettingsAndTheEnvironmentWins() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(file("""
                http_port: 9090
                ingest:
                  batch_size: 250
                  client-id: ingest-a
                CARELOOP_ESCALATE_CRITICAL_AFTER_MINUTES: 7
                db:
                  url: jdbc:postgresql://db.internal:5432/careloop
                  user: careloop
                """));
        env.put("CARELOOP_HTTP_PORT", "8181");
        CareLoopConfig config = CareLoopConfig.from(env);
        assertThat(config.httpPort()).as("the environment overrides the file").isEqualTo(8181);
        assertThat(config.ingest().batchSize()).isEqualTo(250);
        assertThat(config.ingest().clientId()).isEqualTo("ingest-a");
        assertThat(config.escalateCriticalAfter().toMinutes()).isEqualTo(7);
        assertThat(config.database().orElseThrow().user()).isEqualTo("careloop");
    }

    @Test
    void aTypoABadValueOrABadFileStopsStartUpNamingIt() throws Exception {
        assertThatThrownBy(() -> CareLoopConfig.from(file("ingest:\n  batch_sise: 250\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sets what no setting reads: CARELOOP_INGEST_BATCH_SISE");
        assertThatThrownBy(() -> CareLoopConfig.from(file("http_port: eighty\n")))
                .hasMessage("CARELOOP_HTTP_PORT must be a whole number, got 'eighty'");
        assertThatThrownBy(() -> CareLoopConfig.from(file("http_port: [1, 2]\n")))
                .hasMessageContaining("'http_port' must be a single value");
        assertThatThrownBy(() -> CareLoopConfig.from(file("http_port: 8080\n  role: : all\n")))
                .hasMessageContaining("is not valid YAML");
        assertThatThrownBy(() -> CareLoopConfig.from(file("- a list\n")))
                .hasMessageContaining("must be a YAML mapping");
        assertThatThrownBy(() -> CareLoopConfig.from(Map.of(ConfigFile.VARIABLE, dir.resolve("missing.yaml").toString())))
                .hasMessageContaining("which is not a readable file");
    }

    @Test
    void theShippedExampleFileIsValid() {
        CareLoopConfig config = CareLoopConfig.from(Map.of(ConfigFile.VARIABLE, Path.of("..", "deploy", "careloop.example.yaml").toString()));
        assertThat(config.database().orElseThrow().poolSize()).isEqualTo(16);
        assertThat(config.mqtt().orElseThrow().username()).isEqualTo("careloop-ingest");
    }

    @Test
    void anEmptyFileChangesNothing() throws Exception {
        assertThat(CareLoopConfig.from(file("# nothing yet\n")).httpPort()).isEqualTo(8080);
    }
}
