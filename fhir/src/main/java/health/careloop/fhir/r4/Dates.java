package health.careloop.fhir.r4;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.BaseDateTimeType;

import java.time.LocalDate;

/** Days as FHIR writes them: a date without a time or zone, never shifted by the server's zone. */
public final class Dates {
    private Dates() {
    }

    public static DateTimeType day(LocalDate day) {
        return new DateTimeType(day.toString());
    }

    public static DateType date(LocalDate day) {
        return new DateType(day.toString());
    }

    /** The calendar day a FHIR date or dateTime names, as written (its own zone, not the server's). */
    public static LocalDate localDate(BaseDateTimeType value) {
        if (value.getPrecision() == TemporalPrecisionEnum.YEAR || value.getPrecision() == TemporalPrecisionEnum.MONTH) {
            return null;
        }
        return LocalDate.of(value.getYear(), value.getMonth() + 1, value.getDay());
    }
}
