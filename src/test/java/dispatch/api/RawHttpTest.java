package dispatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The route-coverage test is only as good as its client: it must put each spelling on the wire unchanged. */
class RawHttpTest {

    @Test
    void sendsTheRequestTargetByteForByte() throws Exception {
        for (String target : AttackSpellings.of("/api/v1/admin/outbox")) {
            try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                CompletableFuture<String> head = CompletableFuture.supplyAsync(() -> {
                    try (Socket s = server.accept()) {
                        String h = RawHttp.readRequestHead(s.getInputStream());
                        OutputStream out = s.getOutputStream();
                        out.write("HTTP/1.1 418 Teapot\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
                        return h;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });

                RawHttp.Answer answer = RawHttp.send(server.getLocalPort(), "GET", target, Map.of());

                assertThat(answer.status()).isEqualTo(418);
                assertThat(head.get()).startsWith("GET " + target + " HTTP/1.1\r\n");
            }
        }
    }
}
