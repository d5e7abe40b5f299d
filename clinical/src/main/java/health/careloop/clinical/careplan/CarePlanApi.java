package health.careloop.clinical.careplan;

import health.careloop.clinical.conditions.Condition;
import health.careloop.clinical.conditions.Conditions;
import health.careloop.common.http.RequestBody;
import health.careloop.clinical.patients.PatientAccess;
import health.careloop.clinical.patients.PatientProfiles;
import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.directory.Patient;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * /api/v1/patients/{patientId}/care-plan: providers write versions (POST), care staff read the current one, the history
 * (…/versions) and a printable copy for the patient (…/print; billing-rules.md 2.2: a copy to the patient).
 */
public final class CarePlanApi {
    private static final int MAX_ITEMS = 100;

    private final PatientAccess access;
    private final CarePlans carePlans;
    private final Conditions conditions;
    private final PatientProfiles profiles;
    private final CarePlanCopies copies;

    public CarePlanApi(PatientAccess access, CarePlans carePlans, Conditions conditions, PatientProfiles profiles, CarePlanCopies copies) {
        this.access = access;
        this.carePlans = carePlans;
        this.conditions = conditions;
        this.profiles = profiles;
        this.copies = copies;
    }

    public void mount(Router api) {
        api.post("/patients/:patientId/care-plan").handler(this::change);
        api.get("/patients/:patientId/care-plan").handler(this::current);
        api.get("/patients/:patientId/care-plan/versions").handler(this::versions);
        api.get("/patients/:patientId/care-plan/print").handler(this::print);
        api.post("/patients/:patientId/care-plan/versions/:version/copies").handler(this::recordCopy);
    }

