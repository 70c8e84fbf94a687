package dispatch.towerstore;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reference data imported from TowerStore, for the other features: poles, base stations, their operators and the
 * contractor responsible for a pole. The lookups by code or name and the contractor never return removed rows (gone
 * from TowerStore); the reads of a pole by id do, as an incident keeps the pole it names. Every lookup is one indexed
 * query.
 */
@Component
public class TowerStore {

    /** A pole (tower). {@code code} is not unique: two poles (different SiteIds) may share one. */
    public record Pole(
            long id,
            long siteId,
            String code,
            @Nullable String bsName,
            @Nullable String status,
            @Nullable Double latitude,
            @Nullable Double longitude,
            @Nullable Double height,
            @Nullable String region,
            @Nullable String regionRu,
            @Nullable String address,
            @Nullable String infrastructureCompany,
            @Nullable String anchorOperator) {}

    /** A base station with the pole it stands on. {@code name} is unique per pole only. */
    public record BaseStation(long id, String name, Pole pole) {}

    /** A carrier; {@code group} is null when TowerStore gives none. */
    public record Operator(String name, @Nullable String group) {}

    /**
     * The field-service contractor of a pole, or the placeholder {@code undefined} (with the default contractor
     * e-mails) when TowerStore names none. E-mails are lower-case; phones are {@code +7XXXXXXXXXX} or {@code +digits}.
     */
    public record Contractor(
            long id, String name, boolean excludedFromContract, List<String> emails, List<String> phones) {

        public boolean placeholder() {
            return ContractorLoader.PLACEHOLDER.equals(name);
        }
    }

    static final String POLE_COLUMNS = "p.id, p.site_id, p.code, p.bs_name, p.status, p.latitude, p.longitude,"
            + " p.height, p.region, p.region_ru, p.address, p.infrastructure_company, p.anchor_operator";
    static final String POLES_BY_CODE =
            "select " + POLE_COLUMNS + " from pole p where p.code = :code and p.removed_at is null order by p.site_id";
    /**
     * "Starts with" as a range of the {@code varchar_pattern_ops} index ({@code ~>=~}, {@code ~<~} compare bytes), with
     * the {@code like} kept for exactness: PostgreSQL turns {@code like} into an index range only for a pattern it
     * knows when planning, which a generic plan (threading uses them) or a pattern from another table's row is not.
     */
    private static final String STARTS_WITH =
            " ~>=~ %1$s and %2$s ~<~ (%1$s || chr(1114111)) and %2$s like %3$s escape '\\'";

    static final String POLES_BY_PREFIX = "select " + POLE_COLUMNS + " from pole p where p.code"
            + STARTS_WITH.formatted(":prefix", "p.code", ":pattern")
            + " and p.removed_at is null order by p.code, p.site_id limit :limit";
    static final String STATIONS = "select b.id as bs_id, b.name as station_name, " + POLE_COLUMNS
            + " from base_station b join pole p on p.id = b.pole_id"
            + " where b.removed_at is null and p.removed_at is null and ";
    static final String STATIONS_BY_NAME = STATIONS + "b.name = :name order by p.code, b.id";
    static final String STATIONS_BY_PREFIX = STATIONS + "b.name"
            + STARTS_WITH.formatted(":prefix", "b.name", ":pattern") + " order by b.name, b.id limit :limit";

    static final String LOOK_UP = """
            select t.token, 1 as kind, cast(null as bigint) as bs_id, cast(null as text) as station_name, %1$s,
                   row_number() over (partition by t.token order by p.site_id) as n
            from unnest(cast(:tokens as text[])) t(token) join pole p on p.code = t.token
            where p.removed_at is null
            union all
            select t.token, 2, null, null, p.*
            from unnest(cast(:prefixes as text[]), cast(:patterns as text[])) t(token, pattern)
            cross join lateral (
                select %1$s, row_number() over (order by p.code, p.site_id) as n from pole p
                where p.code%2$s and p.removed_at is null
                order by p.code, p.site_id limit :limit) p
            union all
            select t.token, 3, b.id, b.name, %1$s, row_number() over (partition by t.token order by p.code, b.id)
            from unnest(cast(:tokens as text[])) t(token) join base_station b on b.name = t.token
            join pole p on p.id = b.pole_id
            where b.removed_at is null and p.removed_at is null
            order by kind, token, n
            """.formatted(POLE_COLUMNS, STARTS_WITH.formatted("t.token", "p.code", "t.pattern"));

    private final JdbcClient jdbc;

    TowerStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Current poles with exactly this code (usually one). */
    public List<Pole> polesByCode(String code) {
        return jdbc.sql(POLES_BY_CODE)
                .param("code", code.strip())
                .query(TowerStore::pole)
                .list();
    }

    /** Current poles whose code starts with {@code prefix}, by code, at most {@code limit}. */
    public List<Pole> polesByCodePrefix(String prefix, int limit) {
        return jdbc.sql(POLES_BY_PREFIX)
                .param("prefix", prefix.strip())
                .param("pattern", likePrefix(prefix))
                .param("limit", limit)
                .query(TowerStore::pole)
                .list();
    }

    /** Current base stations with exactly this name, each with its pole (a name may exist on several poles). */
    public List<BaseStation> baseStationsByName(String name) {
        return jdbc.sql(STATIONS_BY_NAME)
                .param("name", name.strip())
                .query(TowerStore::station)
                .list();
    }

