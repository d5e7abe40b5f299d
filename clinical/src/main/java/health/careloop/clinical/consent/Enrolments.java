package health.careloop.clinical.consent;

import health.careloop.common.db.PerPatientRows;
import health.careloop.clinical.conditions.Conditions;
import health.careloop.clinical.conditions.Eligibility;
import health.careloop.clinical.conditions.ProgramEligibility;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.auth.StaffMember;
import health.careloop.common.directory.Directory;
import health.careloop.common.http.ApiException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Program enrolments in clinical.enrolment. One enrolment (so one billing practitioner) per patient and program at a
 * time: enrolments of a patient are written one at a time under a lock on the patient's row, and an overlap is a 409.
 * Blocking JDBC: call from worker threads.
 */
public final class Enrolments {
    private static final String COLUMNS = "id, practice_id, patient_id, program, start_date, end_date, billing_practitioner_id, consent_id, "
            + "enrolled_by, enrolled_at, ended_by";

    private final DataSource dataSource;
    private final Consents consents;
    private final Conditions conditions;
    private final StaffAccounts staff;

    public Enrolments(DataSource dataSource, Consents consents, Conditions conditions, StaffAccounts staff) {
        this.dataSource = dataSource;
        this.consents = consents;
        this.conditions = conditions;
        this.staff = staff;
    }

