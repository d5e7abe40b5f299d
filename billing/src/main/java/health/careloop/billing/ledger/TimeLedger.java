package health.careloop.billing.ledger;

import health.careloop.clinical.consent.Program;
import health.careloop.clinical.consent.ProgramStatus;
import health.careloop.clinical.patients.PatientProfiles;
import health.careloop.clinical.tasks.Task;
import health.careloop.clinical.tasks.TaskStore;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.auth.StaffMember;
import health.careloop.common.auth.StaffRole;
import health.careloop.common.db.Transactions;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import health.careloop.common.http.ApiException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The minute ledger (billing.time_entry). Every write of a staff member's time runs in one transaction that locks that
 * staff member's row, so two writes for one person are serialised and the overlap check cannot race (DESIGN.md
 * invariant 3). Blocking JDBC: call from worker threads.
 */
public final class TimeLedger {
    /** A device clock a little ahead is not "future time"; more is. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    private static final String COLUMNS = "id, practice_id, patient_id, staff_id, staff_role, program, activity, started_at, ended_at, "
            + "interaction_mode, note, task_id, created_by, created_at, replaces_entry_id, adjust_reason, adjusted_after_close, "
            + "superseded_by_entry, superseded_by, superseded_at, entered_by";

    private final DataSource dataSource;
    private final Directory directory;
    private final StaffAccounts staff;
    private final ProgramStatus programStatus;
    private final MessagingPolicy messaging;
    private final Clock clock;

    /** What a caller asks to log; staffId is the person whose time it is. */
    public record NewEntry(UUID patientId, UUID staffId, Program program, Activity activity, Instant start, Instant end,
                           InteractionMode mode, String note, UUID taskId) {
    }

    /** Changes an adjustment makes; null fields keep the original's value (clearInteraction removes the interaction). */
    public record Changes(Instant start, Instant end, Program program, Activity activity, InteractionMode mode, boolean clearInteraction,
                         String note, String reason) {
    }

    public TimeLedger(DataSource dataSource, Directory directory, StaffAccounts staff, ProgramStatus programStatus,
                      MessagingPolicy messaging, Clock clock) {
        this.dataSource = dataSource;
        this.directory = directory;
        this.staff = staff;
        this.programStatus = programStatus;
        this.messaging = messaging;
        this.clock = clock;
    }

    /**
     * @param actor     who asked, as the audit trail names them ({@code staff:<id>})
     * @param enteredBy the staff member who entered it: the person whose time it is, or a colleague allowed to enter it
     *                  for them (the API checks who may)
     */
    public TimeEntry record(NewEntry e, String actor, UUID enteredBy) throws SQLException {
        if (!e.end().isAfter(e.start())) {
            throw ApiException.badRequest("'endedAt' must be after 'startedAt'.");
        }
        Context ctx = check(e.patientId(), e.staffId(), e.program(), e.start(), e.end(), e.mode());
        return Transactions.inTransaction(dataSource, c -> {
            lockStaff(c, e.staffId());
            requireOpenMonths(c, ctx, e.start(), e.end(), null);
            requireNoOverlap(c, e.staffId(), enteredBy, ctx.zone(), e.start(), e.end(), null);
            requireTask(c, e.taskId(), e.patientId());
            return insert(c, ctx, e, actor, enteredBy, null, null, false);
        });
    }

    /** Starts the caller's timer now; refused while another runs (it would overlap). */
    public TimeEntry startTimer(UUID patientId, UUID staffId, Program program, Activity activity, String note, UUID taskId, String actor)
            throws SQLException {
        // A timer is always the caller's own: whoever starts it is whose time it is.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Context ctx = check(patientId, staffId, program, now, now, null);
        return Transactions.inTransaction(dataSource, c -> {
            lockStaff(c, staffId);
            requireOpenMonths(c, ctx, now, now, null);
            requireNoOverlap(c, staffId, staffId, ctx.zone(), now, null, null);
            requireTask(c, taskId, patientId);
            return insert(c, ctx, new NewEntry(patientId, staffId, program, activity, now, null, null, note, taskId), actor, staffId, null, null,
                    false);
        });
    }

