package dispatch.towerstore;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** The daily import (20:00 Moscow by default) and a first import at start-up when there are no poles yet. */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.towerstore.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "dispatch.scheduling-enabled", matchIfMissing = true)
class TowerStoreJobs {

    private static final Logger log = LoggerFactory.getLogger(TowerStoreJobs.class);

    private final TowerStoreImport importer;
    private final TowerStore towerStore;

    TowerStoreJobs(TowerStoreImport importer, TowerStore towerStore) {
        this.importer = importer;
        this.towerStore = towerStore;
    }

    @Scheduled(
            cron = "${dispatch.towerstore.cron:0 0 20 * * *}",
            zone = "${dispatch.towerstore.cron-zone:Europe/Moscow}")
    @SchedulerLock(name = "towerstore-import")
    void daily() {
        importer.importAll();
    }

    @EventListener(ApplicationReadyEvent.class)
    void importWhenEmpty() {
        if (!towerStore.isEmpty()) {
            return;
        }
        log.info("No poles yet: importing TowerStore now rather than waiting for the daily run");
        Thread t = new Thread(importer::importAll, "towerstore-first-import");
        t.setDaemon(true);
        t.start();
    }
}
