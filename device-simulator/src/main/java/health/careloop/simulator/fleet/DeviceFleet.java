package health.careloop.simulator.fleet;

import health.careloop.simulator.devices.ReadingJson;
import health.careloop.simulator.devices.SimulatedDevice;
import health.careloop.simulator.modes.LoadReadings;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One MQTT connection per device, client id and username = device id, each publishing its own readings to its own
 * topic at a device's pace. All connections share Vert.x's few event loops, so 10,000 devices cost a few threads
 * rather than Paho's three or four each (BENCHMARKS.md section 7).
 *
 * <p>One connector thread opens connections, at most {@code connectConcurrency} attempts in flight; an attempt that
 * fails for a reason that can pass (broker busy, socket refused, timeout) is tried again after a doubling backoff,
 * up to {@code connectAttempts}. A connection lost while the fleet runs is reopened the same way.
 */
public final class DeviceFleet implements AutoCloseable {
    private final Vertx vertx;
    private final List<Context> eventLoops;
    private final FleetSettings settings;
    private final List<SimulatedDevice> devices;
    private final ZoneId zone;
    private final long seed;
    private final ConnectCounts connects = new ConnectCounts();
    private final PublishCounts publishes = new PublishCounts();
    private final Map<String, DeviceLink> open = new ConcurrentHashMap<>();
    private final DelayQueue<ConnectRequest> queue = new DelayQueue<>();
    private final Semaphore inFlight;
    private final Thread connector;
    private final long publishPeriodMs;
    private volatile boolean publishing = true;
    private volatile boolean closing;

    /**
     * @param eventLoops contexts on distinct event loops of {@code vertx}; connections are spread over them
     */
    public DeviceFleet(Vertx vertx, List<Context> eventLoops, FleetSettings settings, List<SimulatedDevice> devices,
                       ZoneId zone, long seed) {
        if (devices.isEmpty() || eventLoops.isEmpty()) {
            throw new IllegalArgumentException("a fleet needs devices and event loops");
        }
        this.vertx = vertx;
        this.eventLoops = List.copyOf(eventLoops);
        this.settings = settings;
        this.devices = List.copyOf(devices);
        this.zone = zone;
        this.seed = seed;
        this.inFlight = new Semaphore(settings.connectConcurrency());
        // Each device publishes every (devices / rate) seconds, so the fleet together sends `rate` per second.
        this.publishPeriodMs = settings.ratePerSecond() > 0
                ? Math.max(1, Math.round(devices.size() * 1000.0 / settings.ratePerSecond())) : 0;
        this.connector = new Thread(this::connectLoop, "fleet-connector");
        this.connector.setDaemon(true);
    }

    /** Starts connecting every device; returns at once. Each device starts publishing when it is connected. */
    public void start() {
        for (int i = 0; i < devices.size(); i++) {
            queue.add(new ConnectRequest(devices.get(i), i, 1, System.nanoTime()));
        }
        connector.start();
    }

    /** Every device is either connected or gave up (a device whose connection is being reopened is neither). */
    public boolean settled() {
        return connects.open() + connects.failedTotal() >= devices.size();
    }

    public int openConnections() {
        return connects.open();
    }

    public long connectedTotal() {
        return connects.connectedTotal();
    }

    public long failedTotal() {
        return connects.failedTotal();
    }

    public long sentTotal() {
        return publishes.sentTotal();
    }

    public long acknowledgedTotal() {
        return publishes.acknowledgedTotal();
    }

    public long publishFailures() {
        return publishes.failedTotal();
    }

    public long pendingPublishes() {
        return publishes.pending();
    }

    public int devices() {
        return devices.size();
    }

    /** Milliseconds between two publishes of one device; 0 when the fleet does not publish. */
    public long publishPeriodMs() {
        return publishPeriodMs;
    }

    public ConnectCounts.ConnectReport connectReport() {
        return connects.snapshot();
    }

    /** Devices publish nothing more; connections stay open. */
    public void stopPublishing() {
        publishing = false;
        open.values().forEach(link -> link.context.runOnContext(v -> link.stopTimer()));
    }

