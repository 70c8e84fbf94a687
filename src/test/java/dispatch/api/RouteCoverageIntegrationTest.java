package dispatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every route of the running service, read from the handler mappings and the actuator at test time (so a route added
 * later is covered without anyone listing it), is called through the real servlet container in every spelling of
 * {@link AttackSpellings}, with its own method, HEAD and OPTIONS, without a token and with a read token. A probe
 * interceptor in front of every controller method records each call that got that far: none of those calls may, and none
 * may answer 2xx. The canonical path with the right token must reach every handler, so the test cannot pass by
 * refusing everything.
 */
@DispatchIntegrationTest
@Import(RouteCoverageIntegrationTest.Probe.class)
class RouteCoverageIntegrationTest {

    static final String PROBE = "X-Route-Probe";

    @TestConfiguration(proxyBeanMethods = false)
    static class Probe implements WebMvcConfigurer {
        final Queue<String> reached = new ConcurrentLinkedQueue<>();

        @Override
        public void addInterceptors(InterceptorRegistry registry) {
            registry.addInterceptor(new HandlerInterceptor() {
                @Override
                public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                    if (request.getHeader(PROBE) == null || !(handler instanceof HandlerMethod)) return true;
                    reached.add(request.getHeader(PROBE) + " -> " + handler);
                    response.setStatus(299); // reached, not run: the handlers' side effects stay out of this test
                    return false;
                }
            });
        }
    }

    enum Access {
        PUBLIC,
        READ,
        ADMIN,
        NONE
    }

    record Route(String method, String path, Access access, boolean mvc) {}

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    PathMappedEndpoints actuator;

    @Autowired
    Probe probe;

    @Test
    void noSpellingOfAProtectedRouteGetsPastTheSecurityChain() {
        List<Route> routes = routes();
        assertThat(routes).extracting(Route::access).contains(Access.READ, Access.ADMIN, Access.NONE);
        List<String> failures = new ArrayList<>();
        int calls = 0;
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (Route route : routes) {
            if (route.access() == Access.PUBLIC) continue;
            for (String spelling : AttackSpellings.of(route.path())) {
                for (String method : new LinkedHashSet<>(List.of(route.method(), "HEAD", "OPTIONS"))) {
                    for (String token : new String[] {null, StandIns.API_TOKEN}) {
                        boolean mayPass = token != null && route.access() == Access.READ;
                        if (mayPass) continue;
                        calls++;
                        String tag = method + " " + spelling + (token == null ? " (no token)" : " (read token)");
                        probe.reached.clear();
                        RawHttp.Answer answer = RawHttp.send(port, method, spelling, headers(tag, token));
                        statuses.merge(answer.status(), 1, Integer::sum);
                        if (!probe.reached.isEmpty()) failures.add(tag + ": reached " + probe.reached);
                        if (answer.status() < 300 || answer.status() >= 500) {
                            failures.add(tag + ": answered " + answer.status());
                        } else if (!method.equals("HEAD")
                                && !String.valueOf(answer.header("Content-Type"))
                                        .startsWith("application/problem+json")) {
                            failures.add(tag + ": " + answer.status() + " as " + answer.header("Content-Type"));
                        }
                    }
                }
            }
        }
        System.out.printf("Route coverage: %d routes, %d calls refused as %s%n", routes.size(), calls, statuses);
        assertThat(failures).isEmpty();
    }

    @Test
    void theCanonicalPathWithTheRightTokenReachesEveryHandler() {
        List<String> failures = new ArrayList<>();
        for (Route route : routes()) {
            String token = switch (route.access()) {
                case READ -> StandIns.API_TOKEN;
                case ADMIN, NONE -> StandIns.ADMIN_TOKEN;
                case PUBLIC -> null;
            };
            if (route.access() == Access.NONE || !route.mvc()) continue;
            probe.reached.clear();
            RawHttp.Answer answer = RawHttp.send(port, route.method(), route.path(), headers(route.path(), token));
            if (answer.status() != 299 || probe.reached.size() != 1) {
                failures.add(route + ": " + answer.status() + " " + answer.body());
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void everyAdminHandlerRefusesAReadTokenByItselfToo() throws Exception {
        List<String> unguarded = new ArrayList<>();
        int admin = 0;
        for (var entry : mappings.getHandlerMethods().entrySet()) {
            if (entry.getKey().getPatternValues().stream()
                    .noneMatch(p -> p.startsWith("/api/v1/admin/") || p.startsWith("/admin/status"))) continue;
            admin++;
            HandlerMethod handler = entry.getValue().createWithResolvedBean();
            Method method = handler.getMethod();
            method.setAccessible(true);
            SecurityContextHolder.getContext()
                    .setAuthentication(
                            BearerToken.recognised("reader", List.of(new SimpleGrantedAuthority("ROLE_READ"))));
            try {
                method.invoke(handler.getBean(), defaults(method.getParameterTypes()));
                unguarded.add(handler.toString());
            } catch (InvocationTargetException e) {
                if (!(e.getCause() instanceof AccessDeniedException)) unguarded.add(handler + ": " + e.getCause());
            } finally {
                SecurityContextHolder.clearContext();
            }
        }
        assertThat(admin).isGreaterThanOrEqualTo(7);
        assertThat(unguarded).as("admin handlers without method security").isEmpty();
    }

    private List<Route> routes() {
        Set<String> seen = new TreeSet<>();
        List<Route> routes = new ArrayList<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            Set<String> methods = new TreeSet<>();
            info.getMethodsCondition().getMethods().forEach(m -> methods.add(m.name()));
            if (methods.isEmpty()) methods.add("GET");
            for (String pattern : info.getPatternValues()) {
                String path = pattern.replaceAll("\\{[^}]*}", "1");
                for (String method : methods) {
                    if (seen.add(method + " " + path)) routes.add(new Route(method, path, access(path), true));
                }
            }
        }
        for (String path : actuator.getAllPaths()) {
            if (seen.add("GET " + path)) routes.add(new Route("GET", path, access(path), false));
        }
        return routes;
    }

    /** The policy, written independently of the security configuration it checks. */
    static Access access(String path) {
        if (path.startsWith("/api/v1/admin/")) return Access.ADMIN;
        if (path.equals("/admin/status") || path.startsWith("/admin/status/")) return Access.ADMIN;
        if (path.equals("/admin/login")) return Access.PUBLIC;
        if (path.startsWith("/api/")) return Access.READ;
        if (path.startsWith("/v3/api-docs") || path.startsWith("/swagger-ui")) return Access.PUBLIC;
        if (path.startsWith("/actuator/health")) return Access.PUBLIC;
        if (path.equals("/actuator/prometheus")) return Access.PUBLIC; // from loopback; ActuatorAccess tests the rest
        if (path.startsWith("/actuator/")) return Access.ADMIN;
        return Access.NONE;
    }

    private static Map<String, String> headers(String tag, String token) {
        return token == null ? Map.of(PROBE, tag) : Map.of(PROBE, tag, "Authorization", "Bearer " + token);
    }

    private static Object[] defaults(Class<?>[] types) {
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            if (types[i] == long.class) args[i] = 0L;
            else if (types[i] == int.class) args[i] = 0;
            else if (types[i] == boolean.class) args[i] = false;
        }
        return args;
    }
}
