package dispatch.api;

import jakarta.servlet.DispatcherType;
import java.util.function.Consumer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.web.util.pattern.PathPatternParser;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what (README "Authorization", decision 0011). Spring Security decides on the decoded, normalised path
 * that Spring MVC routes by, after the strict firewall has refused every spelling that could make the two differ.
 * Unknown paths are refused. Stateless: a bearer token on every request, no session, no cookies, so no CSRF.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableMethodSecurity
class ApiSecurity {

    @Bean
    SecurityFilterChain apiSecurityFilterChain(
            HttpSecurity http, ApiTokens tokens, ApiProperties settings, RateLimiter limiter, SecurityProblems problems)
            throws Exception {
        RequestAttributeSecurityContextRepository contexts = new RequestAttributeSecurityContextRepository();
        AuthenticationFilter bearer = new AuthenticationFilter(new ProviderManager(tokens), BearerToken::from);
        bearer.setSuccessHandler((request, response, authentication) -> {});
        bearer.setFailureHandler(problems);
        bearer.setSecurityContextRepository(contexts);
        AuthorizationManager<RequestAuthorizationContext> apiRead = settings.anonymousRead()
                ? (authentication, context) -> new AuthorizationDecision(true)
                : AuthorityAuthorizationManager.hasRole(ApiTokens.READ);
        PathPatternRequestMatcher api = PathPatternRequestMatcher.pathPattern("/api/**");
        // Any case of "admin" needs the admin role, should MVC ever route paths case-insensitively.
        PathPatternParser anyCase = new PathPatternParser();
        anyCase.setCaseSensitive(false);
        PathPatternRequestMatcher admin =
                PathPatternRequestMatcher.withPathPatternParser(anyCase).matcher("/api/v1/admin/**");
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(c -> c.securityContextRepository(contexts))
                .requestCache(c -> c.disable())
                .formLogin(f -> f.disable())
                .httpBasic(b -> b.disable())
                .logout(l -> l.disable())
                .addFilterBefore(bearer, AuthorizationFilter.class)
                .addFilterAfter(
                        new TokenRateLimit(limiter, settings.requestsPerMinute(), api, problems),
                        AuthorizationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .authorizeHttpRequests(a -> a.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC)
                        .permitAll()
                        .requestMatchers(admin)
                        .hasRole(ApiTokens.ADMIN)
                        .requestMatchers(api)
                        .access(apiRead)
                        .requestMatchers("/actuator/health", "/actuator/health/**")
                        .permitAll()
                        .requestMatchers("/actuator/prometheus")
                        .access(new MetricsAccess(settings.metricsNetworks()))
                        .requestMatchers("/actuator/**")
                        .hasRole(ApiTokens.ADMIN)
                        .requestMatchers(
                                "/v3/api-docs",
                                "/v3/api-docs.yaml",
                                "/v3/api-docs/**",
                                "/swagger-ui.html",
                                "/swagger-ui/**")
                        .permitAll()
                        .anyRequest()
                        .denyAll());
        return http.build();
    }

    /**
     * Spring Security's default firewall, declared so it is visibly part of the design: it refuses encoded
     * {@code / . % ; \}, matrix parameters, dot segments and doubled slashes, so the path Spring Security matches is
     * the one Spring MVC routes.
     */
    @Bean
    StrictHttpFirewall httpFirewall() {
        return new StrictHttpFirewall();
    }

    /** Also the firewall's {@code RequestRejectedHandler}: a refused path is a 400 problem, not a 500. */
    @Bean
    SecurityProblems securityProblems(JsonMapper json) {
        return new SecurityProblems(json);
    }

    /**
     * The connection's peer address kept for {@link MetricsAccess}: ordered first, so the valve sees the request before
     * Boot's RemoteIpValve rewrites its address and headers.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> directPeerValve() {
        return new Customizer(Ordered.HIGHEST_PRECEDENCE, factory -> factory.addEngineValves(new DirectPeerValve()));
    }

    /**
     * Tomcat's own refusals as problems: ordered last, so this error report valve is added after Boot's and is the
     * one that answers.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReportValve() {
        return new Customizer(
                Ordered.LOWEST_PRECEDENCE,
                factory -> factory.addContextCustomizers(
                        context -> context.getParent().getPipeline().addValve(new ProblemErrorReportValve())));
    }

    private record Customizer(int order, Consumer<TomcatServletWebServerFactory> customization)
            implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        @Override
        public int getOrder() {
            return order;
        }

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            customization.accept(factory);
        }
    }
}