    private void change(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.CHANGE_THRESHOLDS_AND_CARE_PLANS);
        UUID patientId = PatientAccess.patientId(ctx);
        RequestBody body = RequestBody.of(ctx);
        Integer baseVersion = body.optionalInt("baseVersion").orElse(null);
        String changeNote = body.text("changeNote", 2000);
        List<UUID> problemIds = new ArrayList<>(new LinkedHashSet<>(body.uuids("problems", MAX_ITEMS)));
        if (problemIds.isEmpty()) {
            throw ApiException.badRequest("'problems' must name at least one of the patient's conditions (by id).");
        }
        String expectedOutcome = body.text("expectedOutcome", 4000);
        String prognosis = body.text("prognosis", 4000);
        List<CarePlan.Goal> goals = items(body, "goals", CarePlanApi::goal);
        if (goals.isEmpty()) {
            throw ApiException.badRequest("'goals' must have at least one measurable goal.");
        }
        String symptomManagement = body.text("symptomManagement", 4000);
        List<CarePlan.Intervention> interventions = items(body, "interventions",
                i -> new CarePlan.Intervention(i.text("description", 1000), i.string("responsibleParty", 200)));
        List<CarePlan.Medication> medications = items(body, "medications",
                m -> new CarePlan.Medication(m.string("name", 200), m.string("dose", 100), m.string("frequency", 100)));
        List<CarePlan.CommunityResource> resources = items(body, "communityResources",
                r -> new CarePlan.CommunityResource(r.string("name", 200), r.optionalText("details", 1000).orElse(null)));
        List<CarePlan.CoordinatingProvider> providers = items(body, "coordinatingProviders",
                p -> new CarePlan.CoordinatingProvider(p.string("name", 200), p.string("role", 200), p.optionalString("contact", 200).orElse(null)));
        var reviewDate = body.date("reviewDate");
        // Issue 16: a plan documented earlier (in the EHR, on paper) is entered with the day it was established.
        var establishedOn = body.optionalDate("establishedOn").orElse(null);
        Boolean substantialRevision = body.optionalBool("substantialRevision").orElse(null);
        ApiResponses.respondBlocking(ctx, 201, () -> {
            Patient patient = access.visible(principal, patientId);
            var today = access.today(patient.practiceId());
            if (establishedOn != null && establishedOn.isAfter(today)) {
                throw ApiException.badRequest("'establishedOn' (" + establishedOn + ") is in the future; a plan is established on or before the day it is entered.");
            }
            var established = establishedOn == null ? today : establishedOn;
            if (reviewDate.isBefore(established)) {
                throw ApiException.badRequest("'reviewDate' is before the day the plan was established; a care plan is reviewed on a schedule from then.");
            }
            Map<UUID, Condition> known = conditions.of(patientId).stream().collect(Collectors.toMap(Condition::id, Function.identity()));
            List<CarePlan.Problem> problems = new ArrayList<>();
            for (UUID id : problemIds) {
                Condition condition = known.get(id);
                if (condition == null) {
                    throw ApiException.badRequest("'problems' names " + id + ", which is not one of the patient's conditions.");
                }
                problems.add(new CarePlan.Problem(id, condition.icd10(), condition.description()));
            }
            CarePlan plan = new CarePlan(List.copyOf(problems), expectedOutcome, prognosis, goals, symptomManagement, interventions, medications,
                    resources, providers, reviewDate);
            CarePlans.Author author = new CarePlans.Author(principal.actor(), principal.staffId(), principal.displayName());
            return json(carePlans.append(patient.practiceId(), patientId, baseVersion, plan, changeNote, author, establishedOn, substantialRevision));
        });
    }

    /** billing-rules.md 2.2 [S20]: a goal must be measurable, so it names a number to reach and a date to reach it by. */
    private static CarePlan.Goal goal(RequestBody g) {
        String description = g.text("description", 500);
        String target = g.optionalString("target", 200).orElseThrow(() -> ApiException.badRequest(
                "'" + g.name("target") + "' is required: a goal must be measurable, such as 'SBP < 130 mmHg'."));
        if (!target.matches(".*[0-9].*")) {
            throw new ApiException(400, "goal_not_measurable", "'" + g.name("target") + "' (" + target
                    + ") is not measurable: give a number to reach, such as 'SBP < 130 mmHg' or 'HbA1c below 7%'.");
        }
        return new CarePlan.Goal(description, target, g.date("targetDate"));
    }

    private static <T> List<T> items(RequestBody body, String field, Function<RequestBody, T> parse) {
        return body.objects(field, MAX_ITEMS).stream().map(parse).toList();
    }

    private void current(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        UUID patientId = PatientAccess.patientId(ctx);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            access.visible(principal, patientId);
            return json(carePlans.current(patientId).orElseThrow(() -> ApiException.notFound("The patient has no care plan yet.")));
        });
    }

    private void versions(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        UUID patientId = PatientAccess.patientId(ctx);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            access.visible(principal, patientId);
            List<CarePlanCopies.Copy> given = copies.of(patientId);
            return new JsonObject().put("items", carePlans.versions(patientId).stream().map(v -> json(v).put("copies",
                    given.stream().filter(k -> k.versionId().equals(v.id())).map(CarePlanApi::json).toList())).toList());
        });
    }

    private void print(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        UUID patientId = PatientAccess.patientId(ctx);
        ApiResponses.blocking(ctx, () -> {
            access.visible(principal, patientId);
            CarePlanVersion version = carePlans.current(patientId).orElseThrow(() -> ApiException.notFound("The patient has no care plan yet."));
            return CarePlanPage.render(version, profiles.find(patientId).orElse(null));
        }).onSuccess(html -> ctx.response().setStatusCode(200)
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("X-Content-Type-Options", "nosniff")
                // The page is static: no scripts, no external loads, inline styles only.
                .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; frame-ancestors 'self'")
                .end(html)).onFailure(ctx::fail);
    }

    /** billing-rules.md 2.2: the patient gets a copy of the plan; who gave which version, when and how is recorded. */
    private void recordCopy(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.EDIT_PATIENTS);
        UUID patientId = PatientAccess.patientId(ctx);
        String versionText = ctx.pathParam("version");
        if (!versionText.matches("[1-9][0-9]{0,8}")) {
            throw ApiException.badRequest("'version' must be a care plan version number (1, 2, ...).");
        }
        int number = Integer.parseInt(versionText);
        RequestBody body = RequestBody.of(ctx);
        var givenOn = body.date("givenOn");
        String method = body.string("method", 20);
        if (!CarePlanCopies.METHODS.contains(method)) {
            throw ApiException.badRequest("'method' must be in_person, mail, portal or email.");
        }
        ApiResponses.respondBlocking(ctx, 201, () -> {
            Patient patient = access.visible(principal, patientId);
            if (givenOn.isAfter(access.today(patient.practiceId()))) {
                throw ApiException.badRequest("'givenOn' is in the future.");
            }
            CarePlanVersion version = carePlans.versions(patientId).stream().filter(v -> v.version() == number).findFirst()
                    .orElseThrow(() -> ApiException.notFound("The patient's care plan has no version " + number + "."));
            return json(copies.record(version, givenOn, method, principal.actor()));
        });
    }

    static JsonObject json(CarePlanCopies.Copy k) {
        return new JsonObject().put("id", k.id().toString()).put("version", k.version()).put("givenOn", k.givenOn().toString())
                .put("method", k.method()).put("recordedBy", k.recordedBy()).put("recordedAt", k.recordedAt().toString());
    }

    static JsonObject json(CarePlanVersion v) {
        return new JsonObject()
                .put("id", v.id().toString())
                .put("patientId", v.patientId().toString())
                .put("version", v.version())
                .put("plan", v.plan().toJson())
                .put("changeNote", v.changeNote())
                .put("changedSections", v.changedSections())
                .put("author", new JsonObject().put("actor", v.authorActor())
                        .put("staffId", v.authorStaffId() == null ? null : v.authorStaffId().toString()).put("name", v.authorName()))
                .put("changedAt", v.createdAt().toString())
                .put("establishedOn", v.establishedOn().toString())
                .put("substantialRevision", v.substantialRevision());
    }
}
