/** Database backups: the health check that tells when the backup service failed or stopped (README "Backup and restore"). */
@org.springframework.modulith.ApplicationModule(allowedDependencies = "platform")
@org.jspecify.annotations.NullMarked
package dispatch.backup;
