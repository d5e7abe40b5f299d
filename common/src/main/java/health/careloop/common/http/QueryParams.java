package health.careloop.common.http;

import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Typed query parameters; the one way the API reads them. A bad value is a 400 that names the parameter. A query
 * parameter is one line of text: NUL and every other control character is refused ({@link #refuseControlCharacters}
 * does so for every parameter of every API request, before any handler reads one).
 */
public final class QueryParams {
    /** Longer than any value the API reads (a name search is at most 100 characters). */
    private static final int MAX_LENGTH = 200;

    private QueryParams() {
    }

    /**
     * Router handler: a request whose query has a control character or an unpaired surrogate in a name or a value is
     * refused here, naming the parameter, so no handler (or database) ever sees it.
     */
    public static void refuseControlCharacters(RoutingContext ctx) {
        for (Map.Entry<String, String> param : ctx.queryParams()) {
            try {
                RequestBody.checkText("name", param.getKey(), false);
            } catch (ApiException e) {
                throw new ApiException(400, "invalid_text", "A query parameter's name must be one line of text without control characters.");
            }
            RequestBody.checkText(param.getKey(), param.getValue(), false);
        }
        ctx.next();
    }

    /** The parameter as one line of text (trimmed), at most {@code maxLength}; empty when absent. */
    public static Optional<String> string(RoutingContext ctx, String name, int maxLength) {
        String value = ctx.queryParams().get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (value.length() > maxLength) {
            throw ApiException.badRequest("'" + name + "' must be at most " + maxLength + " characters.");
        }
        String trimmed = RequestBody.trim(value);
        RequestBody.checkText(name, trimmed, false);
        return Optional.of(trimmed);
    }

    public static Optional<String> string(RoutingContext ctx, String name) {
        return string(ctx, name, MAX_LENGTH);
    }

    public static Optional<UUID> uuid(RoutingContext ctx, String name) {
        return string(ctx, name).map(v -> RequestBody.parseUuid(name, v));
    }

    public static Optional<LocalDate> date(RoutingContext ctx, String name) {
        return string(ctx, name).map(v -> RequestBody.parseDate(name, v));
    }

    public static Optional<Instant> instant(RoutingContext ctx, String name) {
        return string(ctx, name).map(v -> RequestBody.parseInstant(name, v));
    }

    /** {@code true} or {@code false}; empty when absent. */
    public static Optional<Boolean> bool(RoutingContext ctx, String name) {
        return string(ctx, name).map(v -> switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest("'" + name + "' must be true or false.");
        });
    }

    /** {@code ?limit=}: a whole number from 1 to {@code max}, or {@code defaultLimit} when absent. */
    public static int limit(RoutingContext ctx, int defaultLimit, int max) {
        Optional<String> value = string(ctx, "limit");
        if (value.isEmpty()) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(value.get());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badRequest("'limit' must be a whole number from 1 to " + max + ".");
    }
}
