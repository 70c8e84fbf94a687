package dispatch.api;

import java.io.OutputStream;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;

/** A JSON array of objects (or one object for the single-incident route), written token by token. */
final class JsonReportWriter implements ReportWriter {

    private static final JsonFactory JSON =
            JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    /** The names in render order, encoded once: a row writes them 28 times. */
    private static final SerializableString[] NAMES =
            ReportRow.FIELD_NAMES.stream().map(SerializedString::new).toArray(SerializableString[]::new);

    private final JsonGenerator json;
    private final boolean single;
    private int next;

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
        next = 0;
    }

    @Override
    public void field(String name, @Nullable Object value) {
        SerializableString encoded = next < NAMES.length ? NAMES[next] : null;
        next++;
        if (encoded != null && encoded.getValue().equals(name)) {
            json.writeName(encoded);
        } else {
            json.writeName(name);
        }
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
