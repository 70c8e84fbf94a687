package dispatch.standin;

import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Gives each test application context its own stand-ins and a fresh database on the JVM-wide PostgreSQL server.
 * The {@link StandIns} are a bean, so tests inject them to append mail or inspect the fakes.
 */
public class StandInsInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        StandIns standIns = StandIns.start(EmbeddedDatabase.newDatabase(), StandIns.Ports.random());
        Map<String, Object> properties = standIns.applicationProperties();
        properties.put("dispatch.installation-id", "test");
        properties.put("dispatch.scheduling-enabled", "false");
        properties.put("logging.file.name", "");
        // Below the test's own properties (so a test can override a stand-in setting), above application.yml.
        MutablePropertySources sources = context.getEnvironment().getPropertySources();
        MapPropertySource standInSource = new MapPropertySource("standIns", properties);
        sources.stream()
                .map(PropertySource::getName)
                .filter(name -> name.startsWith("Config resource"))
                .findFirst()
                .ifPresentOrElse(name -> sources.addBefore(name, standInSource), () -> sources.addLast(standInSource));
        context.getBeanFactory().registerSingleton("standIns", standIns);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                standIns.close();
            }
        });
    }
}
