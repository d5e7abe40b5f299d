package health.careloop.clinical.tasks;

import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.directory.Directory;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.QueryParams;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.RequestBody;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * The care team's work queue: GET /tasks (by priority, then oldest first), POST /tasks (by hand), GET /tasks/{taskId},
 * POST /tasks/{taskId}/claim, /complete {outcome, minutes, program}, /cancel {outcome}. Reading needs READ_CLINICAL,
 * everything else WORK_QUEUE; another practice's task or patient answers 404.
 */
public final class TasksApi {
    private static final int DEFAULT_LIMIT = 200;
    private static final int MAX_LIMIT = 1000;

    private final DataSource dataSource;
    private final Directory directory;

    public TasksApi(DataSource dataSource) {
        this.dataSource = dataSource;
        this.directory = new Directory(dataSource);
    }

    public void mount(Router api) {
        api.get("/tasks").handler(this::list);
        api.post("/tasks").handler(this::create);
        api.get("/tasks/:taskId").handler(this::get);
        api.post("/tasks/:taskId/claim").handler(ctx -> act(ctx, "claim"));
        api.post("/tasks/:taskId/complete").handler(ctx -> act(ctx, "complete"));
        api.post("/tasks/:taskId/cancel").handler(ctx -> act(ctx, "cancel"));
    }

    private void list(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        String status = QueryParams.string(ctx, "status").orElse(null);
        if (status != null && !Task.STATUSES.contains(status)) {
            throw ApiException.badRequest("'status' must be one of " + String.join(", ", Task.STATUSES) + ".");
        }
        String assigneeParam = QueryParams.string(ctx, "assignee").orElse(null);
        UUID assignee = null;
        boolean unassigned = false;
        if ("me".equals(assigneeParam)) {
            if (principal.isSystem()) {
                throw ApiException.badRequest("'assignee=me' needs a staff member's session.");
            }
            assignee = principal.staffId();
        } else if ("none".equals(assigneeParam)) {
            unassigned = true;
        } else if (assigneeParam != null) {
            assignee = RequestBody.parseUuid("assignee", assigneeParam);
        }
        boolean overdue = QueryParams.bool(ctx, "overdue").orElse(false);
        UUID patientId = QueryParams.uuid(ctx, "patientId").orElse(null);
        UUID practice = principal.isSystem() ? null : principal.practiceId();
        int limit = QueryParams.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
        UUID assigneeId = assignee;
        boolean nobody = unassigned;
        ApiResponses.respondBlocking(ctx, 200, () -> {
            try (Connection c = dataSource.getConnection()) {
                JsonArray items = new JsonArray();
                TaskStore.list(c, practice, patientId, status, assigneeId, nobody, overdue, Instant.now(), limit)
                        .forEach(t -> items.add(json(t, Instant.now())));
                return new JsonObject().put("items", items);
            }
        });
    }

