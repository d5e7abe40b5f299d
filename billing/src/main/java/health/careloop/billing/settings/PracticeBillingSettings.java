package health.careloop.billing.settings;

import health.careloop.billing.claims.BillingCode;
import health.careloop.billing.claims.BillingSetting;
import health.careloop.billing.claims.BillingSettings;
import health.careloop.billing.claims.FeeSchedule;
import health.careloop.billing.claims.MonthRules;
import health.careloop.billing.claims.PracticeRules;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A practice's fee schedule (billing.fee) and billing settings (billing.practice_setting), both with effective dates,
 * and the {@link PracticeRules} they make. A practice without any fee is seeded, once, with the tier's default
 * schedule (the approximate CY2026 amounts), stored like any other fee so the practice sees and changes them; settings
 * the practice never set have their documented defaults. Blocking JDBC: call from worker threads.
 */
public final class PracticeBillingSettings implements PracticeRules {
    /** A stored setting value. */
    public record SettingValue(BillingSetting setting, LocalDate effectiveFrom, String value, String updatedBy, Instant updatedAt) {
    }

    /** A stored fee with who set it. */
    public record StoredFee(FeeSchedule.Fee fee, String updatedBy, Instant updatedAt) {
    }

    private static final String SEED_ACTOR = "seed";

    private final DataSource dataSource;
    private final BillingSettings defaults;

    /** @param defaults the rule choices a practice starts with and, as its fees, the schedule a new practice is seeded with */
    public PracticeBillingSettings(DataSource dataSource, BillingSettings defaults) {
        this.dataSource = dataSource;
        this.defaults = defaults;
    }

    public BillingSettings defaults() {
        return defaults;
    }

    @Override
    public MonthRules forMonth(UUID practiceId, YearMonth month) throws SQLException {
        return new MonthRules(settingsFor(practiceId, month));
    }

    /** The settings in effect on the month's first day, with the practice's whole fee schedule. */
    public BillingSettings settingsFor(UUID practiceId, YearMonth month) throws SQLException {
        BillingSettings s = defaults.withFees(feeSchedule(practiceId));
        for (SettingValue v : inEffect(practiceId, month.atDay(1))) {
            s = v.setting().applyTo(s, v.value());
        }
        return s;
    }

    /**
     * The practice's messagingIsInteractive in effect on the month's first day (its default when never set), without
     * reading the fee schedule: what the time ledger asks before accepting messaging as interactive communication.
     */
    public boolean messagingIsInteractive(UUID practiceId, YearMonth month) throws SQLException {
        for (SettingValue v : inEffect(practiceId, month.atDay(1))) {
            if (v.setting() == BillingSetting.MESSAGING_IS_INTERACTIVE) {
                return v.setting().applyTo(defaults, v.value()).messagingIsInteractive();
            }
        }
        return defaults.messagingIsInteractive();
    }

