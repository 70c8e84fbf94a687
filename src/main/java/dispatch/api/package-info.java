/** REST API for reports and the small admin endpoints. */
@org.jspecify.annotations.NullMarked
package dispatch.api;
