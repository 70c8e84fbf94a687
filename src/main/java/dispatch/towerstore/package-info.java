/** TowerStore reference data: poles, base stations, operators and contractors, and the import job. */
@org.jspecify.annotations.NullMarked
package dispatch.towerstore;
