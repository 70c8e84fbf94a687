package dispatch.api;

import java.io.OutputStream;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/** A JSON array of objects (or one object for the single-incident route), written token by token. */
final class JsonReportWriter implements ReportWriter {

    private static final JsonFactory JSON =
            JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private final JsonGenerator json;
    private final boolean single;

    JsonReportWriter(OutputStream out, boolean single) {
        this.json = JSON.createGenerator(ObjectWriteContext.empty(), out);
        this.single = single;
    }

    @Override
    public void begin() {
        if (!single) json.writeStartArray();
    }

    @Override
    public void beginRow() {
        json.writeStartObject();
    }

    @Override
    public void field(String name, @Nullable Object value) {
        json.writeName(name);
        if (value == null) {
            json.writeNull();
        } else if (value instanceof String s) {
            json.writeString(s);
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (value instanceof Long l) {
            json.writeNumber(l);
        } else if (value instanceof Double d && Double.isFinite(d)) {
            json.writeNumber(d);
        } else if (value instanceof Double) {
            // NaN and infinities are not JSON; ReportRow already turns them into null, this is the last guard.
            json.writeNull();
        } else {
            throw new IllegalArgumentException("unexpected value type " + value.getClass());
        }
    }

    @Override
    public void endRow() {
        json.writeEndObject();
    }

    @Override
    public void end() {
        if (!single) json.writeEndArray();
        json.close();
    }
}
