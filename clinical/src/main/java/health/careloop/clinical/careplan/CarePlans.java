package health.careloop.clinical.careplan;

import health.careloop.common.db.PerPatientRows;
import health.careloop.common.http.ApiException;
import io.vertx.core.json.JsonObject;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Care plan versions in clinical.care_plan_version (append-only; a trigger refuses UPDATE and DELETE). Blocking JDBC. */
public final class CarePlans {
    private static final String COLUMNS = "id, practice_id, patient_id, version, plan, change_note, changed_sections, author_actor, "
            + "author_staff_id, author_name, created_at, established_on, substantial_revision";
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;

    public CarePlans(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Who writes a version: the principal's actor, staff id (null for the API token) and display name. */
    public record Author(String actor, UUID staffId, String name) {
    }

    /**
     * Writes the next version. With baseVersion, the caller says which version it edited: if another was written since,
     * nothing is written (409), so one provider's change never silently replaces another's.
     */
    public CarePlanVersion append(UUID practiceId, UUID patientId, Integer baseVersion, CarePlan plan, String changeNote, Author author)
            throws SQLException {
        return append(practiceId, patientId, baseVersion, plan, changeNote, author, null, null);
    }

    /**
     * As {@link #append(UUID, UUID, Integer, CarePlan, String, Author)}, established on {@code establishedOn} (today in the
     * practice's time zone when null; never before the current version's day: a plan's history runs forward) and marked a
     * substantial revision or not by its author ({@code substantialRevision}; null when not said).
     */
    public CarePlanVersion append(UUID practiceId, UUID patientId, Integer baseVersion, CarePlan plan, String changeNote, Author author,
                                  LocalDate establishedOn, Boolean substantialRevision) throws SQLException {
        Optional<CarePlanVersion> current = current(patientId);
        int currentVersion = current.map(CarePlanVersion::version).orElse(0);
        if (baseVersion != null && baseVersion != currentVersion) {
            throw new ApiException(409, "stale_care_plan", "The care plan is at version " + currentVersion + ", not " + baseVersion
                    + "; reload it and apply the change again.");
        }
        List<String> changed = plan.sectionsChangedSince(current.map(CarePlanVersion::plan).orElse(null));
        if (changed.isEmpty()) {
            throw ApiException.badRequest("Nothing changed since version " + currentVersion + ".");
        }
        if (establishedOn != null && current.isPresent() && establishedOn.isBefore(current.get().establishedOn())) {
            throw ApiException.badRequest("'establishedOn' (" + establishedOn + ") is before the day version " + currentVersion
                    + " was established (" + current.get().establishedOn() + "); a plan's history runs forward.");
        }
        try (Connection c = dataSource.getConnection()) {
            return insert(c, practiceId, patientId, currentVersion + 1, plan, changed, changeNote, author, establishedOn,
                    currentVersion == 0 ? Boolean.TRUE : substantialRevision);
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new ApiException(409, "stale_care_plan", "Another change to the care plan was saved at the same time; reload it and try again.");
            }
            throw e;
        }
    }

    /** A version documented elsewhere first (an EHR's plan), established on its own day. */
    public record Imported(UUID practiceId, UUID patientId, CarePlan plan, String changeNote, LocalDate establishedOn) {
    }

    /**
     * Appends imported versions on the caller's connection (inside its transaction), each after the patient's current
     * version (or the one appended before it in the list), in one batch. A version is refused, in words, when nothing
     * changed since the version before it or when it was established before that version ({@link #importRefusal}). Returns,
     * per item in order, the version written or the refusal.
     */
    public static List<Result> appendImported(Connection c, List<Imported> items, Author author) throws SQLException {
        if (items.isEmpty()) {
            return List.of();
        }
        Map<UUID, CarePlanVersion> current = currentOf(c, items.stream().map(Imported::patientId).distinct().toList());
        List<Result> results = new ArrayList<>();
        List<CarePlanVersion> rows = new ArrayList<>();
        java.time.Instant now = transactionTime(c);
        for (Imported item : items) {
            CarePlanVersion before = current.get(item.patientId());
            Optional<String> refusal = importRefusal(before, item);
            if (refusal.isPresent()) {
                results.add(Result.refused(refusal.get()));
                continue;
            }
            CarePlanVersion written = new CarePlanVersion(UUID.randomUUID(), item.practiceId(), item.patientId(), before == null ? 1 : before.version() + 1,
                    item.plan(), item.changeNote(), item.plan().sectionsChangedSince(before == null ? null : before.plan()), author.actor(),
                    author.staffId(), author.name(), now, item.establishedOn(), null);
            rows.add(written);
            current.put(item.patientId(), written);
            results.add(new Result(written, null));
        }
        insertAll(c, rows);
        return results;
    }

    /**
     * Why an imported version cannot follow {@code before} (the patient's current version, null when none), in words: the
     * history of a plan runs forward, and a version changes something.
     */
    public static Optional<String> importRefusal(CarePlanVersion before, Imported item) {
        if (before != null && item.establishedOn().isBefore(before.establishedOn())) {
            return Optional.of("the patient's care plan version " + before.version() + " was established on "
                    + before.establishedOn() + ", after this one (" + item.establishedOn() + "); a plan's history runs forward");
        }
        if (item.plan().sectionsChangedSince(before == null ? null : before.plan()).isEmpty()) {
            return Optional.of("nothing changed since care plan version " + before.version());
        }
        return Optional.empty();
    }

