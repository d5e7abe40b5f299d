package health.careloop.simulator.fleet;

import health.careloop.simulator.devices.SimulatedDevice;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;

import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The connections mode: connect every device on its own connection, hold them all while each publishes at its
 * device pace, then close; report how many connected and stayed connected, how fast, what it cost this process,
 * and what was published, acknowledged and (with a counting subscriber) received.
 *
 * @param connectDeadline the hold starts when every device is connected or gave up, or after this long
 * @param hold            how long the connections are held (and publish) once connecting ended
 * @param countReceived   also subscribe to all readings and count what arrives from this run's devices
 */
public record ConnectionsRun(FleetSettings settings, List<SimulatedDevice> devices, ZoneId zone, long seed,
                             int eventLoops, Duration connectDeadline, Duration hold, boolean countReceived,
                             String devicePrefix) {
    private static final long PROGRESS_EVERY_MS = 5_000;
    private static final Duration ACK_WAIT = Duration.ofSeconds(15);
    /** Held, so the level stays: Vert.x's MQTT client logs every connection at INFO, 10,000 lines per run. */
    private static final java.util.logging.Logger MQTT_CLIENT_LOG = java.util.logging.Logger.getLogger("io.vertx.mqtt");

    public ConnectionsReport run(PrintStream out) throws Exception {
        MQTT_CLIENT_LOG.setLevel(java.util.logging.Level.WARNING);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
        try {
            List<Context> contexts = eventLoopContexts(vertx, eventLoops);
            ReceivedCounter received = countReceived
                    ? await(ReceivedCounter.subscribe(vertx, settings, devicePrefix), Duration.ofSeconds(15)) : null;
            DeviceFleet fleet = new DeviceFleet(vertx, contexts, settings, devices, zone, seed);
            Progress progress = new Progress(fleet, received, out);
            long start = System.nanoTime();
            fleet.start();
            long deadline = start + connectDeadline.toNanos();
            while (!fleet.settled() && System.nanoTime() < deadline) {
                Thread.sleep(50);
                progress.maybePrint(start);
            }
            double connectSeconds = (System.nanoTime() - start) / 1e9;
            int connectedAtSettle = fleet.openConnections();
            out.printf("connections: %d of %d open after %.1f s (%.0f/s), %d gave up%s%n", connectedAtSettle,
                    fleet.devices(), connectSeconds, connectedAtSettle / connectSeconds, fleet.failedTotal(),
                    fleet.settled() ? "" : "; connect deadline reached");

            long holdStart = System.nanoTime();
            long sentBefore = fleet.sentTotal();
            long ackedBefore = fleet.acknowledgedTotal();
            long holdEnd = holdStart + hold.toNanos();
            while (System.nanoTime() < holdEnd) {
                Thread.sleep(Math.max(1, Math.min(50, (holdEnd - System.nanoTime()) / 1_000_000)));
                progress.maybePrint(start);
            }
            double holdSeconds = (System.nanoTime() - holdStart) / 1e9;
            int held = fleet.openConnections();
            long sentInHold = fleet.sentTotal() - sentBefore;
            long ackedInHold = fleet.acknowledgedTotal() - ackedBefore;
            ProcessFootprint footprint = ProcessFootprint.afterGc();
            progress.sample(footprint);

            fleet.stopPublishing();
            long ackDeadline = System.nanoTime() + ACK_WAIT.toNanos();
            while (fleet.pendingPublishes() > 0 && System.nanoTime() < ackDeadline) {
                Thread.sleep(20);
            }
            if (received != null) {
                // The subscriber gets each message after the broker acknowledged it to the device: let it catch up.
                while (received.messages() < fleet.acknowledgedTotal() && System.nanoTime() < ackDeadline) {
                    Thread.sleep(20);
                }
            }
            ConnectCounts.ConnectReport connects = fleet.connectReport();
            fleet.close();
            if (received != null) {
                await(received.close(), Duration.ofSeconds(5));
            }
            return new ConnectionsReport(fleet.devices(), connects, connectedAtSettle, connectSeconds, held,
                    holdSeconds, settings.qos(), settings.ratePerSecond(), fleet.publishPeriodMs(), fleet.sentTotal(),
                    fleet.acknowledgedTotal(), fleet.publishFailures(), fleet.pendingPublishes(), sentInHold,
                    ackedInHold, received == null ? -1 : received.messages(), received == null ? -1 : received.devices(),
                    eventLoops, footprint, progress.peakRssMb, progress.peakThreads);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** One context per event loop: Vert.x gives each verticle instance the next event loop. */
    private static List<Context> eventLoopContexts(Vertx vertx, int loops) throws Exception {
        List<Context> contexts = new CopyOnWriteArrayList<>();
        await(vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                contexts.add(context);
                return Future.succeededFuture();
            }
        }, new DeploymentOptions().setInstances(loops)), Duration.ofSeconds(10));
        return List.copyOf(contexts);
    }

    private static <T> T await(Future<T> future, Duration timeout) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Prints the fleet's state every few seconds and keeps the process's peaks. */
    private static final class Progress {
        private final DeviceFleet fleet;
        private final ReceivedCounter received;
        private final PrintStream out;
        private long lastPrint;
        long peakRssMb;
        int peakThreads;

        Progress(DeviceFleet fleet, ReceivedCounter received, PrintStream out) {
            this.fleet = fleet;
            this.received = received;
            this.out = out;
        }

        void maybePrint(long start) {
            long now = System.nanoTime();
            if (now - lastPrint < PROGRESS_EVERY_MS * 1_000_000) {
                return;
            }
            lastPrint = now;
            ProcessFootprint footprint = ProcessFootprint.now();
            sample(footprint);
            out.printf("connections: %.0f s: open %d of %d, gave up %d, attempts %d; published %d, acknowledged %d%s; %s%n",
                    (now - start) / 1e9, fleet.openConnections(), fleet.devices(), fleet.failedTotal(),
                    fleet.connectReport().attempts(), fleet.sentTotal(), fleet.acknowledgedTotal(),
                    received == null ? "" : ", received " + received.messages(), footprint.describe());
        }

        void sample(ProcessFootprint footprint) {
            peakRssMb = Math.max(peakRssMb, footprint.rssMb());
            peakThreads = Math.max(peakThreads, footprint.threads());
        }
    }
}
