package health.careloop.billing.claims;

import health.careloop.billing.BillingTier;
import health.careloop.billing.settings.PracticeBillingSettings;
import health.careloop.clinical.ClinicalTier;
import health.careloop.clinical.consent.Program;
import health.careloop.common.config.DatabaseConfig;
import health.careloop.ingest.config.StorageModePreference;
import health.careloop.common.db.Database;
import health.careloop.common.directory.CoreSchema;
import health.careloop.ingest.storage.IngestSchema;
import health.careloop.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each practice setting at its effective-date boundary: stored from December 2026, the November month is evaluated with
 * the default and December with the new value, and the reason on the line names the setting where it decided. Fees at
 * theirs: the day before a new fee keeps the old amount, the day itself takes the new one.
 */
class PracticeSettingsBoundaryTest {
    static final YearMonth NOVEMBER = YearMonth.of(2026, 11);
    static final YearMonth DECEMBER = YearMonth.of(2026, 12);
    static final LocalDate P30_START = LocalDate.of(2026, 10, 31);

    static DatabaseConfig config;
    static Database database;
    static PracticeBillingSettings settings;

    record Case(String name, String setting, String value, UnaryOperator<Facts> facts, String billedBefore, String billedAfter, String reasonAfter) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("99453 with 2-15 days: two_days", "setupRule", "two_days", f -> f.dataDays(P30_START, 5), "99445 99453", "99445 99453",
                        "practice setting setupRule = two_days"),
                new Case("99453 with 15 days: sixteen_days", "setupRule", "sixteen_days", f -> f.dataDays(P30_START, 15), "99445 99453", "99445",
                        "set-up needs 16. (practice setting setupRule = sixteen_days)"),
                new Case("99458 cap 3", "max99458Units", "3", f -> f.rpm(80), "99457 99458x2", "99457 99458x3", null),
                new Case("99458 cap 1", "max99458Units", "1", f -> f.rpm(80), "99457 99458x2", "99457 99458x1",
                        "capped at 1 by the practice setting max99458Units = 1"),
                new Case("99437 cap 1", "max99437Units", "1", f -> f.time(Program.CCM, NOVEMBER.atDay(10), 100, true, null),
                        "99491 99437x2", "99491 99437x1", "capped at 1 by the practice setting max99437Units = 1"),
                new Case("99489 cap 1", "max99489Units", "1", f -> f.ccm(160).carePlanChangedOn(NOVEMBER.atDay(3)).complexDecisionMaking("high"),
                        "99487 99489x3", "99487 99489x1", "capped at 1 by the practice setting max99489Units = 1"),
                new Case("messaging counts", "messagingIsInteractive", "true",
                        f -> f.staff(Program.RPM, 25, health.careloop.billing.ledger.InteractionMode.MESSAGING), "", "99457", null),
                new Case("place of service 22", "placeOfService", "22", f -> f.rpm(20), "99457", "99457", null));
    }

    @BeforeAll
    static void start() throws SQLException {
        config = TestDatabases.fresh();
        database = Database.connect(config);
        CoreSchema.migrate(database.dataSource());
        IngestSchema.migrate(database.dataSource(), StorageModePreference.POSTGRES);
        ClinicalTier.open(database);
        BillingTier tier = BillingTier.open(database.dataSource(), BillingSettings.defaults(), Clock.fixed(Instant.parse("2027-01-05T12:00:00Z"), ZoneOffset.UTC));
        settings = tier.practiceSettings();
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.close();
        }
        if (config != null) {
            TestDatabases.drop(config);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theMonthBeforeKeepsTheDefaultAndTheMonthItTakesEffectUsesIt(Case c) throws SQLException {
        UUID practice = practice();
        settings.saveSettings(practice, DECEMBER.atDay(1), Map.of(BillingSetting.ofWire(c.setting).orElseThrow(), c.value), "test");
        MonthOutcome before = settings.forMonth(practice, NOVEMBER).evaluate(c.facts.apply(new Facts()).build());
        MonthOutcome after = settings.forMonth(practice, DECEMBER).evaluate(c.facts.apply(new Facts()).build());
        assertThat(billed(before)).as("November, before the change").isEqualTo(MonthRulesTest.codes(c.billedBefore));
        assertThat(billed(after)).as("December, from the change").isEqualTo(MonthRulesTest.codes(c.billedAfter));
        if (c.reasonAfter != null) {
            List<String> said = Stream.concat(after.lines().stream().map(ClaimLine::justification), after.notBilled().stream().map(NotBilled::reason)).toList();
            assertThat(said).as("reasons").anySatisfy(r -> assertThat(r).contains(c.reasonAfter));
        }
        if (c.setting.equals("placeOfService")) {
            assertThat(before.lines()).allSatisfy(l -> assertThat(l.placeOfService()).isEqualTo("11"));
            assertThat(after.lines()).allSatisfy(l -> assertThat(l.placeOfService()).isEqualTo("22"));
        }
        Invariants.check(after, settings.settingsFor(practice, DECEMBER));
    }

    /** What the time ledger asks before it accepts messaging (issue 18: it used the deployment's default, not the practice's setting). */
    @Test
    void theLedgersMessagingAnswerFollowsThePracticeSettingByMonth() throws SQLException {
        UUID practice = practice();
        assertThat(settings.messagingIsInteractive(practice, DECEMBER)).as("never set: the default").isFalse();
        settings.saveSettings(practice, DECEMBER.atDay(1), Map.of(BillingSetting.MESSAGING_IS_INTERACTIVE, "true"), "test");
        settings.saveSettings(practice, LocalDate.of(2027, 2, 1), Map.of(BillingSetting.MESSAGING_IS_INTERACTIVE, "false"), "test");
        assertThat(settings.messagingIsInteractive(practice, NOVEMBER)).as("the month before").isFalse();
        assertThat(settings.messagingIsInteractive(practice, DECEMBER)).as("the month it takes effect").isTrue();
        assertThat(settings.messagingIsInteractive(practice, YearMonth.of(2027, 1))).isTrue();
        assertThat(settings.messagingIsInteractive(practice, YearMonth.of(2027, 2))).as("turned off again").isFalse();
        assertThat(settings.messagingIsInteractive(practice(), DECEMBER)).as("another practice").isFalse();
        // The close agrees month by month.
        assertThat(settings.settingsFor(practice, DECEMBER).messagingIsInteractive()).isTrue();
        assertThat(settings.settingsFor(practice, NOVEMBER).messagingIsInteractive()).isFalse();
    }

    @Test
    void aLaterChangeReplacesAnEarlierOneFromItsOwnMonth() throws SQLException {
        UUID practice = practice();
        settings.saveSettings(practice, DECEMBER.atDay(1), Map.of(BillingSetting.MAX_99458_UNITS, "3"), "test");
        settings.saveSettings(practice, LocalDate.of(2027, 2, 1), Map.of(BillingSetting.MAX_99458_UNITS, "1"), "test");
        assertThat(settings.settingsFor(practice, NOVEMBER).max99458Units()).isEqualTo(2);
        assertThat(settings.settingsFor(practice, DECEMBER).max99458Units()).isEqualTo(3);
        assertThat(settings.settingsFor(practice, YearMonth.of(2027, 1)).max99458Units()).isEqualTo(3);
        assertThat(settings.settingsFor(practice, YearMonth.of(2027, 2)).max99458Units()).isEqualTo(1);
        // Another practice keeps the defaults.
        assertThat(settings.settingsFor(practice(), DECEMBER).max99458Units()).isEqualTo(2);
    }

    @Test
    void badValuesAndDaysAreRefusedWithTheirName() throws SQLException {
        UUID practice = practice();
        assertThatThrownBy(() -> settings.saveSettings(practice, LocalDate.of(2026, 12, 2), Map.of(BillingSetting.MAX_99458_UNITS, "3"), "test"))
                .hasMessageContaining("effectiveFrom must be the first day");
        assertThatThrownBy(() -> settings.saveSettings(practice, DECEMBER.atDay(1), Map.of(BillingSetting.MAX_99458_UNITS, "9"), "test"))
                .hasMessageContaining("max99458Units must be one of 1, 2, 3");
        assertThatThrownBy(() -> settings.saveSettings(practice, DECEMBER.atDay(1), Map.of(BillingSetting.PLACE_OF_SERVICE, "02"), "test"))
                .hasMessageContaining("not telehealth");
    }

    @Test
    void aFeeTakesEffectOnItsDayAndACodeWithoutOneIsBilledWithoutACharge() throws SQLException {
        UUID practice = practice();
        // Seeded with the approximate CY2026 amounts; 99437 has none.
        FeeSchedule seeded = settings.feeSchedule(practice);
        assertThat(seeded.charge(BillingCode.RPM_MANAGEMENT_20, 1, LocalDate.of(2026, 11, 30))).isEqualByComparingTo("42.42");
        assertThat(seeded.charge(BillingCode.CCM_PHYSICIAN_ADDON, 1, LocalDate.of(2026, 11, 30))).isNull();
        MonthOutcome noFee = settings.forMonth(practice, NOVEMBER).evaluate(new Facts().time(Program.CCM, NOVEMBER.atDay(10), 60, true, null).build());
        ClaimLine addon = noFee.lines().stream().filter(l -> l.code() == BillingCode.CCM_PHYSICIAN_ADDON).findFirst().orElseThrow();
        assertThat(addon.charge()).isNull();
        assertThat(addon.missingFeeWarning()).isEqualTo("99437 has no fee in the practice's fee schedule on 2026-11-30: add one effective on or before "
                + "that day (Billing > Fees, or PUT /billing/fees); until then the line cannot go on an 837P.");

        settings.saveFees(practice, List.of(new FeeSchedule.Fee(BillingCode.CCM_PHYSICIAN_ADDON, LocalDate.of(2026, 11, 30), new BigDecimal("61.50"), "MAC"),
                new FeeSchedule.Fee(BillingCode.RPM_MANAGEMENT_20, LocalDate.of(2026, 12, 1), new BigDecimal("44.00"), "MAC")), "test");
        FeeSchedule fees = settings.feeSchedule(practice);
        assertThat(fees.charge(BillingCode.CCM_PHYSICIAN_ADDON, 2, LocalDate.of(2026, 11, 29))).isNull();
        assertThat(fees.charge(BillingCode.CCM_PHYSICIAN_ADDON, 2, LocalDate.of(2026, 11, 30))).isEqualByComparingTo("123.00");
        assertThat(fees.charge(BillingCode.RPM_MANAGEMENT_20, 1, LocalDate.of(2026, 11, 30))).isEqualByComparingTo("42.42");
        assertThat(fees.charge(BillingCode.RPM_MANAGEMENT_20, 1, LocalDate.of(2026, 12, 1))).isEqualByComparingTo("44.00");
        // The practice's own fees came on top of the seed: other codes keep their seeded amounts.
        assertThat(fees.charge(BillingCode.CCM_STAFF_20, 1, LocalDate.of(2026, 12, 1))).isEqualByComparingTo("66.13");
        MonthOutcome priced = settings.forMonth(practice, NOVEMBER).evaluate(new Facts().time(Program.CCM, NOVEMBER.atDay(10), 60, true, null).build());
        assertThat(priced.lines().stream().filter(l -> l.code() == BillingCode.CCM_PHYSICIAN_ADDON).findFirst().orElseThrow().charge())
                .isEqualByComparingTo("61.50");
        assertThatThrownBy(() -> new FeeSchedule.Fee(BillingCode.RPM_SETUP, LocalDate.of(2026, 1, 1), new BigDecimal("0.00"), null))
                .hasMessageContaining("above 0.00");
    }

    private static Map<String, Integer> billed(MonthOutcome out) {
        return out.lines().stream().collect(Collectors.toMap(l -> l.code().cpt(), ClaimLine::units, Integer::sum, LinkedHashMap::new));
    }

    private static UUID practice() throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO core.practice (id, name, time_zone) VALUES (?, ?, 'America/Chicago')")) {
            ps.setObject(1, id);
            ps.setString(2, "Practice " + id);
            ps.executeUpdate();
        }
        return id;
    }
}
