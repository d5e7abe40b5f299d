package health.careloop.billing.profile;

import health.careloop.billing.x12.BillingProvider;
import health.careloop.billing.x12.Claim837Writer;
import health.careloop.billing.x12.Payer;
import health.careloop.billing.x12.Receiver;
import health.careloop.billing.x12.Submitter;
import health.careloop.clinical.patients.Address;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** Practices' billing profiles in billing.billing_profile, one per practice. Blocking JDBC: call from worker threads. */
public final class BillingProfiles {
    private static final String COLUMNS = "practice_id, organization_name, organization_npi, ein, address_line1, address_line2, city, state, zip, "
            + "submitter_name, submitter_id, submitter_contact_name, submitter_contact_phone, receiver_name, receiver_id, payer_name, payer_id, "
            + "usage, updated_by, updated_at";

    private final DataSource dataSource;

    public BillingProfiles(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates or replaces the practice's profile (PUT semantics) and returns it as stored. */
    public BillingProfile save(BillingProfile p) throws SQLException {
        String insertColumns = COLUMNS.replace(", updated_at", "");
        StringBuilder update = new StringBuilder();
        for (String column : insertColumns.split(", ")) {
            if (!column.equals("practice_id")) {
                update.append(column).append(" = excluded.").append(column).append(", ");
            }
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO billing.billing_profile (" + insertColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (practice_id) DO UPDATE SET " + update + "updated_at = now() RETURNING " + COLUMNS)) {
            BillingProvider b = p.billingProvider();
            Address a = b.address();
            int i = 1;
            ps.setObject(i++, p.practiceId());
            ps.setString(i++, b.organizationName());
            ps.setString(i++, b.npi());
            ps.setString(i++, b.ein());
            ps.setString(i++, a.line1());
            ps.setString(i++, a.line2());
            ps.setString(i++, a.city());
            ps.setString(i++, a.state());
            ps.setString(i++, a.zip());
            ps.setString(i++, p.submitter().name());
            ps.setString(i++, p.submitter().id());
            ps.setString(i++, p.submitter().contactName());
            ps.setString(i++, p.submitter().contactPhone());
            ps.setString(i++, p.receiver().name());
            ps.setString(i++, p.receiver().id());
            ps.setString(i++, p.payer().name());
            ps.setString(i++, p.payer().payerId());
            ps.setString(i++, wireName(p.usage()));
            ps.setString(i, p.updatedBy());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return profile(rs);
            }
        }
    }

    public Optional<BillingProfile> find(UUID practiceId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM billing.billing_profile WHERE practice_id = ?")) {
            ps.setObject(1, practiceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(profile(rs)) : Optional.empty();
            }
        }
    }

    /** "test" or "production", as the API and the table spell ISA15. */
    public static String wireName(Claim837Writer.Usage usage) {
        return usage.name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Claim837Writer.Usage> usageFromWire(String value) {
        for (Claim837Writer.Usage u : Claim837Writer.Usage.values()) {
            if (wireName(u).equals(value)) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }

    /** Rebuilt through the X12 records, so a row that no longer passes their checks fails loudly rather than at export. */
    private static BillingProfile profile(ResultSet rs) throws SQLException {
        Address address = new Address(rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9));
        return new BillingProfile(rs.getObject(1, UUID.class),
                new BillingProvider(rs.getString(2), rs.getString(3), rs.getString(4), address),
                new Submitter(rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13)),
                new Receiver(rs.getString(14), rs.getString(15)),
                new Payer(rs.getString(16), rs.getString(17)),
                usageFromWire(rs.getString(18)).orElseThrow(), rs.getString(19), rs.getTimestamp(20).toInstant());
    }
}