    /** Current base stations whose name starts with {@code prefix}, by name, at most {@code limit}. */
    public List<BaseStation> baseStationsByNamePrefix(String prefix, int limit) {
        return jdbc.sql(STATIONS_BY_PREFIX)
                .param("prefix", prefix.strip())
                .param("pattern", likePrefix(prefix))
                .param("limit", limit)
                .query(TowerStore::station)
                .list();
    }

    /**
     * Poles and base stations for many tokens in one query (see {@link #lookUp}); every list in the order the
     * single lookups give.
     */
    public record Hits(
            Map<String, List<Pole>> polesByCode,
            Map<String, List<Pole>> polesByCodePrefix,
            Map<String, List<BaseStation>> baseStationsByName) {

        public List<Pole> polesByCode(String code) {
            return polesByCode.getOrDefault(code.strip(), List.of());
        }

        public List<Pole> polesByCodePrefix(String prefix) {
            return polesByCodePrefix.getOrDefault(prefix.strip(), List.of());
        }

        public List<BaseStation> baseStationsByName(String name) {
            return baseStationsByName.getOrDefault(name.strip(), List.of());
        }
    }

    /**
     * What {@link #polesByCode} and {@link #baseStationsByName} give for each of {@code tokens}, and
     * {@link #polesByCodePrefix} for each of {@code prefixes}, in one query.
     */
    public Hits lookUp(Collection<String> tokens, Collection<String> prefixes, int prefixLimit) {
        Hits hits = new Hits(new HashMap<>(), new HashMap<>(), new HashMap<>());
        if (tokens.isEmpty() && prefixes.isEmpty()) {
            return hits;
        }
        jdbc.sql(LOOK_UP)
                .param("tokens", tokens.stream().map(String::strip).toArray(String[]::new))
                .param("prefixes", prefixes.stream().map(String::strip).toArray(String[]::new))
                .param("patterns", prefixes.stream().map(TowerStore::likePrefix).toArray(String[]::new))
                .param("limit", prefixLimit)
                .query(rs -> {
                    String token = rs.getString("token");
                    switch (rs.getInt("kind")) {
                        case 1 ->
                            hits.polesByCode()
                                    .computeIfAbsent(token, k -> new ArrayList<>())
                                    .add(pole(rs, 0));
                        case 2 ->
                            hits.polesByCodePrefix()
                                    .computeIfAbsent(token, k -> new ArrayList<>())
                                    .add(pole(rs, 0));
                        default ->
                            hits.baseStationsByName()
                                    .computeIfAbsent(token, k -> new ArrayList<>())
                                    .add(station(rs, 0));
                    }
                });
        return hits;
    }

    /** The pole with this id, removed or not. */
    public Optional<Pole> pole(long id) {
        return jdbc.sql("select " + POLE_COLUMNS + " from pole p where p.id = :id")
                .param("id", id)
                .query(TowerStore::pole)
                .optional();
    }

    /** The pole the base station with this id stands on, removed or not. */
    public Optional<Pole> poleOfBaseStation(long baseStationId) {
        return jdbc.sql("select " + POLE_COLUMNS
                        + " from base_station b join pole p on p.id = b.pole_id where b.id = :id")
                .param("id", baseStationId)
                .query(TowerStore::pole)
                .optional();
    }

    /** The operators of a base station, by name. */
    public List<Operator> operatorsOf(long baseStationId) {
        return jdbc.sql("""
                        select o.name, o.group_name from base_station_operator l join operator o on o.id = l.operator_id
                        where l.base_station_id = :id order by o.name, o.group_name""")
                .param("id", baseStationId)
                .query((rs, i) -> new Operator(rs.getString(1), rs.getString(2)))
                .list();
    }

    /** The contractor responsible for a current pole, with its e-mails and phones; empty for an unknown pole. */
    public Optional<Contractor> contractorOf(long poleId) {
        return jdbc.sql("""
                        select c.id, c.name, c.excluded_from_contract,
                          array(select e.email from contractor_email e where e.contractor_id = c.id order by e.email),
                          array(select f.phone from contractor_phone f where f.contractor_id = c.id order by f.phone)
                        from pole p join contractor c on c.id = p.contractor_id
                        where p.id = :id and p.removed_at is null""")
                .param("id", poleId)
                .query((rs, i) -> new Contractor(
                        rs.getLong(1), rs.getString(2), rs.getBoolean(3), strings(rs, 4), strings(rs, 5)))
                .optional();
    }

    /** True before the first successful poles import. */
    boolean isEmpty() {
        return !jdbc.sql("select exists (select 1 from pole)")
                .query(Boolean.class)
                .single();
    }

    static String likePrefix(String prefix) {
        return prefix.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static Pole pole(ResultSet rs, int i) throws SQLException {
        return new Pole(
                rs.getLong("id"),
                rs.getLong("site_id"),
                rs.getString("code"),
                rs.getString("bs_name"),
                rs.getString("status"),
                rs.getObject("latitude", Double.class),
                rs.getObject("longitude", Double.class),
                rs.getObject("height", Double.class),
                rs.getString("region"),
                rs.getString("region_ru"),
                rs.getString("address"),
                rs.getString("infrastructure_company"),
                rs.getString("anchor_operator"));
    }

    private static BaseStation station(ResultSet rs, int i) throws SQLException {
        return new BaseStation(rs.getLong("bs_id"), rs.getString("station_name"), pole(rs, i));
    }

    private static List<String> strings(ResultSet rs, int column) throws SQLException {
        return List.of((String[]) rs.getArray(column).getArray());
    }
}
