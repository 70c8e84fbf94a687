package dispatch.towerstore;

/** A report that cannot be imported at all (download failed, not JSON, a required column missing); data unchanged. */
class ReportException extends RuntimeException {

    ReportException(String message) {
        super(message);
    }

    ReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
