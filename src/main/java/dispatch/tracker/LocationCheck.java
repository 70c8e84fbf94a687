package dispatch.tracker;

import dispatch.incident.Incident;
import dispatch.towerstore.TowerStore;
import dispatch.towerstore.TowerStore.BaseStation;
import dispatch.towerstore.TowerStore.Pole;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Resolves the pole code and base station a dispatcher typed into an issue against TowerStore (docs/domain.md,
 * "Tracker workflow"). Unlike the old service an ambiguous value is never resolved to an arbitrary
 * row: an exact or unique prefix match resolves, several matches are an error naming up to three of them.
 */
@Component
class LocationCheck {

    private static final int LIMIT = 1000;

    /**
     * The location the issue asks for, or why it cannot be used.
     *
     * @param error the Russian text for the error transition, or null
     * @param unchanged neither field is filled in: the incident keeps its location (and Tracker gets it back)
     */
    record Outcome(
            @Nullable String error,
            boolean unchanged,
            @Nullable Long poleId,
            @Nullable Long baseStationId) {

        static Outcome failed(String error) {
            return new Outcome(error, false, null, null);
        }
    }

    private final TowerStore towerStore;

    LocationCheck(TowerStore towerStore) {
        this.towerStore = towerStore;
    }

    /**
     * A base station, when given, decides the pole (a given pole code must be a prefix of the station's pole code);
     * a pole without a base station keeps the incident's station only if it stands on that pole.
     */
    Outcome check(@Nullable String poleText, @Nullable String stationText, Incident incident) {
        String pole = blankToNull(poleText);
        String station = blankToNull(stationText);
        if (pole == null && station == null) return new Outcome(null, true, null, null);
        if (station != null) return station(station, pole);
        List<Pole> exact = towerStore.polesByCode(pole);
        List<Pole> found = exact.isEmpty() ? towerStore.polesByCodePrefix(pole, LIMIT) : exact;
        if (found.isEmpty()) return Outcome.failed("Не найдено опор, начинающихся с \"" + pole + "\"");
        if (found.size() > 1) {
            return Outcome.failed("Найдено " + found.size() + " опор, начинающихся с \"" + pole + "\". Примеры: "
                    + examples(found, Pole::code) + ". Уточните шифр опоры.");
        }
        long poleId = found.get(0).id();
        Long keptStation = Long.valueOf(poleId).equals(incident.poleId()) ? incident.baseStationId() : null;
        return new Outcome(null, false, poleId, keptStation);
    }

    private Outcome station(String station, @Nullable String pole) {
        List<BaseStation> exact = towerStore.baseStationsByName(station);
        if (!exact.isEmpty()) {
            List<BaseStation> onPole = onPole(exact, pole);
            if (onPole.isEmpty()) {
                return Outcome.failed("Базовая станция \"" + station + "\" привязана к опоре \""
                        + exact.get(0).pole().code() + "\", а указана опора \"" + pole + "\"");
            }
            return single(onPole, station, pole);
        }
        List<BaseStation> prefixed = towerStore.baseStationsByNamePrefix(station, LIMIT);
        if (prefixed.isEmpty()) return Outcome.failed("Не найдено БС, начинающихся с \"" + station + "\"");
        List<BaseStation> onPole = onPole(prefixed, pole);
        if (onPole.isEmpty()) {
            return Outcome.failed("Найдено БС, начинающихся с \"" + station
                    + "\", но ни одна не привязана к опоре, начинающейся с \"" + pole + "\".");
        }
        return single(onPole, station, pole);
    }

    private static Outcome single(List<BaseStation> found, String station, @Nullable String pole) {
        if (found.size() == 1) {
            BaseStation bs = found.get(0);
            return new Outcome(null, false, bs.pole().id(), bs.id());
        }
        return Outcome.failed("Найдено " + found.size() + " БС, начинающихся с \"" + station + "\""
                + (pole == null ? "" : " и привязанных к опорам, начинающимся с \"" + pole + "\"")
                + ". Примеры: " + examples(found, BaseStation::name) + ". Уточните шифр базовой станции.");
    }

    private static List<BaseStation> onPole(List<BaseStation> stations, @Nullable String pole) {
        return pole == null
                ? stations
                : stations.stream()
                        .filter(b -> b.pole().code().startsWith(pole))
                        .toList();
    }

    private static <T> String examples(List<T> found, Function<T, String> name) {
        return found.stream().limit(3).map(name).collect(Collectors.joining(", "));
    }

    static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
