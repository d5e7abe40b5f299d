package health.careloop.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/** CPU time of this JVM and of other processes (from /proc), in nanoseconds. */
final class ProcessCpu {
    /** Linux reports utime and stime in clock ticks of 1/100 s (USER_HZ) on every architecture we run on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcessCpu() {
    }

    static long self() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** utime + stime of a process; 0 when it is gone. */
    static long ofPid(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name (field 2) may contain spaces; fields after its closing parenthesis are fixed.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static long ofPids(Collection<Long> pids) {
        return pids.stream().mapToLong(ProcessCpu::ofPid).sum();
    }
}
