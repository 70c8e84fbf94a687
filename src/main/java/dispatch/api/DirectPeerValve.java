package dispatch.api;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.Objects;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Records the connection's own peer address on requests that no proxy forwarded. With
 * {@code server.forward-headers-strategy: native}, Tomcat's RemoteIpValve replaces the remote address by one from
 * {@code X-Forwarded-For} when the peer is in a private range, so a caller on such a network could claim to be
 * 127.0.0.1. The peer as the socket saw it stays in the connector's request; a request that carries forwarding headers
 * or whose address was replaced gets no attribute, and {@link MetricsAccess} treats it as from outside. It runs
 * before the RemoteIpValve (see ApiSecurity); reading the connector's peer keeps it right if it ever runs after.
 */
final class DirectPeerValve extends ValveBase {

    static final String ATTRIBUTE = "dispatch.api.directPeer";

    DirectPeerValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        String remote = request.getRemoteAddr(); // fills the connector's peer address when nothing asked for it yet
        String peer = request.getCoyoteRequest().remoteAddr().toString();
        boolean forwarded = request.getHeader("X-Forwarded-For") != null
                || request.getHeader("X-Real-IP") != null
                || request.getHeader("Forwarded") != null
                || !Objects.equals(remote, peer);
        if (!forwarded && peer != null) {
            request.setAttribute(ATTRIBUTE, peer);
        }
        getNext().invoke(request, response);
    }
}
