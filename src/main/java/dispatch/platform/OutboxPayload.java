package dispatch.platform;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What an outbox message carries: a record per kind of side effect, stored as JSON in a row of the kind its type
 * names with {@link Kind}. The handler of that kind reads it back as the same record, so a field's name and type are
 * checked by the compiler on both sides.
 */
public interface OutboxPayload {

    /** The outbox kind of a payload type (the {@code outbox.kind} column; handlers are found by it). */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface Kind {
        String value();
    }

    /** The kind {@code type} names. */
    static String kindOf(Class<? extends OutboxPayload> type) {
        Kind kind = type.getAnnotation(Kind.class);
        if (kind == null) throw new IllegalArgumentException(type.getName() + " names no @OutboxPayload.Kind");
        return kind.value();
    }
}
