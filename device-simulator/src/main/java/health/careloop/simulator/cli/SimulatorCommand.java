package health.careloop.simulator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * careloop-sim: simulated patients and their home devices, speaking only CareLoop's public contracts (MQTT topic
 * and payload, registration API), with Eclipse Paho.
 */
@Command(name = "careloop-sim", mixinStandardHelpOptions = true, version = "careloop-sim 0.1.0",
        description = "Simulated remote-monitoring patients and devices for CareLoop.",
        subcommands = {BackfillCommand.class, LiveCommand.class, LoadCommand.class, ConnectionsCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:",
                "  careloop-sim backfill --patients 200 --days 30",
                "  careloop-sim live --speed 1440 --duration PT30M --no-register",
                "  careloop-sim load --rate 5000 --duration PT60S --connections 8 --no-register",
                "  careloop-sim connections --patients 5700 --rate 1000 --duration PT60S --no-register --count-received",
                "  careloop-sim backfill --duplicates 0.02 --malformed 0.01 --implausible 0.01",
                "      --offline-devices 0.05 --skewed-devices 0.02 --report-file counts.json"})
public final class SimulatorCommand implements Runnable {
    /** Some publishes failed or were never acknowledged, or (connections) some devices did not connect or stay connected. */
    static final int EXIT_PUBLISH_FAILURES = 3;
    /** The run could not start or stopped: broker or API unreachable, bad option value. */
    static final int EXIT_ERROR = 1;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new SimulatorCommand());
        // A broker or API that cannot be reached is an expected failure: say what happened, not a stack trace.
        commandLine.setExecutionExceptionHandler((error, cmd, parseResult) -> {
            cmd.getErr().println("error: " + describe(error));
            return EXIT_ERROR;
        });
        return commandLine;
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        return message == null ? error.getClass().getSimpleName() : message;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
