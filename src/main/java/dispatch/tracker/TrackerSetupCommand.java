package dispatch.tracker;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code java -jar dispatch.jar tracker-setup --check | --apply} (decision 0022): the service's context with the usual
 * settings, but no web server and no background jobs. {@code --check} prints what the queue lacks and exits 1 when
 * anything does; {@code --apply} creates what the API allows, prints the workflow steps that need a person, then
 * checks again.
 */
public final class TrackerSetupCommand {

    public static final String NAME = "tracker-setup";

    private TrackerSetupCommand() {}

    /** Runs the command with {@code application} as the context's source; returns the exit code (2 = usage). */
    public static int run(Class<?> application, String[] args, PrintStream out) {
        Set<String> flags = Set.of(args);
        boolean apply = flags.contains("--apply");
        if (apply == flags.contains("--check")) {
            out.println("usage: tracker-setup --check | --apply");
            return 2;
        }
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
                .web(WebApplicationType.NONE)
                .properties("dispatch.scheduling-enabled=false")
                .logStartupInfo(false)
                .run(args)) {
            return run(context.getBean(TrackerSetup.class), apply, out);
        } catch (RuntimeException e) {
            out.println("tracker-setup failed: " + e);
            return 1;
        }
    }

    static int run(TrackerSetup setup, boolean apply, PrintStream out) {
        if (apply) {
            List<String> done = setup.apply();
            done.forEach(d -> out.println("done: " + d));
            if (done.isEmpty()) out.println("Nothing to create.");
            out.println("Steps for a queue administrator (the API cannot change workflows):");
            setup.manualSteps().forEach(s -> out.println("  - " + s));
        }
        List<TrackerSetup.Finding> findings = setup.check();
        findings.forEach(f ->
                out.println("missing: " + f.text() + (f.creatable() ? " (tracker-setup --apply creates it)" : "")));
        if (findings.isEmpty())
            out.println(
                    "The queue has everything Dispatch needs (workflow transitions are not visible to the API: see the steps above or README).");
        return findings.isEmpty() ? 0 : 1;
    }
}
