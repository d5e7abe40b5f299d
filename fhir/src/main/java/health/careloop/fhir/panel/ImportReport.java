package health.careloop.fhir.panel;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What an import did (or, in a dry run, would do), record by record, in words. */
public final class ImportReport {
    public enum Action {
        CREATED("created", "would be created"), UPDATED("updated", "would be updated"), UNCHANGED("unchanged", "unchanged"),
        REFUSED("refused", "would be refused");

        private final String done;
        private final String planned;

        Action(String done, String planned) {
            this.done = done;
            this.planned = planned;
        }

        public String words(boolean dryRun) {
            return dryRun ? planned : done;
        }
    }

    public record Line(String resource, Action action, String message, UUID patientId) {
    }

    private final boolean dryRun;
    private final List<Line> lines = new ArrayList<>();

    ImportReport(boolean dryRun) {
        this.dryRun = dryRun;
    }

    void add(Line line) {
        lines.add(line);
    }

    public boolean dryRun() {
        return dryRun;
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    public Map<Action, Integer> counts() {
        Map<Action, Integer> counts = new EnumMap<>(Action.class);
        for (Action a : Action.values()) {
            counts.put(a, 0);
        }
        lines.forEach(l -> counts.merge(l.action(), 1, Integer::sum));
        return counts;
    }

    /** The report as the API answers it; each line names its patient as patientId, which the audit trail records. */
    public JsonObject toJson() {
        JsonObject summary = new JsonObject();
        counts().forEach((a, n) -> summary.put(a.name().toLowerCase(), n));
        JsonArray items = new JsonArray();
        for (Line l : lines) {
            items.add(new JsonObject().put("resource", l.resource()).put("action", l.action().name().toLowerCase())
                    .put("outcome", l.action().words(dryRun)).put("message", l.message())
                    .put("patientId", l.patientId() == null ? null : l.patientId().toString()));
        }
        return new JsonObject().put("dryRun", dryRun).put("summary", summary).put("items", items);
    }
}
