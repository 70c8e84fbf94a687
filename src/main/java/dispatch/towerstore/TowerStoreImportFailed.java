package dispatch.towerstore;

/**
 * A TowerStore report could not be imported; the reference data from the previous import stays in use.
 *
 * @param report {@code poles}, {@code contractors} or {@code base_stations}
 * @param reason what went wrong, for a person (no secrets)
 */
public record TowerStoreImportFailed(String report, String reason) {}
