package dispatch;

import dispatch.standin.DevStandIns;
import java.util.Arrays;

/**
 * {@code ./mvnw spring-boot:test-run}: the service on embedded stand-ins with fixed local addresses. Data stays in
 * {@code data/dev/} across restarts; {@code --fresh} (or {@code DISPATCH_DEV_FRESH=true}) starts from nothing.
 */
public class DevDispatchApplication {

    public static void main(String[] args) {
        boolean fresh = Arrays.asList(args).contains("--fresh") || "true".equals(System.getenv("DISPATCH_DEV_FRESH"));
        DevStandIns.start(fresh).applyAsSystemProperties();
        String[] appArgs = Arrays.stream(args).filter(a -> !a.equals("--fresh")).toArray(String[]::new);
        org.springframework.boot.SpringApplication.from(DispatchApplication::main)
                .with(DevStandIns.Banner.class)
                .run(appArgs);
    }
}
