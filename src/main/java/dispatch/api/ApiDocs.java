package dispatch.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description ({@code /v3/api-docs}) and Swagger UI: public, while the data behind them needs a bearer
 * token (README "Authorization").
 */
@Configuration(proxyBeanMethods = false)
class ApiDocs {

    static final String BEARER = "bearer";

    @Bean
    OpenAPI dispatchOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Dispatch API")
                        .version("v1")
                        .description(
                                "Incidents for reports, SLA statistics, and the admin endpoints. Send `Authorization: Bearer"
                                        + " <token>` with a named API token (admin endpoints: an admin token)."))
                .components(new Components()
                        .addSecuritySchemes(
                                BEARER,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .description("A named API token: DISPATCH_API_TOKENS_<NAME> to read,"
                                                + " DISPATCH_API_ADMINTOKENS_<NAME> for /api/v1/admin/...")))
                // every operation needs it (reads: unless DISPATCH_API_ANONYMOUSREAD=true)
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }
}
