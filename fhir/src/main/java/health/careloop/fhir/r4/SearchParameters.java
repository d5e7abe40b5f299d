package health.careloop.fhir.r4;

import health.careloop.common.http.ApiException;
import health.careloop.common.http.QueryParams;
import health.careloop.common.http.RequestBody;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The search parameters of one FHIR search, checked before anything runs: a parameter the resource does not support is
 * refused (400 naming it) rather than silently ignored, which would widen the answer (FHIR R4 search.html#errors lets a
 * server refuse). {@code _count} is 1-1000; {@code _cursor} is the opaque position our next links carry.
 */
public final class SearchParameters {
    public static final int DEFAULT_COUNT = 100;
    public static final int MAX_COUNT = 1000;
    private static final Set<String> ALWAYS = Set.of("_count", "_cursor", "_format");
    private static final Pattern DATE_VALUE = Pattern.compile("(eq|ge|gt|le|lt)?(\\d{4}-\\d{2}-\\d{2}(T.+)?)");

    private final RoutingContext ctx;

    private SearchParameters(RoutingContext ctx) {
        this.ctx = ctx;
    }

    public static SearchParameters of(RoutingContext ctx, Set<String> supported) {
        Set<String> unknown = new TreeSet<>();
        for (String name : ctx.queryParams().names()) {
            if (!supported.contains(name) && !ALWAYS.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ApiException(400, "unsupported_search_parameter", "Search parameter(s) not supported here: " + String.join(", ", unknown)
                    + "; supported: " + String.join(", ", new TreeSet<>(supported)) + ", _count.");
        }
        QueryParams.string(ctx, "_format").filter(f -> !f.equals("json") && !f.contains("json"))
                .ifPresent(f -> {
                    throw new ApiException(400, "unsupported_format", "'_format' must be json: CareLoop answers FHIR JSON only.");
                });
        return new SearchParameters(ctx);
    }

    public int count() {
        return count(DEFAULT_COUNT);
    }

    public int count(int defaultCount) {
        Optional<String> value = QueryParams.string(ctx, "_count");
        if (value.isEmpty()) {
            return defaultCount;
        }
        try {
            int count = Integer.parseInt(value.get());
            if (count >= 1 && count <= MAX_COUNT) {
                return count;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ApiException(400, "invalid_count", "'_count' must be a whole number from 1 to " + MAX_COUNT + ".");
    }

    public Optional<String> cursor() {
        return QueryParams.string(ctx, "_cursor");
    }

    public Optional<String> string(String name) {
        return QueryParams.string(ctx, name);
    }

    /** {@code patient} (or {@code subject}) as {@code Patient/<id>} or {@code <id>}; absent: empty. */
    public Optional<UUID> patient() {
        Optional<String> value = QueryParams.string(ctx, "patient").or(() -> QueryParams.string(ctx, "subject"));
        return value.map(v -> RequestBody.parseUuid("patient", v.startsWith("Patient/") ? v.substring(8) : v));
    }

    public UUID requiredPatient() {
        return patient().orElseThrow(() -> new ApiException(400, "missing_patient", "Search by 'patient' (Patient/<id>): CareLoop answers a "
                + "search of this resource for one patient at a time."));
    }

    /** The codes of a token parameter ({@code code=85354-9,http://loinc.org|8867-4}), each as system (or null) and code. */
    public List<Token> tokens(String name) {
        List<Token> tokens = new ArrayList<>();
        for (String value : ctx.queryParam(name)) {
            for (String part : value.split(",")) {
                String trimmed = part.trim();
                if (trimmed.isEmpty()) {
                    throw new ApiException(400, "invalid_token", "'" + name + "' has an empty code.");
                }
                int bar = trimmed.indexOf('|');
                tokens.add(bar < 0 ? new Token(null, trimmed) : new Token(trimmed.substring(0, bar).isEmpty() ? null : trimmed.substring(0, bar),
                        trimmed.substring(bar + 1)));
            }
        }
        return tokens;
    }

    public record Token(String system, String code) {
    }

    /** A half-open range of instants [from, to); a bound that was not given is null. */
    public record DateRange(Instant from, Instant to) {
        public static final DateRange ALL = new DateRange(null, null);

        public boolean contains(Instant at) {
            return (from == null || !at.isBefore(from)) && (to == null || at.isBefore(to));
        }

        public boolean overlapsDay(LocalDate start, LocalDate end, ZoneId zone) {
            Instant s = start.atStartOfDay(zone).toInstant();
            Instant e = end == null ? null : end.plusDays(1).atStartOfDay(zone).toInstant();
            return (to == null || s.isBefore(to)) && (from == null || e == null || e.isAfter(from));
        }
    }

    /**
     * The {@code date}-like parameter's values ANDed ({@code date=ge2026-09-01&date=lt2026-12-01}); a day is a day in the
     * practice's zone, as everywhere in CareLoop.
     */
    public DateRange dateRange(String name, ZoneId zone) {
        Instant from = null;
        Instant to = null;
        for (String value : ctx.queryParam(name)) {
            Matcher m = DATE_VALUE.matcher(value.trim());
            if (!m.matches()) {
                throw new ApiException(400, "invalid_date", "'" + name + "' must be a date or date-time with an optional prefix eq, ge, gt, le "
                        + "or lt (e.g. ge2026-09-01).");
            }
            String prefix = m.group(1) == null ? "eq" : m.group(1);
            Instant start;
            Instant end;
            try {
                if (m.group(3) == null) {
                    LocalDate day = LocalDate.parse(m.group(2));
                    start = day.atStartOfDay(zone).toInstant();
                    end = day.plusDays(1).atStartOfDay(zone).toInstant();
                } else {
                    start = OffsetDateTime.parse(m.group(2)).toInstant();
                    end = start.plusMillis(1);
                }
            } catch (DateTimeParseException e) {
                throw new ApiException(400, "invalid_date", "'" + name + "' is not a valid date or date-time with an offset: " + m.group(2) + ".");
            }
            switch (prefix) {
                case "ge" -> from = later(from, start);
                case "gt" -> from = later(from, end);
                case "le" -> to = earlier(to, end);
                case "lt" -> to = earlier(to, start);
                default -> {
                    from = later(from, start);
                    to = earlier(to, end);
                }
            }
        }
        return new DateRange(from, to);
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}
