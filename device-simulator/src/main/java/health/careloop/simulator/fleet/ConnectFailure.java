package health.careloop.simulator.fleet;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.vertx.mqtt.MqttConnectionException;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/**
 * Why a connect failed, and whether trying again later can help: a busy or restarting broker can accept later,
 * a broker that rejected the credentials will not.
 *
 * @param reason a short, bounded label (a CONNACK code or a failure kind, never a device id)
 */
record ConnectFailure(String reason, boolean retryable) {

    static ConnectFailure of(Throwable error) {
        if (error instanceof MqttConnectionException refused) {
            MqttConnectReturnCode code = refused.code();
            return new ConnectFailure(code.name(), switch (code) {
                case CONNECTION_REFUSED_SERVER_UNAVAILABLE, CONNECTION_REFUSED_SERVER_UNAVAILABLE_5,
                     CONNECTION_REFUSED_SERVER_BUSY, CONNECTION_REFUSED_QUOTA_EXCEEDED,
                     CONNECTION_REFUSED_CONNECTION_RATE_EXCEEDED, CONNECTION_REFUSED_USE_ANOTHER_SERVER,
                     CONNECTION_REFUSED_SERVER_MOVED, CONNECTION_REFUSED_UNSPECIFIED_ERROR -> true;
                default -> false;
            });
        }
        if (error instanceof ConnectException) {
            return new ConnectFailure("TCP_CONNECT_REFUSED", true);
        }
        if (error instanceof TimeoutException || error instanceof io.netty.channel.ConnectTimeoutException) {
            return new ConnectFailure("TIMEOUT", true);
        }
        return new ConnectFailure(error.getClass().getSimpleName(), true);
    }
}