    public Enrolment enrol(UUID practiceId, UUID patientId, Program program, LocalDate start, LocalDate end, UUID practitionerId,
                           String actor) throws SQLException {
        if (end != null && end.isBefore(start)) {
            throw ApiException.badRequest("'endDate' is before 'startDate'.");
        }
        requireBillingPractitioner(practiceId, practitionerId);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                lockPatient(c, patientId);
                List<Enrolment> existing = of(c, patientId);
                for (Enrolment e : existing) {
                    if (e.program() == program && e.overlaps(start, end)) {
                        throw new ApiException(409, "overlapping_enrolment", "The patient is already enrolled in " + program.name() + " from "
                                + e.startDate() + (e.endDate() == null ? " (open-ended)" : " through " + e.endDate())
                                + " with another enrolment; one billing practitioner per program at a time. End that enrolment first.");
                    }
                }
                conflictWith(program, start, end, practitionerId, existing).ifPresent(refusal -> {
                    throw new ApiException(409, "conflicting_enrolment", refusal);
                });
                ConsentRules.Check consent = ConsentRules.covering(program, start, practitionerId, consents.of(c, patientId), existing);
                if (!consent.consented()) {
                    throw new ApiException(409, "consent_required", "Enrolment needs a valid " + program.name() + " consent on its start date. "
                            + consent.reason());
                }
                if (program.isCareManagement()) {
                    Eligibility eligibility = ProgramEligibility.of(program, conditions.of(patientId), start);
                    if (!eligibility.eligible()) {
                        throw new ApiException(409, "not_eligible", eligibility.reason());
                    }
                }
                Enrolment enrolment = insert(c, practiceId, patientId, program, start, end, practitionerId, consent.consent().orElseThrow().id(), actor);
                c.commit();
                return enrolment;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * billing-rules.md 2.4: CCM and PCM are never billed together by one practitioner, and APCM bundles both. An
     * enrolment that could only ever be refused at the month close (after minutes were logged) is refused now.
     */
    static Optional<String> conflictWith(Program program, LocalDate start, LocalDate end, UUID practitionerId, List<Enrolment> existing) {
        if (!program.isCareManagement()) {
            return Optional.empty();
        }
        for (Enrolment e : existing) {
            if (e.program() == program || !e.program().isCareManagement() || !e.billingPractitionerId().equals(practitionerId)
                    || !e.overlaps(start, end)) {
                continue;
            }
            String why = program == Program.APCM || e.program() == Program.APCM
                    ? "APCM includes CCM and PCM, so one practitioner never bills APCM together with either"
                    : "CCM and PCM are never billed together by one practitioner";
            return Optional.of("The patient is already enrolled in " + e.program().name() + " with this billing practitioner from " + e.startDate()
                    + (e.endDate() == null ? " with no end date" : " through " + e.endDate()) + ", and " + program.name() + " from " + start
                    + (end == null ? "" : " through " + end) + " would overlap it: " + why + ". End the " + e.program().name()
                    + " enrolment the day before, or enrol with another billing practitioner.");
        }
        return Optional.empty();
    }

    public Enrolment end(UUID patientId, UUID enrolmentId, LocalDate endDate, String actor) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                lockPatient(c, patientId);
                Enrolment e = of(c, patientId).stream().filter(x -> x.id().equals(enrolmentId)).findFirst()
                        .orElseThrow(() -> ApiException.notFound("No enrolment " + enrolmentId + "."));
                if (e.endDate() != null) {
                    throw ApiException.conflict("The enrolment already ends on " + e.endDate() + ".");
                }
                if (endDate.isBefore(e.startDate())) {
                    throw ApiException.badRequest("'endDate' is before the enrolment's start (" + e.startDate() + ").");
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE clinical.enrolment SET end_date = ?, ended_by = ?, ended_at = now() "
                        + "WHERE id = ? RETURNING " + COLUMNS)) {
                    ps.setObject(1, Date.valueOf(endDate));
                    ps.setString(2, actor);
                    ps.setObject(3, enrolmentId);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        Enrolment ended = enrolment(rs);
                        c.commit();
                        return ended;
                    }
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    public List<Enrolment> of(UUID patientId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return of(c, patientId);
        }
    }

    /** billing-rules.md 1.2 [S9][S15] and 2.2 [S20]: the billing practitioner is a physician or NPP who can bill E/M, so has an NPI. */
    StaffMember requireBillingPractitioner(UUID practiceId, UUID practitionerId) throws SQLException {
        Optional<StaffMember> found = staff.find(practitionerId).filter(s -> s.practiceId().equals(practiceId));
        StaffMember practitioner = found.orElseThrow(() -> new ApiException(400, "invalid_billing_practitioner",
                "'billingPractitionerId' is not a staff member of the patient's practice."));
        if (!practitioner.role().isProvider()) {
            throw new ApiException(400, "invalid_billing_practitioner", "The billing practitioner must be a physician or NPP, not "
                    + practitioner.role().wireName() + ".");
        }
        if (practitioner.npi() == null) {
            throw new ApiException(400, "invalid_billing_practitioner", "The billing practitioner has no NPI on file.");
        }
        if (!practitioner.active()) {
            throw new ApiException(400, "invalid_billing_practitioner", "The billing practitioner's account is inactive.");
        }
        return practitioner;
    }

    private static void lockPatient(Connection c, UUID patientId) throws SQLException {
        // NO KEY UPDATE: serialises enrolment writes of this patient without blocking inserts that reference the patient.
        Directory.lockPatient(c, patientId);
    }

    private static Enrolment insert(Connection c, UUID practiceId, UUID patientId, Program program, LocalDate start, LocalDate end,
                                    UUID practitionerId, UUID consentId, String actor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO clinical.enrolment (id, practice_id, patient_id, program, start_date, "
                + "end_date, billing_practitioner_id, consent_id, enrolled_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + COLUMNS)) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, practiceId);
            ps.setObject(3, patientId);
            ps.setString(4, program.wireName());
            ps.setObject(5, Date.valueOf(start));
            ps.setObject(6, end == null ? null : Date.valueOf(end));
            ps.setObject(7, practitionerId);
            ps.setObject(8, consentId);
            ps.setString(9, actor);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return enrolment(rs);
            }
        }
    }

    private static List<Enrolment> of(Connection c, UUID patientId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM clinical.enrolment WHERE patient_id = ? ORDER BY start_date, enrolled_at")) {
            ps.setObject(1, patientId);
            try (ResultSet rs = ps.executeQuery()) {
                List<Enrolment> result = new ArrayList<>();
                while (rs.next()) {
                    result.add(enrolment(rs));
                }
                return result;
            }
        }
    }

    /** {@link #of} for many patients in one query (the billing month close reads them in chunks); patients without any are absent. */
    public static Map<UUID, List<Enrolment>> ofPatients(Connection c, Collection<UUID> patientIds) throws SQLException {
        return PerPatientRows.read(c, "SELECT " + COLUMNS + " FROM clinical.enrolment WHERE patient_id = ANY (?) ORDER BY patient_id, start_date, enrolled_at",
                patientIds, Enrolments::enrolment, Enrolment::patientId);
    }

    private static Enrolment enrolment(ResultSet rs) throws SQLException {
        Date end = rs.getDate(6);
        return new Enrolment(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                Program.fromWire(rs.getString(4)).orElseThrow(), rs.getDate(5).toLocalDate(), end == null ? null : end.toLocalDate(),
                rs.getObject(7, UUID.class), rs.getObject(8, UUID.class), rs.getString(9), rs.getTimestamp(10).toInstant(), rs.getString(11));
    }
}
