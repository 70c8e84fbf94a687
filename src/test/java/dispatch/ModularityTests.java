package dispatch;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Features talk through each other's root package (their API) only, and without cycles. */
class ModularityTests {

    @Test
    void featurePackagesRespectEachOthersInternals() {
        ApplicationModules.of(DispatchApplication.class).verify();
    }
}
