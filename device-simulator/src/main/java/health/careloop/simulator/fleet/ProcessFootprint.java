package health.careloop.simulator.fleet;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** This JVM's threads, heap and resident memory, as the connections report gives them. */
/** @param cpuSeconds CPU time of the whole process since it started */
public record ProcessFootprint(int threads, int peakThreads, long heapUsedMb, long rssMb, double cpuSeconds) {

    static ProcessFootprint now() {
        var threads = ManagementFactory.getThreadMXBean();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        double cpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() / 1e9 : -1;
        return new ProcessFootprint(threads.getThreadCount(), threads.getPeakThreadCount(), heap, residentMb(), cpu);
    }

    /** After a full GC: the heap the open connections really hold. */
    static ProcessFootprint afterGc() {
        ManagementFactory.getMemoryMXBean().gc();
        return now();
    }

    private static long residentMb() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) >> 10)
                    .findFirst().orElse(-1);
        } catch (IOException | RuntimeException e) {
            return -1; // not Linux: the report says -1 rather than failing the run
        }
    }

    public String describe() {
        return String.format("threads %d (peak %d), heap used %d MB, RSS %d MB, CPU %.1f s", threads, peakThreads,
                heapUsedMb, rssMb, cpuSeconds);
    }
}
