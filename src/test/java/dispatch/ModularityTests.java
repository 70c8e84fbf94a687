package dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * Features talk through each other's root package (their API) only, without cycles, and only to the features their
 * {@code package-info} allows ({@code @ApplicationModule(allowedDependencies = ...)}); the build writes the module
 * diagrams and canvases to {@code docs/modules/} (commit them with the change that alters them). Modulith lists
 * relations and events in no fixed order, so the files are written with those lists sorted: a build that changes
 * nothing leaves them as they are.
 */
class ModularityTests {

    private static final Path OUTPUT = Path.of("docs/modules");

    static final ApplicationModules MODULES = ApplicationModules.of(DispatchApplication.class);

    @Test
    void featuresUseOnlyTheAPIsOfTheFeaturesTheyDeclare() {
        MODULES.verify();
    }

    @Test
    void writesTheModuleDocumentation() throws IOException {
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(OUTPUT.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
        try (Stream<Path> files = Files.list(OUTPUT)) {
            for (Path file : files.toList()) {
                Files.write(file, sortedRuns(Files.readAllLines(file)));
            }
        }
    }

    @Test
    void theWrittenListsDoNotDependOnTheOrderModulithGaveThem() {
        List<String> one = List.of("@startuml", "Rel(b)", "Rel(a)", "x", "|* `d.m.B` ", "* `d.i.A` ", "", "Rel(c)");
        List<String> other = List.of("@startuml", "Rel(a)", "Rel(b)", "x", "|* `d.i.A` ", "* `d.m.B` ", "", "Rel(c)");
        assertThat(sortedRuns(one)).isEqualTo(sortedRuns(other)).isEqualTo(other);
    }

    /**
     * Each run of PlantUML relations ({@code Rel(...)}) and each canvas list ({@code |* a} then {@code * b} ...)
     * sorted; everything else as written.
     */
    static List<String> sortedRuns(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); ) {
            String line = lines.get(i);
            boolean relation = line.startsWith("Rel(");
            boolean listing = line.startsWith("|* ");
            if (!relation && !listing) {
                out.add(line);
                i++;
                continue;
            }
            String next = relation ? "Rel(" : "* ";
            List<String> run = new ArrayList<>();
            run.add(listing ? line.substring(1) : line);
            for (i++; i < lines.size() && lines.get(i).startsWith(next); i++) {
                run.add(lines.get(i));
            }
            run.sort(null);
            if (listing) {
                run.set(0, "|" + run.get(0));
            }
            out.addAll(run);
        }
        return out;
    }
}
