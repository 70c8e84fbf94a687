package dispatch.api;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Errors Tomcat answers itself, before Spring sees the request (an invalid URI, an encoded slash, a bad request line),
 * as an RFC 9457 problem instead of Tomcat's HTML page. Errors from the application already have a body and are left
 * alone.
 */
final class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                HttpStatus known = HttpStatus.resolve(status);
                writer.write("{\"type\":\"about:blank\",\"title\":\""
                        + (known == null ? "Error" : known.getReasonPhrase())
                        + "\",\"status\":" + status + ",\"detail\":\""
                        + (status == 400 ? "The request or its path is malformed" : "Refused by the server") + "\"}");
                response.finishResponse();
            }
        } catch (Exception e) {
            // the connection is gone or broken; nothing more to tell the client
        }
    }
}
