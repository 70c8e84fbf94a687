package dispatch.mail;

import dispatch.DispatchApplication;
import org.springframework.boot.SpringApplication;

/**
 * The real service in a child JVM of {@link MailIntakeCrashIntegrationTest}: {@link DispatchApplication} with its
 * scheduled jobs, all settings given as {@code --key=value} arguments.
 */
public final class IntakeProcess {

    private IntakeProcess() {}

    public static void main(String[] args) {
        SpringApplication.from(DispatchApplication::main).run(args);
    }
}
