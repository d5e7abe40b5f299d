package health.careloop.simulator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Timeout(60)
class SimulatorCommandTest {

    @Test
    void helpListsTheModes() {
        StringWriter out = new StringWriter();
        CommandLine cli = SimulatorCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("backfill", "live", "load");
    }

    @Test
    void acceleratedLiveWithoutADurationIsRefused() {
        CommandLine cli = SimulatorCommand.commandLine();
        cli.setErr(new PrintWriter(new StringWriter()));
        assertThat(cli.execute("live", "--speed", "60", "--no-register")).isEqualTo(2);
    }

    @Test
    void registrationWithoutATokenIsAClearError(@TempDir Path dir) {
        assumeTrue(System.getenv("CARELOOP_API_TOKEN") == null, "a token in the environment would be used");
        StringWriter err = new StringWriter();
        CommandLine cli = SimulatorCommand.commandLine();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("backfill", "--patients", "1", "--api-token-file", dir.resolve("none").toString());
        assertThat(exit).isEqualTo(SimulatorCommand.EXIT_ERROR);
        assertThat(err.toString()).contains("no API token");
    }

    @Test
    void backfillWritesItsCountsAsJson(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.json");
        int exit = SimulatorCommand.commandLine().execute("backfill", "--no-register", "--patients", "3", "--days", "2",
                "--id-prefix", "c" + UUID.randomUUID().toString().substring(0, 6), "--malformed", "0.2",
                "--report-file", report.toString());
        assertThat(exit).isZero();
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.path("mode").asText()).isEqualTo("backfill");
        JsonNode counts = json.path("counts");
        assertThat(counts.path("valid").asLong() + counts.path("malformed").asLong()).isEqualTo(counts.path("messages").asLong());
        assertThat(counts.path("malformed").asLong()).isPositive();
    }
}
