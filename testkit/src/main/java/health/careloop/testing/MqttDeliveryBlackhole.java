package health.careloop.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of an MQTT broker that makes it look stalled on demand: while {@link #dropDeliveries} is on,
 * it drops the PUBLISH packets the broker sends to its clients and forwards everything else (CONNACK, SUBACK, the
 * PUBACKs of the clients' own publishes, PINGRESP). The broker keeps accepting readings from devices and the
 * connection stays alive, but the subscriber behind the proxy receives nothing: what a broker whose delivery stalled
 * looks like from ingest (issue 14). Test infrastructure only; plain blocking sockets, two threads per connection.
 */
public final class MqttDeliveryBlackhole implements AutoCloseable {
    private static final int PUBLISH = 3;

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    private final AtomicBoolean dropping = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private MqttDeliveryBlackhole(ServerSocket server, InetSocketAddress upstream) {
        this.server = server;
        this.upstream = upstream;
    }

    public static MqttDeliveryBlackhole start(int upstreamPort) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        MqttDeliveryBlackhole proxy = new MqttDeliveryBlackhole(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort));
        Thread acceptor = new Thread(proxy::accept, "mqtt-blackhole-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** On: the broker's PUBLISH packets to clients vanish. Off: everything passes again (on new and open connections). */
    public void dropDeliveries(boolean on) {
        dropping.set(on);
    }

    public long droppedDeliveries() {
        return dropped.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket broker = new Socket(upstream.getAddress(), upstream.getPort());
                sockets.add(client);
                sockets.add(broker);
                pump("mqtt-blackhole-up", () -> copy(client.getInputStream(), broker.getOutputStream()), client, broker);
                pump("mqtt-blackhole-down", () -> filterPublishes(broker.getInputStream(), client.getOutputStream()), client, broker);
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException("proxy accept failed", e);
                }
            }
        }
    }

    private interface Pump {
        void run() throws IOException;
    }

    private static void pump(String name, Pump pump, Socket a, Socket b) {
        Thread t = new Thread(() -> {
            try {
                pump.run();
            } catch (IOException ignored) {
                // one side closed
            } finally {
                closeQuietly(a);
                closeQuietly(b);
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            out.flush();
        }
    }

    /** Reads whole MQTT packets (fixed header, variable-length remaining length) and forwards all but dropped PUBLISHes. */
    private void filterPublishes(InputStream in, OutputStream out) throws IOException {
        while (true) {
            int first = in.read();
            if (first < 0) {
                return;
            }
            byte[] lengthBytes = new byte[4];
            int lengthSize = 0;
            int remaining = 0;
            int multiplier = 1;
            int b;
            do {
                b = in.read();
                if (b < 0) {
                    return;
                }
                lengthBytes[lengthSize++] = (byte) b;
                remaining += (b & 0x7F) * multiplier;
                multiplier *= 128;
            } while ((b & 0x80) != 0 && lengthSize < 4);
            byte[] body = in.readNBytes(remaining);
            if (body.length < remaining) {
                return;
            }
            if ((first >> 4) == PUBLISH && dropping.get()) {
                dropped.incrementAndGet();
                continue;
            }
            out.write(first);
            out.write(lengthBytes, 0, lengthSize);
            out.write(body);
            out.flush();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        sockets.forEach(MqttDeliveryBlackhole::closeQuietly);
    }
}