    /** Stops connecting and closes every connection with a DISCONNECT, waiting at most {@code timeout}. */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    public void close(Duration timeout) {
        closing = true;
        publishing = false;
        connector.interrupt();
        List<Future<Void>> closed = open.values().stream().map(link -> {
            Promise<Void> done = Promise.promise();
            link.context.runOnContext(v -> {
                link.stopTimer();
                link.client.disconnect().onComplete(ar -> done.tryComplete());
            });
            return done.future();
        }).toList();
        try {
            Future.join(closed).toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // Whatever did not close in time goes when Vert.x closes its sockets.
        }
        try {
            connector.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void connectLoop() {
        int next = 0;
        try {
            while (!closing) {
                ConnectRequest request = queue.poll(100, TimeUnit.MILLISECONDS);
                if (request == null) {
                    continue;
                }
                inFlight.acquire();
                Context context = eventLoops.get(next++ % eventLoops.size());
                context.runOnContext(v -> attempt(request, context));
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    /** On {@code context}: one connect attempt, settled exactly once by CONNACK, failure or timeout. */
    private void attempt(ConnectRequest request, Context context) {
        if (closing) {
            inFlight.release();
            return;
        }
        String id = request.device.deviceId();
        MqttClientOptions options = new MqttClientOptions()
                .setClientId(id)
                .setAutoGeneratedClientId(false)
                .setUsername(id)
                .setCleanSession(true)
                .setKeepAliveInterval(settings.keepAliveSeconds());
        options.setConnectTimeout((int) settings.connectTimeout().toMillis());
        if (settings.devicePassword() != null) {
            options.setPassword(settings.devicePassword());
        }
        MqttClient client = MqttClient.create(vertx, options);
        connects.attempt();
        Promise<Void> settled = Promise.promise();
        // The socket timeout covers only the TCP connect; a broker that accepts and never answers is caught here.
        long timer = vertx.setTimer(settings.connectTimeout().toMillis(),
                t -> settled.tryFail(new java.util.concurrent.TimeoutException("no CONNACK within " + settings.connectTimeout())));
        client.connect(settings.port(), settings.host()).onComplete(ar -> {
            if (ar.succeeded()) {
                if (!settled.tryComplete()) {
                    client.disconnect(); // CONNACK after the timeout: the attempt already counted as failed
                }
            } else {
                settled.tryFail(ar.cause());
            }
        });
        settled.future().onComplete(ar -> {
            vertx.cancelTimer(timer);
            inFlight.release();
            if (ar.succeeded() && !closing) {
                connected(request, client, context);
                return;
            }
            client.disconnect(); // releases the socket of a refused or timed-out attempt; a failed future is fine
            if (ar.failed()) {
                failed(request, ConnectFailure.of(ar.cause()));
            }
        });
    }

    private void failed(ConnectRequest request, ConnectFailure failure) {
        connects.refused(failure);
        if (closing) {
            return;
        }
        if (failure.retryable() && request.attempt < settings.connectAttempts()) {
            connects.retried();
            Duration wait = FleetSettings.backoff(request.attempt);
            // Jitter: devices refused together should not all come back in the same instant.
            long waitNanos = wait.toNanos() / 2 + ThreadLocalRandom.current().nextLong(wait.toNanos() / 2 + 1);
            queue.add(new ConnectRequest(request.device, request.index, request.attempt + 1, System.nanoTime() + waitNanos));
        } else {
            connects.failed(request.device.deviceId(), failure);
        }
    }

    private void connected(ConnectRequest request, MqttClient client, Context context) {
        DeviceLink link = new DeviceLink(request.device, client, context, new SplittableRandom(seed + request.index));
        open.put(request.device.deviceId(), link);
        connects.connected();
        if (settings.qos() > 0) {
            client.publishCompletionHandler(packetId -> publishes.acknowledged());
            client.publishCompletionExpirationHandler(packetId -> publishes.failed());
        }
        client.closeHandler(v -> {
            link.stopTimer();
            open.remove(request.device.deviceId(), link);
            connects.closed(!closing);
            if (!closing) {
                // Lost: reopen it like a refused attempt, starting the backoff again.
                failed(new ConnectRequest(request.device, request.index, 1, 0), new ConnectFailure("CONNECTION_LOST", true));
            }
        });
        if (publishing && publishPeriodMs > 0) {
            // A random first delay spreads the fleet's publishes evenly over the period.
            long first = 1 + ThreadLocalRandom.current().nextLong(publishPeriodMs);
            link.timer = vertx.setPeriodic(first, publishPeriodMs, t -> link.publish());
        }
    }

    private final class DeviceLink {
        final SimulatedDevice device;
        final MqttClient client;
        final Context context;
        final SplittableRandom random;
        final String topic;
        long timer = -1;

        DeviceLink(SimulatedDevice device, MqttClient client, Context context, SplittableRandom random) {
            this.device = device;
            this.client = client;
            this.context = context;
            this.random = random;
            this.topic = device.topic();
        }

        /** On the link's context. */
        void publish() {
            if (!publishing || !client.isConnected()) {
                return;
            }
            // measuredAt = now to the millisecond: a device publishes at most every millisecond, so each reading has
            // its own identity (deviceId, type, measuredAt).
            OffsetDateTime at = OffsetDateTime.ofInstant(Instant.now().truncatedTo(ChronoUnit.MILLIS), zone);
            byte[] payload = ReadingJson.payload(LoadReadings.reading(device, at, random));
            publishes.sent();
            Future<Integer> written = client.publish(topic, Buffer.buffer(payload), MqttQoS.valueOf(settings.qos()), false, false);
            written.onFailure(e -> publishes.failed());
            if (settings.qos() == 0) {
                written.onSuccess(packetId -> publishes.acknowledged());
            }
        }

        void stopTimer() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }

    private record ConnectRequest(SimulatedDevice device, int index, int attempt, long dueNanos) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueNanos, ((ConnectRequest) other).dueNanos);
        }
    }
}
