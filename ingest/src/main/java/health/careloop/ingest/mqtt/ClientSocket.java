package health.careloop.ingest.mqtt;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.mqtt.MqttClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.Optional;

/**
 * Two things ingest needs from an MQTT client's socket that Vert.x's {@code MqttClient} has no API for.
 *
 * <p><b>Pausing reads</b>, so TCP flow control holds the broker back when ingest has as many unacknowledged messages
 * as it agreed to hold. Why not leave the excess unacknowledged and reconnect (our first design): that relies on the
 * broker resending it, and Mosquitto 2.0.11 did not (the 30-minute soak lost 2,693 readings that way, BENCHMARKS.md 6).
 * A paused socket loses nothing whatever the broker does: what it sends waits in the TCP buffers, and every message we
 * did take is committed and acknowledged.
 *
 * <p><b>Coalescing flushes.</b> A committed batch's PUBACKs are written in one event-loop task, and outside a read
 * Vert.x flushes every write on its own: one system call per acknowledgement, and one wake-up of the broker for each.
 * Netty's {@link FlushConsolidationHandler} turns the flushes of one task into one.
 *
 * <p>The socket is the client's private field {@code connection} (Vert.x 5.0.x), whose {@link NetSocket#pause()}
 * queues what was already decoded and then turns off the channel's auto-read.
 * {@code ClientSocketTest} fails if a Vert.x upgrade moves the field.
 */
final class ClientSocket {
    private static final Logger log = LoggerFactory.getLogger(ClientSocket.class);
    private static final Optional<Field> CONNECTION = connectionField();

    private ClientSocket() {
    }

    /** Whether this Vert.x version lets us pause; without it ingest holds what the broker sends (it never drops it). */
    static boolean available() {
        return CONNECTION.isPresent();
    }

    /** Pauses ({@code reading == false}) or resumes reading; false if the client has no socket (yet, or any more). */
    static boolean setReading(MqttClient client, boolean reading) {
        Optional<NetSocketInternal> socket = socket(client);
        socket.ifPresent(s -> {
            Runnable toggle = reading ? s::resume : s::pause;
            // Vert.x flips the channel's auto-read and must do so on the channel's own event loop.
            EventExecutor loop = s.channelHandlerContext().executor();
            if (loop.inEventLoop()) {
                toggle.run();
            } else {
                loop.execute(toggle);
            }
        });
        return socket.isPresent();
    }

    /**
     * Puts a {@link FlushConsolidationHandler} first in the client's pipeline (where Netty says it belongs), also
     * consolidating flushes made outside a read; it flushes what it holds before the channel closes. False if the
     * client has no socket.
     */
    static boolean coalesceFlushes(MqttClient client) {
        Optional<NetSocketInternal> socket = socket(client);
        socket.ifPresent(s -> {
            ChannelPipeline pipeline = s.channelHandlerContext().pipeline();
            if (pipeline.get(FlushConsolidationHandler.class) == null) {
                pipeline.addFirst("careloop-flush-consolidation",
                        new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
            }
        });
        return socket.isPresent();
    }

    static Optional<NetSocketInternal> socket(MqttClient client) {
        if (CONNECTION.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable((NetSocketInternal) CONNECTION.get().get(client));
        } catch (IllegalAccessException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<Field> connectionField() {
        try {
            Field field = Class.forName("io.vertx.mqtt.impl.MqttClientImpl").getDeclaredField("connection");
            if (!NetSocketInternal.class.isAssignableFrom(field.getType())) {
                throw new NoSuchFieldException("connection is a " + field.getType().getName());
            }
            field.setAccessible(true);
            return Optional.of(field);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("This Vert.x MQTT client cannot pause its socket ({}); ingest will hold whatever the broker sends "
                    + "beyond CARELOOP_INGEST_MAX_IN_FLIGHT instead of pausing it", e.toString());
            return Optional.empty();
        }
    }
}
