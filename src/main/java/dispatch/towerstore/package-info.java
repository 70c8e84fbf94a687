/** TowerStore reference data: poles, base stations, operators and contractors, and the import job. */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform"})
@org.jspecify.annotations.NullMarked
package dispatch.towerstore;
