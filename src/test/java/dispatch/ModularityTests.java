package dispatch;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * Features talk through each other's root package (their API) only, without cycles, and only to the features their
 * {@code package-info} allows ({@code @ApplicationModule(allowedDependencies = ...)}); the build writes the module
 * diagrams and canvases to {@code docs/modules/} (commit them with the change that alters them).
 */
class ModularityTests {

    static final ApplicationModules MODULES = ApplicationModules.of(DispatchApplication.class);

    @Test
    void featuresUseOnlyTheAPIsOfTheFeaturesTheyDeclare() {
        MODULES.verify();
    }

    @Test
    void writesTheModuleDocumentation() {
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder("docs/modules"))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml()
                .writeModuleCanvases();
    }
}
