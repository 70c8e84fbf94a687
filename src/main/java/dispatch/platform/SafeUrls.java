package dispatch.platform;

import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * URLs as they may appear in logs, health details and the start-up report: a TowerStore or Tracker URL may carry a
 * login ({@code user:password@}) or a token in its query, so both are cut. Never log a configured URL any other way.
 */
public final class SafeUrls {

    private SafeUrls() {}

    /** {@code https://user:secret@host:8443/report.json?token=x} becomes {@code https://host:8443/report.json?***}. */
    public static String of(@Nullable URI uri) {
        if (uri == null) {
            return "(not set)";
        }
        if (uri.getHost() == null) {
            return uri.getScheme() == null ? "(not a URL)" : uri.getScheme() + ":***";
        }
        return uri.getScheme() + "://" + (uri.getRawUserInfo() == null ? "" : "***@") + uri.getHost()
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?***");
    }
}
