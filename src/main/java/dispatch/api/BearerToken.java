package dispatch.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.GrantedAuthority;

/**
 * A bearer token: as presented (not authenticated, carries the secret) or as recognised (authenticated, carries only
 * the token's configured name, which logs, audit and the rate limit use).
 */
final class BearerToken extends AbstractAuthenticationToken {

    private final String name;
    private @Nullable String secret;

    private BearerToken(String name, @Nullable String secret, Collection<? extends GrantedAuthority> authorities) {
        super(authorities);
        this.name = name;
        this.secret = secret;
        setAuthenticated(secret == null);
    }

    /**
     * The token of an {@code Authorization: Bearer <token>} header, or null without the header (an anonymous caller).
     * Another scheme, an empty token or a repeated header is refused rather than ignored.
     */
    static @Nullable BearerToken from(HttpServletRequest request) {
        Enumeration<String> headers = request.getHeaders(HttpHeaders.AUTHORIZATION);
        if (headers == null || !headers.hasMoreElements()) return null;
        String header = headers.nextElement();
        if (headers.hasMoreElements()) {
            throw new BadCredentialsException("Send one Authorization header, not several");
        }
        String token = header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).strip()
                : "";
        if (token.isEmpty()) {
            throw new BadCredentialsException("Send 'Authorization: Bearer <token>'; no other scheme is accepted");
        }
        return presented(token);
    }

    static BearerToken presented(String secret) {
        return new BearerToken("?", secret, List.of());
    }

    static BearerToken recognised(String name, Collection<? extends GrantedAuthority> authorities) {
        return new BearerToken(name, null, authorities);
    }

    @Override
    public @Nullable Object getCredentials() {
        return secret;
    }

    @Override
    public Object getPrincipal() {
        return name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public void eraseCredentials() {
        secret = null;
    }

    @Override
    public String toString() {
        return "BearerToken[" + name + ", " + getAuthorities() + "]";
    }
}
