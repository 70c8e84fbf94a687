package dispatch.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * Who may read {@code /actuator/prometheus}: the metrics token or an admin token from anywhere, and without a token a
 * scraper whose connection comes straight from {@code DISPATCH_API_METRICSNETWORKS} (loopback, the compose network).
 * "Straight" is the connection's own peer address as {@link DirectPeerValve} saw it, never an address taken from
 * {@code X-Forwarded-For}: a request the gateway forwarded counts as from outside, whatever its headers claim.
 */
final class MetricsAccess implements AuthorizationManager<RequestAuthorizationContext> {

    private final List<IpAddressMatcher> networks;

    MetricsAccess(List<String> networks) {
        this.networks = networks.stream().map(IpAddressMatcher::new).toList();
    }

    @Override
    public AuthorizationResult authorize(
            Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) {
        return new AuthorizationDecision(hasRole(authentication.get()) || direct(context.getRequest()));
    }

    private static boolean hasRole(Authentication who) {
        if (!(who instanceof BearerToken)) return false;
        for (GrantedAuthority a : who.getAuthorities()) {
            String role = a.getAuthority();
            if (("ROLE_" + ApiTokens.METRICS).equals(role) || ("ROLE_" + ApiTokens.ADMIN).equals(role)) return true;
        }
        return false;
    }

    private boolean direct(HttpServletRequest request) {
        if (!(request.getAttribute(DirectPeerValve.ATTRIBUTE) instanceof String peer)) return false;
        return networks.stream().anyMatch(n -> n.matches(peer));
    }
}
