package health.careloop.common.audit;

import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Practice;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.QueryParams;
import health.careloop.common.http.RequestBody;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/**
 * GET /audit-events (JSON, a page at a time) and GET /audit-events.csv (the same filter as a file) for a practice's
 * administrators (READ_AUDIT), or for the API token naming a practice. The reads are themselves audited, naming the
 * patients in the answer, since the trail says who saw which patient's record.
 */
public final class AuditApi {
    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;
    static final int DEFAULT_FILE = 10_000;
    static final int MAX_FILE = 100_000;
    /** Response header of the CSV when more events match than it holds: the cursor to ask for the rest. */
    public static final String NEXT_CURSOR_HEADER = "X-CareLoop-Next-Cursor";

    private final AuditLog log;
    private final Directory directory;

    public AuditApi(AuditLog log, Directory directory) {
        this.log = log;
        this.directory = directory;
    }

    public void mount(Router api) {
        api.get("/audit-events").handler(this::list);
        api.get("/audit-events.csv").handler(this::csv);
    }

    private void list(RoutingContext ctx) {
        int limit = QueryParams.limit(ctx, DEFAULT_PAGE, MAX_PAGE);
        Request request = request(ctx);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            AuditLog.Page page = log.page(request.filter(directory, limit));
            JsonArray items = new JsonArray();
            page.events().forEach(s -> items.add(json(s)));
            AuditTrail.patients(ctx, patientsOf(page));
            return new JsonObject().put("items", items).put("nextCursor", page.next().map(AuditLog.Cursor::wire).orElse(null));
        });
    }

    private void csv(RoutingContext ctx) {
        int limit = QueryParams.limit(ctx, DEFAULT_FILE, MAX_FILE);
        Request request = request(ctx);
        ApiResponses.blocking(ctx, () -> {
            AuditLog.Page page = log.page(request.filter(directory, limit));
            AuditTrail.patients(ctx, patientsOf(page));
            return page;
        }).onSuccess(page -> {
            var response = ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8; header=present")
                    .putHeader("Content-Disposition", "attachment; filename=\"audit-events-" + request.practiceId() + ".csv\"")
                    .putHeader("Cache-Control", "no-store");
            page.next().ifPresent(next -> response.putHeader(NEXT_CURSOR_HEADER, next.wire()));
            response.end(AuditCsv.write(page.events()));
        }).onFailure(ctx::fail);
    }

    /** The filter as asked, checked before any database work: who may read which practice, and well-formed values. */
    private record Request(UUID practiceId, UUID patientId, UUID staffId, String from, String to, AuditLog.Cursor after) {
        AuditLog.Filter filter(Directory directory, int limit) throws Exception {
            ZoneId zone = directory.practice(practiceId).map(Practice::timeZone)
                    .orElseThrow(() -> ApiException.notFound("No practice " + practiceId + "."));
            return new AuditLog.Filter(practiceId, patientId, staffId, instant("from", from, zone, false), instant("to", to, zone, true),
                    after, limit);
        }
    }

    private static Request request(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_AUDIT);
        String requested = QueryParams.string(ctx, "practiceId", 36).orElse(null);
        UUID practice;
        if (principal.isSystem()) {
            if (requested == null) {
                throw ApiException.badRequest("'practiceId' is required with the API token.");
            }
            practice = RequestBody.parseUuid("practiceId", requested);
        } else {
            if (requested != null && !requested.equals(principal.practiceId().toString())) {
                throw ApiException.notFound("No practice " + requested + ".");
            }
            practice = principal.practiceId();
        }
        String cursor = QueryParams.string(ctx, "cursor", 60).orElse(null);
        AuditLog.Cursor after = cursor == null ? null : AuditLog.Cursor.parse(cursor)
                .orElseThrow(() -> ApiException.badRequest("'cursor' must be a nextCursor from an earlier page."));
        String from = QueryParams.string(ctx, "from", 40).orElse(null);
        String to = QueryParams.string(ctx, "to", 40).orElse(null);
        // Parsed once here so a malformed value is a 400 before any database work; the practice's zone comes later.
        instant("from", from, ZoneId.of("UTC"), false);
        instant("to", to, ZoneId.of("UTC"), true);
        return new Request(practice, QueryParams.uuid(ctx, "patientId").orElse(null), QueryParams.uuid(ctx, "staffId").orElse(null), from, to,
                after);
    }

    /** An instant (2026-03-01T00:00:00Z) or a date, which means that day in the practice's zone ({@code to}: inclusive). */
    private static Instant instant(String name, String value, ZoneId zone, boolean endOfDay) {
        if (value == null) {
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
            }
            return Instant.parse(value);
        } catch (DateTimeException e) {
            throw ApiException.badRequest("'" + name + "' must be a date (YYYY-MM-DD, in the practice's time zone) or an instant "
                    + "(2026-03-01T14:00:00Z).");
        }
    }

    private static Set<UUID> patientsOf(AuditLog.Page page) {
        Set<UUID> patients = new LinkedHashSet<>();
        for (AuditLog.Stored s : page.events()) {
            if (s.event().patientId() != null) {
                patients.add(s.event().patientId());
            }
            if (s.event().patientIds() != null) {
                patients.addAll(s.event().patientIds());
            }
        }
        return patients;
    }

    static JsonObject json(AuditLog.Stored s) {
        AuditEvent e = s.event();
        return new JsonObject().put("id", s.id()).put("at", e.at().toString()).put("actor", e.actor())
                .put("staffId", string(e.staffId())).put("action", e.action()).put("resource", e.resource()).put("query", e.query())
                .put("outcome", e.outcome()).put("practiceId", string(e.practiceId())).put("patientId", string(e.patientId()))
                .put("patientIds", e.patientIds() == null ? new JsonArray() : new JsonArray(e.patientIds().stream().map(UUID::toString).toList()))
                .put("clientAddress", e.clientAddress());
    }

    private static String string(UUID id) {
        return id == null ? null : id.toString();
    }
}
