package dispatch.api;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.DelegatingAuthenticationEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may open the status page under {@code /admin/} (decision 0029): an admin token in the {@code Authorization}
 * header on each request (stateless, as the API), or a browser session opened by pasting an admin token into
 * {@code /admin/login}. The session is what a browser sends by itself, so its POSTs need Spring Security's CSRF token;
 * a request that carries its own bearer token does not (nothing ambient to forge). A browser without a session is sent
 * to the login form; anything else gets the API's 401 problem.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class AdminPageSecurity {

    static final String LOGIN = "/admin/login";

    /** Before the API's chain, which refuses every path it does not know. */
    @Bean
    @Order(1)
    SecurityFilterChain adminPageSecurityFilterChain(HttpSecurity http, ApiTokens tokens, SecurityProblems problems)
            throws Exception {
        RequestAttributeSecurityContextRepository perRequest = new RequestAttributeSecurityContextRepository();
        AuthenticationFilter bearer = new AuthenticationFilter(new ProviderManager(tokens), BearerToken::from);
        bearer.setSuccessHandler((request, response, authentication) -> {});
        bearer.setFailureHandler(problems);
        bearer.setSecurityContextRepository(perRequest); // a token in the header opens no session
        RequestMatcher withBearer = request -> request.getHeader(HttpHeaders.AUTHORIZATION) != null;
        MediaTypeRequestMatcher browser = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
        browser.setIgnoredMediaTypes(Set.of(MediaType.ALL));
        AuthenticationEntryPoint entryPoint = DelegatingAuthenticationEntryPoint.builder()
                .addEntryPointFor(new LoginUrlAuthenticationEntryPoint(LOGIN), browser)
                .defaultEntryPoint(problems)
                .build();
        // Sessions as Spring Security's default (created at login, id changed there); no session management filter,
        // which would store a bearer token's authentication in a session of its own.
        http.securityMatcher("/admin/**")
                .csrf(c -> c.ignoringRequestMatchers(withBearer).csrfTokenRepository(new SessionTokens(withBearer)))
                .requestCache(c -> c.disable())
                .httpBasic(b -> b.disable())
                .authenticationManager(new ProviderManager(new PastedToken(tokens)))
                .formLogin(f -> f.loginPage(LOGIN)
                        .usernameParameter("name")
                        .passwordParameter("token")
                        .defaultSuccessUrl("/admin/status", true)
                        .failureUrl(LOGIN + "?error"))
                .logout(l -> l.logoutUrl("/admin/logout").logoutSuccessUrl(LOGIN + "?logout"))
                .addFilterBefore(bearer, UsernamePasswordAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(problems))
                .authorizeHttpRequests(a -> a.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC)
                        .permitAll()
                        .requestMatchers(LOGIN)
                        .permitAll()
                        .requestMatchers("/admin/status", "/admin/status/**")
                        .hasRole(ApiTokens.ADMIN)
                        .anyRequest()
                        .denyAll());
        return http.build();
    }

    /**
     * CSRF tokens in the session, except that a request with its own bearer token never stores one: the page it gets
     * still renders its forms, but no session (and no cookie) is opened for it.
     */
    private record SessionTokens(RequestMatcher withBearer, HttpSessionCsrfTokenRepository sessions)
            implements CsrfTokenRepository {

        SessionTokens(RequestMatcher withBearer) {
            this(withBearer, new HttpSessionCsrfTokenRepository());
        }

        @Override
        public CsrfToken generateToken(HttpServletRequest request) {
            return sessions.generateToken(request);
        }

        @Override
        public void saveToken(@Nullable CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
            if (!withBearer.matches(request)) sessions.saveToken(token, request, response);
        }

        @Override
        public @Nullable CsrfToken loadToken(HttpServletRequest request) {
            return sessions.loadToken(request);
        }
    }

    /** The login form's token field checked like a bearer token; only an admin token opens a session. */
    private record PastedToken(ApiTokens tokens) implements AuthenticationProvider {

        @Override
        public Authentication authenticate(Authentication form) {
            Object token = form.getCredentials();
            Authentication recognised =
                    tokens.authenticate(BearerToken.presented(token == null ? "" : token.toString()));
            if (!recognised.getAuthorities().contains(new SimpleGrantedAuthority("ROLE_" + ApiTokens.ADMIN))) {
                throw new BadCredentialsException("Not an admin token");
            }
            return recognised;
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
        }
    }
}
