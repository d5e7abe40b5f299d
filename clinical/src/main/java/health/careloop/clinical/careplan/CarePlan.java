package health.careloop.clinical.careplan;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * The content of a comprehensive care plan, one element per item of billing-rules.md 2.2 [S17][S52]: problems, expected
 * outcome and prognosis, measurable goals, symptom management, interventions and who is responsible, medications,
 * community resources, coordination with outside providers, and when it is reviewed.
 */
public record CarePlan(List<Problem> problems, String expectedOutcome, String prognosis, List<Goal> goals, String symptomManagement,
                       List<Intervention> interventions, List<Medication> medications, List<CommunityResource> communityResources,
                       List<CoordinatingProvider> coordinatingProviders, LocalDate reviewDate) {

    /** A condition of the patient's record, copied as it was when the plan was written. */
    public record Problem(UUID conditionId, String icd10, String description) {
    }

    /** billing-rules.md 2.2 [S20]: goals are measurable, so each has a numeric target and a date. */
    public record Goal(String description, String target, LocalDate targetDate) {
    }

    public record Intervention(String description, String responsibleParty) {
    }

    public record Medication(String name, String dose, String frequency) {
    }

    public record CommunityResource(String name, String details) {
    }

    public record CoordinatingProvider(String name, String role, String contact) {
    }

    /** The sections by their wire names, in the order the plan is shown. */
    public Map<String, Object> sections() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("problems", problems);
        s.put("expectedOutcome", expectedOutcome);
        s.put("prognosis", prognosis);
        s.put("goals", goals);
        s.put("symptomManagement", symptomManagement);
        s.put("interventions", interventions);
        s.put("medications", medications);
        s.put("communityResources", communityResources);
        s.put("coordinatingProviders", coordinatingProviders);
        s.put("reviewDate", reviewDate);
        return s;
    }

    /** The sections that differ from the previous version (all of them for the first). */
    public List<String> sectionsChangedSince(CarePlan previous) {
        Map<String, Object> now = sections();
        if (previous == null) {
            return List.copyOf(now.keySet());
        }
        Map<String, Object> before = previous.sections();
        List<String> changed = new ArrayList<>();
        now.forEach((name, value) -> {
            if (!Objects.equals(value, before.get(name))) {
                changed.add(name);
            }
        });
        return changed;
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("problems", array(problems, p -> new JsonObject().put("conditionId", p.conditionId().toString())
                        .put("icd10", p.icd10()).put("description", p.description())))
                .put("expectedOutcome", expectedOutcome)
                .put("prognosis", prognosis)
                .put("goals", array(goals, g -> new JsonObject().put("description", g.description()).put("target", g.target())
                        .put("targetDate", g.targetDate().toString())))
                .put("symptomManagement", symptomManagement)
                .put("interventions", array(interventions, i -> new JsonObject().put("description", i.description())
                        .put("responsibleParty", i.responsibleParty())))
                .put("medications", array(medications, m -> new JsonObject().put("name", m.name()).put("dose", m.dose())
                        .put("frequency", m.frequency())))
                .put("communityResources", array(communityResources, r -> new JsonObject().put("name", r.name()).put("details", r.details())))
                .put("coordinatingProviders", array(coordinatingProviders, p -> new JsonObject().put("name", p.name()).put("role", p.role())
                        .put("contact", p.contact())))
                .put("reviewDate", reviewDate.toString());
    }

    /** Reads back what {@link #toJson} stored. */
    public static CarePlan fromJson(JsonObject j) {
        return new CarePlan(
                list(j.getJsonArray("problems"), o -> new Problem(UUID.fromString(o.getString("conditionId")), o.getString("icd10"), o.getString("description"))),
                j.getString("expectedOutcome"), j.getString("prognosis"),
                list(j.getJsonArray("goals"), o -> new Goal(o.getString("description"), o.getString("target"), LocalDate.parse(o.getString("targetDate")))),
                j.getString("symptomManagement"),
                list(j.getJsonArray("interventions"), o -> new Intervention(o.getString("description"), o.getString("responsibleParty"))),
                list(j.getJsonArray("medications"), o -> new Medication(o.getString("name"), o.getString("dose"), o.getString("frequency"))),
                list(j.getJsonArray("communityResources"), o -> new CommunityResource(o.getString("name"), o.getString("details"))),
                list(j.getJsonArray("coordinatingProviders"), o -> new CoordinatingProvider(o.getString("name"), o.getString("role"), o.getString("contact"))),
                LocalDate.parse(j.getString("reviewDate")));
    }

    private static <T> JsonArray array(List<T> items, Function<T, JsonObject> toJson) {
        JsonArray array = new JsonArray();
        items.forEach(item -> array.add(toJson.apply(item)));
        return array;
    }

    private static <T> List<T> list(JsonArray array, Function<JsonObject, T> fromJson) {
        List<T> result = new ArrayList<>();
        for (int i = 0; array != null && i < array.size(); i++) {
            result.add(fromJson.apply(array.getJsonObject(i)));
        }
        return List.copyOf(result);
    }
}
