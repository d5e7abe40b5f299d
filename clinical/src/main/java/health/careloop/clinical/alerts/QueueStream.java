package health.careloop.clinical.alerts;

import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.UUID;

/**
 * GET /alerts/stream: server-sent events telling an open page that its practice's alerts or tasks changed, so it
 * re-reads the queue through the ordinary, permission-checked endpoints. An event carries no patient data, only
 * {@code {"practiceId": …}}. The page reads it with fetch() (EventSource cannot send the Authorization header).
 * <p>
 * The stream ends after {@link #MAX_LIFETIME}; the page then reconnects with its bearer token, so a signed-out or
 * expired session stops receiving events within that time.
 */
public final class QueueStream implements Handler<RoutingContext> {
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    /** Proxies close idle connections; a comment line keeps this one busy. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(20);

    @Override
    public void handle(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        HttpServerResponse response = ctx.response();
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Accel-Buffering", "no");
        response.write("retry: 3000\n\n: connected\n\n");

        MessageConsumer<String> consumer = ctx.vertx().eventBus().consumer(QueueChanges.ADDRESS, message -> {
            UUID practice = parse(message.body());
            if (practice != null && principal.canSee(practice) && !response.ended()) {
                response.write("event: queue\ndata: " + new JsonObject().put("practiceId", practice.toString()).encode() + "\n\n");
            }
        });
        long heartbeat = ctx.vertx().setPeriodic(HEARTBEAT.toMillis(), id -> {
            if (!response.ended()) {
                response.write(": keep-alive\n\n");
            }
        });
        long lifetime = ctx.vertx().setTimer(MAX_LIFETIME.toMillis(), id -> {
            if (!response.ended()) {
                response.end();
            }
        });
        Runnable release = () -> {
            consumer.unregister();
            ctx.vertx().cancelTimer(heartbeat);
            ctx.vertx().cancelTimer(lifetime);
        };
        response.closeHandler(v -> release.run());
        response.endHandler(v -> release.run());
    }

    private static UUID parse(String value) {
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
