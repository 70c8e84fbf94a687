package dispatch.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * The named opaque tokens of {@link ApiProperties}: read tokens (role READ), admin tokens (ADMIN and READ) and the
 * metrics token (METRICS). A presented token is compared with every configured one in constant time (SHA-256 digests,
 * so neither the position of the first differing byte nor the length leaks), without stopping at a match.
 */
@Component
class ApiTokens implements AuthenticationProvider {

    static final String READ = "READ";
    static final String ADMIN = "ADMIN";
    static final String METRICS = "METRICS";
    static final String METRICS_TOKEN_NAME = "metrics";

    private record Known(String name, byte[] digest, String role) {}

    private final List<Known> known = new ArrayList<>();

    ApiTokens(ApiProperties settings) {
        settings.tokens().forEach((name, token) -> add(name, token, READ));
        settings.adminTokens().forEach((name, token) -> add(name, token, ADMIN));
        add(METRICS_TOKEN_NAME, settings.metricsToken(), METRICS);
    }

    private void add(String name, @Nullable String token, String role) {
        if (token != null && !token.isBlank()) known.add(new Known(name, digest(token), role));
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        Object credentials = authentication.getCredentials();
        byte[] presented = digest(credentials == null ? "" : credentials.toString());
        String name = null;
        Set<GrantedAuthority> roles = new LinkedHashSet<>();
        for (Known k : known) {
            if (MessageDigest.isEqual(presented, k.digest())) {
                name = k.name();
                roles.add(new SimpleGrantedAuthority("ROLE_" + k.role()));
                if (k.role().equals(ADMIN)) roles.add(new SimpleGrantedAuthority("ROLE_" + READ));
            }
        }
        if (name == null) {
            throw new BadCredentialsException("The token is not valid");
        }
        return BearerToken.recognised(name, roles);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerToken.class.isAssignableFrom(authentication);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