    /** For each setting the practice set, the value in effect on {@code day}. */
    public List<SettingValue> inEffect(UUID practiceId, LocalDate day) throws SQLException {
        List<SettingValue> result = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT ON (name) name, effective_from, value, updated_by, updated_at FROM billing.practice_setting "
                        + "WHERE practice_id = ? AND effective_from <= ? ORDER BY name, effective_from DESC")) {
            ps.setObject(1, practiceId);
            ps.setDate(2, Date.valueOf(day));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(settingValue(rs));
                }
            }
        }
        return result;
    }

    /** Every stored setting value of the practice, past and future, by name and date. */
    public List<SettingValue> history(UUID practiceId) throws SQLException {
        List<SettingValue> result = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT name, effective_from, value, updated_by, updated_at FROM billing.practice_setting WHERE practice_id = ? "
                        + "ORDER BY name, effective_from")) {
            ps.setObject(1, practiceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(settingValue(rs));
                }
            }
        }
        return result;
    }

    /** Sets (or replaces) the values taking effect on {@code effectiveFrom}, the first day of a month; values are checked first. */
    public void saveSettings(UUID practiceId, LocalDate effectiveFrom, Map<BillingSetting, String> values, String actor) throws SQLException {
        if (effectiveFrom.getDayOfMonth() != 1) {
            throw new IllegalArgumentException("effectiveFrom must be the first day of a billing month, not " + effectiveFrom);
        }
        values.forEach(BillingSetting::check);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO billing.practice_setting (practice_id, name, effective_from, value, updated_by) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (practice_id, name, effective_from) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, "
                        + "updated_at = now()")) {
            for (Map.Entry<BillingSetting, String> e : values.entrySet()) {
                ps.setObject(1, practiceId);
                ps.setString(2, e.getKey().wireName());
                ps.setDate(3, Date.valueOf(effectiveFrom));
                ps.setString(4, e.getValue());
                ps.setString(5, actor);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The practice's fee schedule, seeded with the defaults' fees if it has none yet. */
    public FeeSchedule feeSchedule(UUID practiceId) throws SQLException {
        List<FeeSchedule.Fee> fees = new ArrayList<>();
        for (StoredFee f : fees(practiceId)) {
            fees.add(f.fee());
        }
        return FeeSchedule.of(fees);
    }

    /** Every fee of the practice, past and future, seeded with the defaults' fees if it has none yet. */
    public List<StoredFee> fees(UUID practiceId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            seedOnce(c, practiceId);
            List<StoredFee> result = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT code, effective_from, amount, source, updated_by, updated_at FROM billing.fee "
                    + "WHERE practice_id = ? ORDER BY code, effective_from")) {
                ps.setObject(1, practiceId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(new StoredFee(new FeeSchedule.Fee(BillingCode.ofCpt(rs.getString(1)), rs.getDate(2).toLocalDate(), rs.getBigDecimal(3),
                                rs.getString(4)), rs.getString(5), rs.getTimestamp(6).toInstant()));
                    }
                }
            }
            return result;
        }
    }

    /** Sets (or replaces) the fees taking effect on their day. */
    public void saveFees(UUID practiceId, List<FeeSchedule.Fee> fees, String actor) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // A practice's first own fees come on top of the seed, not instead of it (the other codes keep their amounts).
                seedOnce(c, practiceId);
                insert(c, practiceId, fees, actor, true);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private void seedOnce(Connection c, UUID practiceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM billing.fee WHERE practice_id = ? LIMIT 1")) {
            ps.setObject(1, practiceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        insert(c, practiceId, defaults.fees().all(), SEED_ACTOR, false);
    }

    private static void insert(Connection c, UUID practiceId, List<FeeSchedule.Fee> fees, String actor, boolean replace) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO billing.fee (practice_id, code, effective_from, amount, source, updated_by) "
                + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (practice_id, code, effective_from) "
                + (replace ? "DO UPDATE SET amount = excluded.amount, source = excluded.source, updated_by = excluded.updated_by, updated_at = now()"
                : "DO NOTHING"))) {
            for (FeeSchedule.Fee f : fees) {
                ps.setObject(1, practiceId);
                ps.setString(2, f.code().cpt());
                ps.setDate(3, Date.valueOf(f.effectiveFrom()));
                ps.setBigDecimal(4, f.amount());
                ps.setString(5, f.source());
                ps.setString(6, actor);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static SettingValue settingValue(ResultSet rs) throws SQLException {
        return new SettingValue(BillingSetting.ofWire(rs.getString(1)).orElseThrow(), rs.getDate(2).toLocalDate(), rs.getString(3), rs.getString(4),
                rs.getTimestamp(5).toInstant());
    }

    /** Amount parsing shared by the API: a plain decimal with at most 2 places. */
    public static BigDecimal amount(String text) {
        if (text == null || !text.matches("[0-9]{1,8}(\\.[0-9]{1,2})?")) {
            throw new IllegalArgumentException("a fee must be an amount above 0.00 with at most 2 decimals, such as 42.42, not '" + text + "'");
        }
        return new BigDecimal(text);
    }
}
