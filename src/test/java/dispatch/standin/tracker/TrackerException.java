package dispatch.standin.tracker;

import tools.jackson.databind.node.ObjectNode;

/** An API error, answered with Tracker's error body {@code {errors, errorMessages, statusCode}}. */
final class TrackerException extends RuntimeException {

    final int status;
    final String field;

    TrackerException(int status, String message) {
        this(status, null, message);
    }

    TrackerException(int status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    static TrackerException notFound(String what) {
        return new TrackerException(404, "Object not found: " + what);
    }

    static TrackerException badRequest(String message) {
        return new TrackerException(400, message);
    }

    ObjectNode body() {
        return errorBody(status, field, getMessage());
    }

    static ObjectNode errorBody(int status, String field, String message) {
        ObjectNode body = Json.object();
        ObjectNode errors = body.putObject("errors");
        if (field != null) {
            errors.put(field, message);
        }
        body.putArray("errorMessages").add(message);
        body.put("statusCode", status);
        return body;
    }
}
