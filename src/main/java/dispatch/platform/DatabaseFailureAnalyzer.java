package dispatch.platform;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;

/** A database that is down or refuses us stops start-up with one line saying which database and why. */
class DatabaseFailureAnalyzer implements FailureAnalyzer {

    private final Environment environment;

    DatabaseFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || isConnectionSqlState(t)) {
                String url = environment.getProperty("spring.datasource.url", "(SPRING_DATASOURCE_URL not set)");
                return new FailureAnalysis(
                        "Cannot connect to the database " + url + ": " + t.getMessage(),
                        "Check that PostgreSQL is running and reachable, and check SPRING_DATASOURCE_URL, "
                                + "SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD.",
                        failure);
            }
        }
        return null;
    }

    /** SQLSTATE class 08 is a connection failure, 28 a rejected login, 3D000 a database that does not exist. */
    private static boolean isConnectionSqlState(Throwable t) {
        if (!(t instanceof SQLException sql) || sql.getSQLState() == null) {
            return false;
        }
        String state = sql.getSQLState();
        return state.startsWith("08") || state.startsWith("28") || state.equals("3D000");
    }
}
