package dispatch.proof;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The proof's driver (started by {@code proof/run.sh}): starts the world around the Dovecot that the script started,
 * runs the scenarios against the production jar, checks the invariants from outside, prints the table and writes it
 * to {@code --out}. Exits 1 when any invariant is violated, 2 when the proof could not run.
 * Arguments: {@code --profile=ci|full --jar=target/dispatch-x.jar --dir=target/proof/world --out=target/proof/results.md
 * --dovecot-dir=DIR --imap-port=N [--scenarios=kills,two,faults,smtp,postgres,imap,latency,idle,reports]}.
 */
public final class ProofRun {

    /** How much each scenario does: the CI profile is short, the full one is issue #24's. */
    record Profile(
            String name,
            int killMails,
            int kills,
            int killSeconds,
            int mails,
            int commands,
            int settleSeconds,
            int openIssues,
            int reportIncidents,
            int reportRequests) {

        static Profile of(String name) {
            return switch (name) {
                case "full" -> new Profile(name, 2000, 10, 600, 300, 10, 900, 2000, 500_000, 200);
                case "ci" -> new Profile(name, 300, 3, 90, 60, 4, 300, 0, 50_000, 50);
                default -> throw new IllegalArgumentException("profile is ci or full, not " + name);
            };
        }
    }

    /** One line of the table. */
    record Line(String scenario, String check, String expected, String actual, String verdict) {}

    private ProofRun() {}

    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args, "profile", "jar", "dir", "out", "dovecot-dir", "imap-port", "scenarios");
        Profile profile = Profile.of(a.get("profile", "ci"));
        Path dir = Path.of(a.get("dir"));
        Files.createDirectories(dir);
        World.Ports ports = new World.Ports(
                free(), free(), free(), free(), free(), free(), free(), Integer.parseInt(a.get("imap-port")));
        List<Line> lines = new ArrayList<>();
        int exit;
        try (World world = new World(ports, dir, Path.of(a.get("dovecot-dir")))) {
            world.start();
            Path partial = Path.of(a.get("out"));
            Files.createDirectories(partial.getParent());
            // The table so far is written after each scenario: a run cut short by the script's time limit keeps it.
            Runnable progress = () -> {
                try {
                    Files.writeString(partial, table(profile, lines) + "\n(partial: the run is not finished)\n");
                } catch (IOException e) {
                    System.err.println("Cannot write " + partial + ": " + e);
                }
            };
            Scenarios scenarios = new Scenarios(world, Path.of(a.get("jar")), profile, lines, progress);
            try {
                scenarios.run(Set.of(a.get("scenarios", "kills,two,faults,smtp,postgres,imap,latency,idle,reports")
                        .split(",")));
                exit = lines.stream().anyMatch(l -> l.verdict().equals("VIOLATED")) ? 1 : 0;
            } catch (Exception e) {
                e.printStackTrace();
                lines.add(new Line("(proof)", "the proof ran to its end", "yes", e.toString(), "VIOLATED"));
                exit = 2;
            } finally {
                scenarios.stopApps();
            }
        }
        String table = table(profile, lines);
        System.out.println(table);
        Path out = Path.of(a.get("out"));
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
        System.exit(exit);
    }

    static String table(Profile profile, List<Line> lines) {
        StringBuilder t = new StringBuilder("# Proof results (profile " + profile.name() + ")\n\n");
        t.append("| scenario | check or figure | expected | actual | result |\n|---|---|---|---|---|\n");
        for (Line l : lines) {
            t.append("| ")
                    .append(String.join(" | ", l.scenario(), l.check(), l.expected(), l.actual(), l.verdict()))
                    .append(" |\n");
        }
        return t.toString();
    }

    static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
