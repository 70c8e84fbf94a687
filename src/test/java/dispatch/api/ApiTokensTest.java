package dispatch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

class ApiTokensTest {

    private final ApiTokens tokens = new ApiTokens(new ApiProperties(
            Map.of("reports", "reports-token-0123456789abcdef"),
            Map.of("oncall", "oncall-token-0123456789abcdef"),
            false,
            600,
            "metrics-token-0123456789abcdef",
            List.of("127.0.0.1")));

    @Test
    void theTokensNameIsThePrincipalAndAdminTokensMayReadToo() {
        Authentication reader = tokens.authenticate(BearerToken.presented("reports-token-0123456789abcdef"));
        Authentication admin = tokens.authenticate(BearerToken.presented("oncall-token-0123456789abcdef"));
        Authentication scraper = tokens.authenticate(BearerToken.presented("metrics-token-0123456789abcdef"));

        assertThat(reader.getName()).isEqualTo("reports");
        assertThat(roles(reader)).containsExactly("ROLE_READ");
        assertThat(admin.getName()).isEqualTo("oncall");
        assertThat(roles(admin)).containsExactlyInAnyOrder("ROLE_ADMIN", "ROLE_READ");
        assertThat(roles(scraper)).containsExactly("ROLE_METRICS");
        assertThat(admin.getCredentials()).isNull();
        assertThat(admin.toString()).doesNotContain("oncall-token");
    }

    @Test
    void unknownPrefixOrLongerTokensAreRefused() {
        for (String wrong : List.of("reports-token-0123456789abcde", "reports-token-0123456789abcdefX", "", " ")) {
            assertThatThrownBy(() -> tokens.authenticate(BearerToken.presented(wrong)))
                    .isInstanceOf(BadCredentialsException.class)
                    .hasMessageNotContaining(wrong.isBlank() ? "\u0000" : wrong);
        }
    }

    private static List<String> roles(Authentication a) {
        return a.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
    }
}
