package dispatch.api;

import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One group of the SLA statistics, or the total over all groups (decision 0028 says what each count means). Times to
 * finish are minutes with one decimal, null when nothing in the group is finished.
 */
record SlaRow(
        @Nullable String group,
        boolean total,
        long incidents,
        long finished,
        long met,
        long breached,
        long withoutSla,
        @Nullable Double medianMinutesToFinish,
        @Nullable Double p90MinutesToFinish,
        long handedOver,
        long contractorMet,
        long contractorBreached) {

    /** The field names in output order (the CSV header). */
    static final List<String> FIELD_NAMES = List.of(
            "group",
            "total",
            "incidents",
            "finished",
            "open",
            "met",
            "breached",
            "without_sla",
            "median_minutes_to_finish",
            "p90_minutes_to_finish",
            "handed_over",
            "contractor_met",
            "contractor_breached");

    void render(ReportRow.FieldSink out) throws IOException {
        Object[] values = {
            group,
            total,
            incidents,
            finished,
            incidents - finished,
            met,
            breached,
            withoutSla,
            tenths(medianMinutesToFinish),
            tenths(p90MinutesToFinish),
            handedOver,
            contractorMet,
            contractorBreached
        };
        for (int i = 0; i < values.length; i++) {
            out.field(FIELD_NAMES.get(i), values[i]);
        }
    }

    private static @Nullable Double tenths(@Nullable Double minutes) {
        return minutes == null ? null : Math.round(minutes * 10) / 10.0;
    }
}
