package dispatch.towerstore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Rows left out of an import, each logged with its row number and reason (the first 100; then only counted). */
final class Skips {

    private static final Logger log = LoggerFactory.getLogger(Skips.class);
    private static final int LOGGED = 100;

    private final String report;
    private int count;

    Skips(String report) {
        this.report = report;
    }

    void row(int number, String reason) {
        count++;
        if (count <= LOGGED) {
            log.warn("TowerStore {} row {} skipped: {}", report, number, reason);
        } else if (count == LOGGED + 1) {
            log.warn("TowerStore {}: more rows skipped; only the total is reported from here on", report);
        }
    }

    /** A non-fatal problem inside a row that is still imported (e.g. one bad e-mail among good ones). */
    void note(int number, String problem) {
        log.info("TowerStore {} row {}: {}", report, number, problem);
    }

    int count() {
        return count;
    }
}
