package dispatch.legacy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Poles and base stations of the target database, by the codes the old database names them with: a pole by its code
 * (the site id decides between poles sharing a code), a base station by its pole and name.
 */
final class Locations {

    private record Pole(long id, long siteId) {}

    private final Map<String, List<Pole>> poles = new HashMap<>();
    private final Map<String, Long> stations = new HashMap<>();

    Locations(JdbcTemplate target) {
        target.query("select id, site_id, code from pole where removed_at is null", rs -> {
            poles.computeIfAbsent(rs.getString("code"), c -> new ArrayList<>())
                    .add(new Pole(rs.getLong("id"), rs.getLong("site_id")));
        });
        target.query("select id, pole_id, name from base_station where removed_at is null", rs -> {
            stations.put(rs.getLong("pole_id") + "\u0000" + rs.getString("name"), rs.getLong("id"));
        });
    }

    /** The pole with this code (and, among several, this site id); null with the reason reported. */
    @Nullable
    Long pole(@Nullable String code, @Nullable Long siteId, long incidentId, ImportReport report) {
        if (code == null || code.isBlank() || code.equals("undefined")) return null;
        List<Pole> found = poles.getOrDefault(code, List.of());
        if (found.size() == 1) return found.get(0).id();
        for (Pole pole : found) {
            if (Objects.equals(pole.siteId(), siteId)) return pole.id();
        }
        report.unmapped(
                found.isEmpty() ? "pole code unknown in TowerStore" : "pole code ambiguous in TowerStore",
                "incident " + incidentId + " pole " + code);
        return null;
    }

    /** The base station with this name on this pole; null with the reason reported. */
    @Nullable
    Long baseStation(@Nullable Long poleId, @Nullable String name, long incidentId, ImportReport report) {
        if (name == null || name.isBlank() || name.equals("undefined")) return null;
        Long id = poleId == null ? null : stations.get(poleId + "\u0000" + name);
        if (id == null) report.unmapped("base station unknown in TowerStore", "incident " + incidentId + " BS " + name);
        return id;
    }
}
