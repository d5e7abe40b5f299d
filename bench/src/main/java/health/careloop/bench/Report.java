package health.careloop.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** A benchmark's results as Markdown: printed at the end and kept under bench/target/results/. */
final class Report {
    private final String title;
    private final List<String> lines = new ArrayList<>();

    Report(String title) {
        this.title = title;
    }

    void line(String format, Object... args) {
        lines.add(args.length == 0 ? format : String.format(format, args));
    }

    static String machine() {
        String cpu = grep("/proc/cpuinfo", "model name");
        String mem = grep("/proc/meminfo", "MemTotal");
        String load = read("/proc/loadavg");
        return String.format("%d CPUs (%s), %s RAM, load average at start %s; %s %s",
                Runtime.getRuntime().availableProcessors(), cpu,
                mem.isEmpty() ? "?" : String.format("%.1f GiB", Long.parseLong(mem.replaceAll("\\D", "")) / 1024.0 / 1024.0),
                load.isEmpty() ? "?" : String.join(" ", List.of(load.split(" ")).subList(0, 3)),
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
    }

    private static String grep(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            return "";
        }
    }

    String render() {
        StringBuilder out = new StringBuilder();
        out.append("### ").append(title).append("\n\n");
        out.append("- Date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        out.append("- Machine: ").append(machine()).append('\n');
        out.append("- JVM arguments: ").append(String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())).append("\n\n");
        lines.forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    void publish(String name) throws IOException {
        String text = render();
        System.out.println();
        System.out.println(text);
        Path dir = Path.of(System.getProperty("careloop.bench.results", "bench/target/results"));
        Files.createDirectories(dir);
        Path file = dir.resolve(name + "-" + ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".md");
        Files.writeString(file, text);
        System.err.println("Results written to " + file.toAbsolutePath());
    }
}