    private void create(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.WORK_QUEUE);
        RequestBody body = RequestBody.of(ctx);
        UUID patientId = body.uuid("patientId");
        String title = body.string("title", 300);
        String detail = body.optionalText("detail", 4000).orElse(null);
        String priority = body.optionalString("priority", 10).orElse("normal");
        if (!Task.PRIORITIES.contains(priority)) {
            throw ApiException.badRequest("'priority' must be one of " + String.join(", ", Task.PRIORITIES) + ".");
        }
        String program = body.optionalString("suggestedProgram", 10).orElse("ccm");
        if (!Task.PROGRAMS.contains(program)) {
            throw ApiException.badRequest("'suggestedProgram' must be rpm or ccm.");
        }
        Instant dueAt = body.optionalInstant("dueAt").orElse(Instant.now().plus(TaskPriority.dueWithin(priority)));
        UUID assignee = body.optionalUuid("assigneeId").orElse(null);
        ApiResponses.respondBlocking(ctx, 201, () -> {
            var patient = directory.patient(patientId).orElseThrow(() -> ApiException.notFound("No patient " + patientId + "."));
            principal.requirePractice(patient.practiceId(), "patient " + patientId);
            try (Connection c = dataSource.getConnection()) {
                if (assignee != null) {
                    requireStaffOf(c, assignee, patient.practiceId());
                }
                UUID id = TaskStore.createManual(c, patient.practiceId(), patientId, title, detail, priority, dueAt, program, assignee,
                        principal.actor());
                return json(TaskStore.find(c, id, false).orElseThrow(), Instant.now());
            }
        });
    }

    private void get(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        UUID taskId = RequestBody.parseUuid("taskId", ctx.pathParam("taskId"));
        ApiResponses.respondBlocking(ctx, 200, () -> {
            try (Connection c = dataSource.getConnection()) {
                return json(visible(c, principal, taskId, false), Instant.now());
            }
        });
    }

    private void act(RoutingContext ctx, String action) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.WORK_QUEUE);
        UUID taskId = RequestBody.parseUuid("taskId", ctx.pathParam("taskId"));
        String outcome = null;
        Integer minutes = null;
        String program = null;
        if (action.equals("complete") || action.equals("cancel")) {
            RequestBody body = RequestBody.of(ctx);
            outcome = body.text("outcome", 4000);
            if (action.equals("complete")) {
                minutes = minutes(body);
                program = body.optionalString("program", 10).orElse(null);
                if (program != null && !Task.PROGRAMS.contains(program)) {
                    throw ApiException.badRequest("'program' must be rpm or ccm.");
                }
                if (minutes != null && minutes > 0 && program == null) {
                    throw ApiException.badRequest("'program' (rpm or ccm) is required when minutes are logged: no minute counts toward both.");
                }
            }
        }
        String finalOutcome = outcome;
        Integer finalMinutes = minutes;
        String finalProgram = program;
        ApiResponses.respondBlocking(ctx, 200, () -> {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    Task task = visible(c, principal, taskId, true);
                    switch (action) {
                        case "claim" -> TaskStore.claim(c, task, principal.staffId());
                        case "complete" -> TaskStore.finish(c, task, "done", principal.actor(), finalOutcome, finalMinutes, finalProgram);
                        default -> TaskStore.finish(c, task, "cancelled", principal.actor(), finalOutcome, null, null);
                    }
                    Task updated = TaskStore.find(c, taskId, false).orElseThrow();
                    c.commit();
                    return json(updated, Instant.now());
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
        });
    }

    private static Integer minutes(RequestBody body) {
        Integer minutes;
        try {
            minutes = body.optionalInt("minutes").orElse(null);
        } catch (ApiException e) {
            minutes = -1;
        }
        if (minutes != null && (minutes < 0 || minutes > 600)) {
            throw ApiException.badRequest("'minutes' must be a whole number from 0 to 600.");
        }
        return minutes;
    }

    private static Task visible(Connection c, Principal principal, UUID taskId, boolean forUpdate) throws SQLException {
        Task task = TaskStore.find(c, taskId, forUpdate).orElseThrow(() -> ApiException.notFound("No task " + taskId + "."));
        principal.requirePractice(task.practiceId(), "task " + taskId);
        return task;
    }

    private static void requireStaffOf(Connection c, UUID staffId, UUID practiceId) throws SQLException {
        if (!StaffAccounts.isActiveMemberOf(c, staffId, practiceId)) {
            throw ApiException.badRequest("'assigneeId' must be an active staff member of the patient's practice.");
        }
    }

    public static JsonObject json(Task t, Instant now) {
        JsonObject json = new JsonObject()
                .put("id", t.id().toString())
                .put("practiceId", t.practiceId().toString())
                .put("patientId", t.patientId().toString())
                .put("kind", t.kind())
                .put("title", t.title())
                .put("priority", t.priority())
                .put("dueAt", t.dueAt().toString())
                .put("overdue", t.isActive() && t.dueAt().isBefore(now))
                .put("status", t.status())
                .put("suggestedProgram", t.suggestedProgram())
                .put("createdBy", t.createdBy())
                .put("createdAt", t.createdAt().toString())
                .put("updatedAt", t.updatedAt().toString());
        put(json, "alertId", t.alertId());
        put(json, "scheduleKey", t.scheduleKey());
        put(json, "detail", t.detail());
        put(json, "assigneeId", t.assigneeId());
        // The colleague's name, so the queue can say who is on it (staff names are not patient data).
        put(json, "assigneeName", t.assigneeName());
        put(json, "claimedAt", t.claimedAt());
        put(json, "minutes", t.minutesSpent());
        put(json, "program", t.timeProgram());
        put(json, "outcome", t.outcome());
        put(json, "completedBy", t.completedBy());
        put(json, "completedAt", t.completedAt());
        return json;
    }

    private static void put(JsonObject json, String key, Object value) {
        if (value != null) {
            json.put(key, value instanceof Instant || value instanceof UUID ? value.toString() : value);
        }
    }
}
