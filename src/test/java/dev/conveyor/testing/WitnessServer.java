package dev.conveyor.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server that stands for a destination a job must not reach: it counts connections and requests, and
 * answers any request with 200. A test that proves a block asserts that both counts stay zero.
 */
public final class WitnessServer implements AutoCloseable {

    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    private WitnessServer(ServerSocket socket) {
        this.socket = socket;
    }

    /** On 127.0.0.1, a free port. */
    public static WitnessServer start() throws IOException {
        return start(InetAddress.getByName("127.0.0.1"));
    }

    public static WitnessServer start(InetAddress address) throws IOException {
        WitnessServer server = new WitnessServer(new ServerSocket(0, 50, address));
        Thread thread = new Thread(server::serve, "witness-" + address.getHostAddress());
        thread.setDaemon(true);
        thread.start();
        return server;
    }

    public int port() {
        return socket.getLocalPort();
    }

    public int connections() {
        return connections.get();
    }

    public int requests() {
        return requests.get();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                connections.incrementAndGet();
                InputStream in = client.getInputStream();
                if (in.read() >= 0) {
                    requests.incrementAndGet();
                    OutputStream out = client.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException e) {
                // closed while waiting, or the client went away: nothing to count
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