    /** Stops the staff member's running timer now, optionally recording the interaction and a note. */
    public TimeEntry stopTimer(UUID staffId, InteractionMode mode, String note) throws SQLException {
        return Transactions.inTransaction(dataSource, c -> {
            lockStaff(c, staffId);
            TimeEntry running = query(c, "WHERE staff_id = ? AND ended_at IS NULL AND superseded_by_entry IS NULL", staffId).stream().findFirst()
                    .orElseThrow(() -> new ApiException(409, "no_running_timer", "You have no timer running."));
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            if (!now.isAfter(running.startedAt())) {
                throw new ApiException(409, "timer_too_short", "The timer ran for less than a second; nothing to record.");
            }
            ZoneId zone = zone(running.practiceId());
            requireInteractive(running.practiceId(), zone, running.startedAt(), mode);
            requireOpenMonths(c, new Context(running.practiceId(), zone, null, null), running.startedAt(), now, null);
            try (PreparedStatement ps = c.prepareStatement("UPDATE billing.time_entry SET ended_at = ?, interaction_mode = coalesce(?, interaction_mode), "
                    + "interactive = (coalesce(?, interaction_mode) IS NOT NULL), note = coalesce(?, note) WHERE id = ? RETURNING " + COLUMNS)) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setString(2, mode == null ? null : mode.wireName());
                ps.setString(3, mode == null ? null : mode.wireName());
                ps.setString(4, note);
                ps.setObject(5, running.id());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return entry(rs);
                }
            }
        });
    }

    /**
     * A correction: a new row replaces the original, which keeps its values and records who superseded it (DESIGN.md
     * invariant 5). Allowed after the month closed (the closed claims stay as they were; the row is flagged so a
     * corrected claim can be raised), but time may not be moved into another, closed month.
     */
    public TimeEntry adjust(UUID entryId, Changes changes, UUID practiceScope, String actor, UUID enteredBy) throws SQLException {
        TimeEntry original = find(entryId).filter(e -> practiceScope == null || e.practiceId().equals(practiceScope))
                .orElseThrow(() -> ApiException.notFound("No time entry " + entryId + "."));
        if (!original.effective()) {
            throw new ApiException(409, "already_adjusted", "Entry " + entryId + " was already replaced by " + original.supersededByEntry()
                    + "; adjust that one.");
        }
        if (original.running()) {
            throw new ApiException(409, "timer_running", "Stop the timer before adjusting the entry.");
        }
        Instant start = changes.start() != null ? changes.start() : original.startedAt();
        Instant end = changes.end() != null ? changes.end() : original.endedAt();
        if (!end.isAfter(start)) {
            throw ApiException.badRequest("'endedAt' must be after 'startedAt'.");
        }
        Program program = changes.program() != null ? changes.program() : original.program();
        InteractionMode mode = changes.clearInteraction() ? null : changes.mode() != null ? changes.mode() : original.interactionMode();
        Context ctx = check(original.patientId(), original.staffId(), program, start, end, mode);
        return Transactions.inTransaction(dataSource, c -> {
            lockStaff(c, original.staffId());
            TimeEntry current = find(c, entryId).orElseThrow();
            if (!current.effective()) {
                throw new ApiException(409, "already_adjusted", "Entry " + entryId + " was adjusted meanwhile; reload it.");
            }
            boolean afterClose = requireOpenMonths(c, ctx, start, end, original);
            requireNoOverlap(c, original.staffId(), enteredBy, ctx.zone(), start, end, entryId);
            TimeEntry replacement = insert(c, ctx, new NewEntry(original.patientId(), original.staffId(), program,
                    changes.activity() != null ? changes.activity() : original.activity(), start, end, mode,
                    changes.note() != null ? changes.note() : original.note(), original.taskId()), actor, enteredBy, entryId, changes.reason(),
                    afterClose);
            try (PreparedStatement ps = c.prepareStatement("UPDATE billing.time_entry SET superseded_by_entry = ?, superseded_by = ?, superseded_at = now() "
                    + "WHERE id = ? AND superseded_by_entry IS NULL")) {
                ps.setObject(1, replacement.id());
                ps.setString(2, actor);
                ps.setObject(3, entryId);
                ps.executeUpdate();
            }
            return replacement;
        });
    }

    public Optional<TimeEntry> find(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return find(c, id);
        }
    }

    /** Every row of the patient started in the month (practice zone), adjusted ones included, oldest first. */
    public List<TimeEntry> ofPatient(UUID patientId, Instant from, Instant to) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return query(c, "WHERE patient_id = ? AND started_at >= ? AND started_at < ? ORDER BY started_at, created_at", patientId,
                    Timestamp.from(from), Timestamp.from(to));
        }
    }

    /** Effective, finished rows of the patient overlapping [from, to): what the rules count. */
    public List<TimeEntry> effective(UUID patientId, Instant from, Instant to) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return query(c, "WHERE patient_id = ? AND superseded_by_entry IS NULL AND ended_at IS NOT NULL AND ended_at > ? AND started_at < ? "
                    + "ORDER BY started_at", patientId, Timestamp.from(from), Timestamp.from(to));
        }
    }

    /** Patients of the practice with effective time overlapping [from, to). */
    public List<UUID> patientsWithTime(UUID practiceId, Instant from, Instant to) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT patient_id FROM billing.time_entry WHERE practice_id = ? AND superseded_by_entry IS NULL AND started_at < ? "
                        + "AND coalesce(ended_at, started_at) > ?")) {
            ps.setObject(1, practiceId);
            ps.setTimestamp(2, Timestamp.from(to));
            ps.setTimestamp(3, Timestamp.from(from));
            List<UUID> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getObject(1, UUID.class));
                }
            }
            return result;
        }
    }

    // ------------------------------------------------------------------ checks

    private record Context(UUID practiceId, ZoneId zone, Patient patient, StaffMember member) {
    }

    /** The checks that need no lock: patient, staff member and role, future time, interaction mode, consent and enrolment. */
    private Context check(UUID patientId, UUID staffId, Program program, Instant start, Instant end, InteractionMode mode) throws SQLException {
        Patient patient = directory.patient(patientId).orElseThrow(() -> ApiException.notFound("No patient " + patientId + "."));
        StaffMember member = staff.find(staffId).filter(s -> s.practiceId().equals(patient.practiceId()))
                .orElseThrow(() -> ApiException.badRequest("The staff member is not one of the patient's practice."));
        requireRole(member);
        if (!program.isTimeBased()) {
            // billing-rules.md 2.3 [S26]: APCM is monthly and not time-based; its care is not logged as minutes.
            throw new ApiException(422, "not_time_based", program.name() + " is billed per month, not by time; log the time under RPM, CCM or PCM.");
        }
        Instant latest = clock.instant().plus(CLOCK_SKEW);
        if (end.isAfter(latest) || start.isAfter(latest)) {
            throw new ApiException(422, "future_time", "Time can be logged only once it has passed; the entry ends at " + end
                    + ", after now (" + clock.instant().truncatedTo(ChronoUnit.SECONDS) + ").");
        }
        ZoneId zone = zone(patient.practiceId());
        requireInteractive(patient.practiceId(), zone, start, mode);
        TreeSet<LocalDate> days = new TreeSet<>(List.of(start.atZone(zone).toLocalDate(), end.atZone(zone).toLocalDate()));
        for (LocalDate day : days) {
            ProgramStatus.Snapshot status = programStatus.on(patientId, program, day);
            if (!status.consented()) {
                throw new ApiException(409, "not_consented", "No " + program.name() + " time can be logged for " + day + ": " + status.consentReason());
            }
            if (!status.enrolled()) {
                throw new ApiException(409, "not_enrolled", "No " + program.name() + " time can be logged for " + day + ": " + status.enrolmentReason());
            }
        }
        return new Context(patient.practiceId(), zone, patient, member);
    }

    /** billing-rules.md 2.1 [S20]: non-clinical staff time never counts; 1.2 [S9][S15]: clinical staff or the practitioner. */
    static void requireRole(StaffMember member) {
        StaffRole role = member.role();
        if (!role.isClinicalStaff() && !role.isProvider()) {
            throw new ApiException(422, "role_not_allowed", "Time of " + role.wireName() + " staff does not count toward RPM or CCM: only clinical "
                    + "staff (RN, LPN, MA, care coordinator) and physicians/NPPs perform these services (billing-rules.md 2.1: non-clinical staff "
                    + "time never counts).");
        }
        if (!member.active()) {
            throw new ApiException(422, "inactive_staff", "The staff member's account is inactive.");
        }
    }

    /**
     * billing-rules.md 1.4 DISPUTED: messaging is interactive communication only where the practice's setting
     * messagingIsInteractive, in effect on the first day of the billing month the entry starts in, says so; the close
     * reads the same setting for the same month, so the ledger never refuses what the close would count, nor accepts
     * what it would not.
     */
    private void requireInteractive(UUID practiceId, ZoneId zone, Instant start, InteractionMode mode) throws SQLException {
        if (mode != InteractionMode.MESSAGING) {
            return;
        }
        YearMonth month = YearMonth.from(start.atZone(zone));
        if (!mode.countsAsInteractive(messaging.messagingIsInteractive(practiceId, month))) {
            throw new ApiException(422, "messaging_not_interactive", "Messaging does not count as interactive communication in " + month
                    + " for this practice: RPM management needs a real-time phone or video contact (billing-rules.md 1.4; practice setting "
                    + "messagingIsInteractive = false). Log it without 'interactive', or as the call it was.");
        }
    }

    /** Refuses a change in a closed month; for an adjustment of an entry of a closed month, allows it and says so. */
    private boolean requireOpenMonths(Connection c, Context ctx, Instant start, Instant end, TimeEntry original) throws SQLException {
        TreeSet<YearMonth> months = new TreeSet<>(List.of(YearMonth.from(start.atZone(ctx.zone())), YearMonth.from(end.atZone(ctx.zone()))));
        TreeSet<YearMonth> originalMonths = new TreeSet<>();
        if (original != null) {
            originalMonths.add(YearMonth.from(original.startedAt().atZone(ctx.zone())));
            originalMonths.add(YearMonth.from(original.endedAt().atZone(ctx.zone())));
            months.addAll(originalMonths);
        }
        boolean afterClose = false;
        for (YearMonth month : months) {
            BillingMonths.lockShared(c, ctx.practiceId(), month);
            if (BillingMonths.isClosed(c, ctx.practiceId(), month)) {
                if (original == null) {
                    throw new ApiException(409, "month_closed", "Billing for " + month + " is closed; it can no longer change. To correct an "
                            + "entry of a closed month, adjust it (POST /time-entries/{id}/adjust); new time cannot be added.");
                }
                if (!originalMonths.contains(month)) {
                    throw new ApiException(409, "month_closed", "Billing for " + month + " is closed; time cannot be moved into it.");
                }
                afterClose = true;
            }
        }
        return afterClose;
    }

    /** @param caller who is entering the time: the refusal says "you" when it is their own, else names whose time it is */
    private void requireNoOverlap(Connection c, UUID staffId, UUID caller, ZoneId zone, Instant start, Instant end, UUID ignore)
            throws SQLException {
        Instant to = end == null ? Instant.parse("9999-01-01T00:00:00Z") : end;
        List<TimeEntry> nearby = query(c, "WHERE staff_id = ? AND superseded_by_entry IS NULL AND started_at < ? "
                + "AND (ended_at IS NULL OR ended_at > ?)", staffId, Timestamp.from(to), Timestamp.from(start));
        nearby.removeIf(e -> e.id().equals(ignore));
        Optional<TimeEntry> clash = StaffSchedule.conflict(nearby, start, end);
        if (clash.isPresent()) {
            TimeEntry other = clash.get();
            String patientName = PatientProfiles.names(c, List.of(other.patientId())).get(other.patientId());
            if (patientName == null) {
                patientName = directory.patient(other.patientId()).map(p -> "the patient with record number " + p.externalRef()).orElse("another patient");
            }
            String staffName = staffId.equals(caller) ? null
                    : StaffAccounts.displayNames(c, List.of(staffId)).getOrDefault(staffId, "The staff member");
            throw OverlapRefusal.of(other, patientName, staffName, zone);
        }
    }

    private static void requireTask(Connection c, UUID taskId, UUID patientId) throws SQLException {
        if (taskId == null) {
            return;
        }
        Task task = TaskStore.find(c, taskId, false).orElseThrow(() -> ApiException.badRequest("No task " + taskId + "."));
        if (!task.patientId().equals(patientId)) {
            throw ApiException.badRequest("Task " + taskId + " is about another patient.");
        }
    }

    private static void lockStaff(Connection c, UUID staffId) throws SQLException {
        StaffAccounts.lockStaffMember(c, staffId);
    }

    private ZoneId zone(UUID practiceId) throws SQLException {
        return directory.practice(practiceId).map(p -> p.timeZone()).orElse(ZoneId.of("UTC"));
    }

    public ZoneId zoneOf(UUID practiceId) throws SQLException {
        return zone(practiceId);
    }

    public boolean practiceExists(UUID practiceId) throws SQLException {
        return directory.practice(practiceId).isPresent();
    }

    // ------------------------------------------------------------------ rows

    private static TimeEntry insert(Connection c, Context ctx, NewEntry e, String actor, UUID enteredBy, UUID replaces, String reason,
                                    boolean afterClose) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO billing.time_entry (id, practice_id, patient_id, staff_id, staff_role, program, "
                + "activity, started_at, ended_at, interactive, interaction_mode, note, task_id, created_by, replaces_entry_id, adjust_reason, "
                + "adjusted_after_close, entered_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS)) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, ctx.practiceId());
            ps.setObject(3, e.patientId());
            ps.setObject(4, e.staffId());
            ps.setString(5, ctx.member().role().wireName());
            ps.setString(6, e.program().wireName());
            ps.setString(7, e.activity().wireName());
            ps.setTimestamp(8, Timestamp.from(e.start()));
            ps.setTimestamp(9, e.end() == null ? null : Timestamp.from(e.end()));
            ps.setBoolean(10, e.mode() != null);
            ps.setString(11, e.mode() == null ? null : e.mode().wireName());
            ps.setString(12, e.note());
            ps.setObject(13, e.taskId());
            ps.setString(14, actor);
            ps.setObject(15, replaces);
            ps.setString(16, reason);
            ps.setBoolean(17, afterClose);
            ps.setObject(18, enteredBy);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return entry(rs);
            }
        } catch (SQLException ex) {
            if ("23505".equals(ex.getSQLState())) {
                throw new ApiException(409, "overlapping_time", "You already have a timer running; stop it first.");
            }
            throw ex;
        }
    }

    private static Optional<TimeEntry> find(Connection c, UUID id) throws SQLException {
        return query(c, "WHERE id = ?", id).stream().findFirst();
    }

    private static List<TimeEntry> query(Connection c, String where, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM billing.time_entry " + where)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<TimeEntry> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(entry(rs));
                }
            }
            return result;
        }
    }

    private static TimeEntry entry(ResultSet rs) throws SQLException {
        Timestamp ended = rs.getTimestamp(9);
        String mode = rs.getString(10);
        Timestamp superseded = rs.getTimestamp(20);
        return new TimeEntry(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class), rs.getObject(4, UUID.class),
                rs.getString(5), Program.fromWire(rs.getString(6)).orElseThrow(), Activity.fromWire(rs.getString(7)).orElseThrow(),
                rs.getTimestamp(8).toInstant(), ended == null ? null : ended.toInstant(),
                mode == null ? null : InteractionMode.fromWire(mode).orElseThrow(), rs.getString(11), rs.getObject(12, UUID.class),
                rs.getString(13), rs.getTimestamp(14).toInstant(), rs.getObject(15, UUID.class), rs.getString(16), rs.getBoolean(17),
                rs.getObject(18, UUID.class), rs.getString(19), superseded == null ? null : superseded.toInstant(), rs.getObject(21, UUID.class));
    }
}
