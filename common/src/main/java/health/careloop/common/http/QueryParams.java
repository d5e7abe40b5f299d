package health.careloop.common.http;

import io.vertx.ext.web.RoutingContext;

/** Typed query parameters shared by the list endpoints; a bad value is a 400 that names the parameter. */
public final class QueryParams {
    private QueryParams() {
    }

    /** {@code ?limit=}: a whole number from 1 to {@code max}, or {@code defaultLimit} when absent. */
    public static int limit(RoutingContext ctx, int defaultLimit, int max) {
        String value = ctx.queryParams().get("limit");
        if (value == null) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ApiException.badRequest("'limit' must be a whole number from 1 to " + max + ".");
    }
}
