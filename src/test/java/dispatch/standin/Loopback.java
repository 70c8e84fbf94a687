package dispatch.standin;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** The HTTP server every stand-in listens with. */
public final class Loopback {

    private Loopback() {}

    /**
     * An HTTP server on 127.0.0.1 that sends each response at once. The JDK server leaves Nagle's algorithm on, so a
     * body written after its headers waits for the client's delayed ACK: about 40 ms per call that no real API adds,
     * which would dominate every benchmark against the stand-ins. The JDK reads the switch once, at its first server.
     */
    public static HttpServer server(int port, int backlog) throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
    }
}
