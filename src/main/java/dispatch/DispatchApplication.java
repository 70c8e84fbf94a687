package dispatch;

import dispatch.legacy.LegacyImportCommand;
import dispatch.tracker.TrackerSetupCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The one entry point: the dispatch mailbox bridged to Yandex Tracker, or one of its commands. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DispatchApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals(LegacyImportCommand.NAME)) {
            System.exit(LegacyImportCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out));
        }
        if (args.length > 0 && args[0].equals(TrackerSetupCommand.NAME)) {
            System.exit(TrackerSetupCommand.run(
                    DispatchApplication.class, Arrays.copyOfRange(args, 1, args.length), System.out));
        }
        SpringApplication.run(DispatchApplication.class, args);
    }
}
