package dispatch.alert;

import java.util.List;
import org.springframework.stereotype.Component;

/** The alerts raised, open and over, for the status page. */
@Component
public class AlertHistory {

    private final AlertLog log;

    AlertHistory(AlertLog log) {
        this.log = log;
    }

    /** The latest alerts, most recently seen first. */
    public List<Alert> latest(int limit) {
        return log.list(false, limit);
    }
}
