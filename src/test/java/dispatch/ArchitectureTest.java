package dispatch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** House rules Spring Modulith does not check (STYLE.md), each with the reason it exists. */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dispatch");

    @Test
    void settingsAreBoundToValidatedPropertiesNotInjectedOneByOne() {
        // Why: a @ConfigurationProperties record is validated at start-up and documented in one place; @Value is
        // neither.
        noClasses().should().dependOnClassesThat().areAssignableTo(Value.class).check(MAIN);
    }

    @Test
    void dependenciesComeThroughTheConstructor() {
        // Why: a field-injected bean cannot be built in a plain unit test and hides what it needs.
        noFields().should().beAnnotatedWith(Autowired.class).check(MAIN);
    }

    @Test
    void scheduledJobsOnlyCallPublicMethodsOfTheirOwnFeature() {
        // Why: a job is a thin trigger; the work it starts must be callable (and tested) without the scheduler.
        methods()
                .that()
                .areAnnotatedWith(Scheduled.class)
                .should(onlyCallPublicMethodsOfTheirFeature())
                .check(MAIN);
    }

    @Test
    void httpEndpointsAreTheReportsApiOrAdminEndpoints() {
        // Why: the security rules (decision 0011) cover /api/v1/** by path, the status page's (decision 0029)
        // /admin/**; a controller elsewhere would escape them.
        classes()
                .that()
                .areAnnotatedWith(RestController.class)
                .or()
                .areAnnotatedWith(Controller.class)
                .should(beInApiOrServeAdminPaths())
                .check(MAIN);
    }

    private static ArchCondition<JavaMethod> onlyCallPublicMethodsOfTheirFeature() {
        return new ArchCondition<>("only call public methods of their own feature") {
            @Override
            public void check(JavaMethod job, ConditionEvents events) {
                String feature = feature(job.getOwner());
                for (JavaMethodCall call : job.getMethodCallsFromSelf()) {
                    JavaClass target = call.getTargetOwner();
                    if (!target.getPackageName().startsWith("dispatch.")) continue;
                    boolean isPublic = call.getTarget()
                            .resolveMember()
                            .map(m -> m.getModifiers().contains(JavaModifier.PUBLIC))
                            .orElse(false);
                    boolean ownFeature = feature(target).equals(feature);
                    if (!isPublic || !ownFeature) {
                        events.add(SimpleConditionEvent.violated(call, call.getDescription()));
                    }
                }
            }
        };
    }

    private static ArchCondition<JavaClass> beInApiOrServeAdminPaths() {
        return new ArchCondition<>("be in dispatch.api or be mapped under /api/v1/admin/ or /admin") {
            @Override
            public void check(JavaClass controller, ConditionEvents events) {
                if (controller.getPackageName().equals("dispatch.api")) return;
                boolean admin = controller
                        .tryGetAnnotationOfType(RequestMapping.class)
                        .map(mapping -> mapping.value().length > 0 ? mapping.value() : mapping.path())
                        .filter(paths -> paths.length > 0)
                        .map(paths -> Arrays.stream(paths)
                                .allMatch(path -> path.startsWith("/api/v1/admin/") || path.equals("/admin")))
                        .orElse(false);
                if (!admin) {
                    events.add(SimpleConditionEvent.violated(
                            controller, controller.getName() + " is not mapped under /api/v1/admin/"));
                }
            }
        };
    }

    /** The feature package: {@code dispatch.incident} for {@code dispatch.incident.HeldMail}. */
    private static String feature(JavaClass type) {
        String[] parts = type.getPackageName().split("\\.");
        return parts.length > 1 ? parts[1] : "";
    }
}
