package dispatch.platform;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Random keys for the MACs Dispatch puts into what it writes elsewhere (Message-IDs, Tracker comment markers). Each
 * key is generated once and kept in {@code sync_state} under its own name, so every instance and every restart agree
 * on it and nobody has to configure (or can forget) a secret.
 */
@Component
public class SecretKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    SecretKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The 32-byte key of this name, created on first use. */
    public byte[] key(String name) {
        return cache.computeIfAbsent(name, this::stored);
    }

    /** HMAC-SHA256 of the text, its first {@code bytes} bytes as lower-case hex. */
    public static String hmac(byte[] key, String text, int bytes) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)), 0, bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Compares two MACs in constant time. */
    public static boolean same(String expected, String actual) {
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), actual.getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] stored(String name) {
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        jdbc.sql("insert into sync_state (key, value) values (:key, to_jsonb(cast(:value as text)))"
                        + " on conflict (key) do nothing")
                .param("key", name)
                .param("value", HexFormat.of().formatHex(fresh))
                .update();
        String value = jdbc.sql("select value #>> '{}' from sync_state where key = :key")
                .param("key", name)
                .query(String.class)
                .single();
        return HexFormat.of().parseHex(value);
    }
}
