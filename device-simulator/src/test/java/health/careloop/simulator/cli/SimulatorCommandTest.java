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
        assertThat(out.toString()).contains("backfill", "live", "load", "connections");
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

    @Test
    void connectionsThatNeverOpenAreReportedAndFailTheRun(@TempDir Path dir) throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        Path report = dir.resolve("report.json");
        CommandLine cli = SimulatorCommand.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        int exit = cli.execute("connections", "--broker", "tcp://127.0.0.1:" + port, "--no-register", "--patients", "2",
                "--connect-attempts", "1", "--duration", "PT0S", "--report-file", report.toString());
        assertThat(exit).isEqualTo(SimulatorCommand.EXIT_PUBLISH_FAILURES);
        JsonNode connects = new ObjectMapper().readTree(report.toFile()).path("connections").path("connects");
        assertThat(connects.path("failed").asLong()).isPositive().isEqualTo(connects.path("attempts").asLong());
        assertThat(connects.path("refusals").path("TCP_CONNECT_REFUSED").asLong()).isEqualTo(connects.path("attempts").asLong());
    }

    @Test
    void connectionsModeRefusesATlsBroker() {
        CommandLine cli = SimulatorCommand.commandLine();
        cli.setErr(new PrintWriter(new StringWriter()));
        assertThat(cli.execute("connections", "--broker", "ssl://127.0.0.1:8883", "--no-register")).isEqualTo(2);
    }
}
