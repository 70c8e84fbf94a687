package dispatch.standin;

import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Gives each test application context its own stand-ins and a fresh database on the JVM-wide PostgreSQL server.
 * The {@link StandIns} are a bean, so tests inject them to append mail or inspect the fakes.
 */
public class StandInsInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static final String DYNAMIC = "Dynamic Test Properties";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        StandIns standIns = StandIns.start(EmbeddedDatabase.newDatabase(), StandIns.Ports.random());
        Map<String, Object> properties = standIns.applicationProperties();
        properties.put("dispatch.installation-id", "test");
        properties.put("dispatch.scheduling-enabled", "false");
        properties.put("logging.file.name", "");
        // Test properties win over stand-in ones. They are merged into one source because Spring Boot takes a
        // list (dispatch.mail.accounts[..]) whole from the highest source that has any element of it.
        MutablePropertySources sources = context.getEnvironment().getPropertySources();
        if (sources.get(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME)
                instanceof EnumerablePropertySource<?> inlined) {
            for (String name : inlined.getPropertyNames()) {
                properties.put(name, inlined.getProperty(name));
            }
        }
        // @DynamicPropertySource values (a port known only at run time) win too.
        MapPropertySource standInSource = new MapPropertySource("standIns", properties);
        if (sources.contains(DYNAMIC)) {
            sources.addAfter(DYNAMIC, standInSource);
        } else {
            sources.addFirst(standInSource);
        }
        context.getBeanFactory().registerSingleton("standIns", standIns);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                standIns.close();
            }
        });
    }
}
