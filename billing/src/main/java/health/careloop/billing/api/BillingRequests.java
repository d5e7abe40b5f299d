package health.careloop.billing.api;

import health.careloop.common.auth.Principal;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.QueryParams;
import io.vertx.ext.web.RoutingContext;

import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/** The request parts every billing route reads the same way: the practice it acts on and the billing month. */
final class BillingRequests {
    private BillingRequests() {
    }

    /** The API token names the practice ({@code ?practiceId=}); staff act on their own, which a given id must match. */
    static UUID practice(Principal principal, RoutingContext ctx) {
        java.util.Optional<UUID> param = QueryParams.uuid(ctx, "practiceId");
        if (principal.isSystem()) {
            return param.orElseThrow(() -> ApiException.badRequest("'practiceId' is required with the API token."));
        }
        param.ifPresent(id -> principal.requirePractice(id, "practice " + id));
        return principal.practiceId();
    }

    /** YYYY-MM; when absent, the current month in {@code zone}, or a 400 when no zone is given (the month is required). */
    static YearMonth month(String value, ZoneId zone) {
        if (value == null) {
            if (zone == null) {
                throw ApiException.badRequest("'month' is required (YYYY-MM).");
            }
            return YearMonth.now(zone);
        }
        // Four-digit years only: YearMonth.parse takes "+999999999-12", whose next month does not exist (a 500 before).
        if (!value.matches("(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])")) {
            throw ApiException.badRequest("'month' must be YYYY-MM (a year from 1900 to 2999).");
        }
        try {
            return YearMonth.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("'month' must be YYYY-MM.");
        }
    }
}