    /** now() of the caller's transaction: what the column default gives the rows it inserts. */
    private static java.time.Instant transactionTime(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT now()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    private static void insertAll(Connection c, List<CarePlanVersion> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO clinical.care_plan_version (id, practice_id, patient_id, version, plan, review_date, change_note, changed_sections, "
                        + "author_actor, author_staff_id, author_name, established_on, substantial_revision) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (CarePlanVersion v : rows) {
                ps.setObject(1, v.id());
                ps.setObject(2, v.practiceId());
                ps.setObject(3, v.patientId());
                ps.setInt(4, v.version());
                ps.setString(5, v.plan().toJson().encode());
                ps.setObject(6, Date.valueOf(v.plan().reviewDate()));
                ps.setString(7, v.changeNote());
                ps.setArray(8, c.createArrayOf("text", v.changedSections().toArray()));
                ps.setString(9, v.authorActor());
                ps.setObject(10, v.authorStaffId());
                ps.setString(11, v.authorName());
                ps.setObject(12, Date.valueOf(v.establishedOn()));
                ps.setObject(13, v.substantialRevision());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** A version written, or why not. */
    public record Result(CarePlanVersion written, String refusal) {
        static Result refused(String why) {
            return new Result(null, why);
        }
    }

    /** Every version of these patients, newest first per patient, in one query; patients without a plan are absent. */
    public static Map<UUID, List<CarePlanVersion>> ofPatients(Connection c, Collection<UUID> patientIds) throws SQLException {
        return PerPatientRows.read(c, "SELECT " + COLUMNS + " FROM clinical.care_plan_version WHERE patient_id = ANY (?) ORDER BY patient_id, version DESC",
                patientIds, CarePlans::version, CarePlanVersion::patientId);
    }

    private static Map<UUID, CarePlanVersion> currentOf(Connection c, Collection<UUID> patientIds) throws SQLException {
        Map<UUID, CarePlanVersion> current = new HashMap<>();
        ofPatients(c, patientIds).forEach((patient, versions) -> current.put(patient, versions.get(0)));
        return current;
    }

    /** Established today in the practice's time zone unless a day is given. */
    private static CarePlanVersion insert(Connection c, UUID practiceId, UUID patientId, int version, CarePlan plan, List<String> changed,
                                          String changeNote, Author author, LocalDate establishedOn, Boolean substantialRevision) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO clinical.care_plan_version (id, practice_id, patient_id, version, plan, review_date, change_note, changed_sections, "
                        + "author_actor, author_staff_id, author_name, established_on, substantial_revision) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "RETURNING " + COLUMNS)) {
            // Today in the practice's zone, read through the directory (core is common's schema).
            LocalDate established = establishedOn != null ? establishedOn
                    : LocalDate.now(health.careloop.common.directory.Directory.timeZones(c, List.of(practiceId))
                    .getOrDefault(practiceId, java.time.ZoneOffset.UTC));
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, practiceId);
            ps.setObject(3, patientId);
            ps.setInt(4, version);
            ps.setString(5, plan.toJson().encode());
            ps.setObject(6, Date.valueOf(plan.reviewDate()));
            ps.setString(7, changeNote);
            ps.setArray(8, c.createArrayOf("text", changed.toArray()));
            ps.setString(9, author.actor());
            ps.setObject(10, author.staffId());
            ps.setString(11, author.name());
            ps.setObject(12, Date.valueOf(established));
            ps.setObject(13, substantialRevision);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return version(rs);
            }
        }
    }

    public Optional<CarePlanVersion> current(UUID patientId) throws SQLException {
        List<CarePlanVersion> latest = query("SELECT " + COLUMNS + " FROM clinical.care_plan_version WHERE patient_id = ? ORDER BY version DESC LIMIT 1", patientId);
        return latest.stream().findFirst();
    }

    /** The version with this id, whoever's it is (the caller checks the practice). */
    public Optional<CarePlanVersion> findById(UUID versionId) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM clinical.care_plan_version WHERE id = ?", versionId).stream().findFirst();
    }

    /** Every version, newest first. */
    public List<CarePlanVersion> versions(UUID patientId) throws SQLException {
        return query("SELECT " + COLUMNS + " FROM clinical.care_plan_version WHERE patient_id = ? ORDER BY version DESC", patientId);
    }

    /** Many patients' revisions in one query, each patient's newest first; patients without a care plan are absent. */
    public static Map<UUID, List<CarePlanRevision>> revisionsOfPatients(Connection c, Collection<UUID> patientIds) throws SQLException {
        return PerPatientRows.read(c, "SELECT patient_id, version, changed_sections, established_on, substantial_revision FROM clinical.care_plan_version "
                + "WHERE patient_id = ANY (?) ORDER BY patient_id, version DESC", patientIds,
                rs -> new CarePlanRevision(rs.getObject(1, UUID.class), rs.getInt(2), Arrays.asList((String[]) rs.getArray(3).getArray()),
                        rs.getDate(4).toLocalDate(), (Boolean) rs.getObject(5)), CarePlanRevision::patientId);
    }

    private List<CarePlanVersion> query(String sql, UUID patientId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                List<CarePlanVersion> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(version(rs));
                }
                return result;
            }
        }
    }

    private static CarePlanVersion version(ResultSet rs) throws SQLException {
        Array sections = rs.getArray(7);
        return new CarePlanVersion(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getInt(4),
                CarePlan.fromJson(new JsonObject(rs.getString(5))), rs.getString(6), Arrays.asList((String[]) sections.getArray()),
                rs.getString(8), rs.getObject(9, UUID.class), rs.getString(10), rs.getTimestamp(11).toInstant(), rs.getDate(12).toLocalDate(),
                (Boolean) rs.getObject(13));
    }
}
