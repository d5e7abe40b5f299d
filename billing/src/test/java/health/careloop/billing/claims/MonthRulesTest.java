package health.careloop.billing.claims;

import health.careloop.billing.encounters.VisitKind;
import health.careloop.billing.ledger.InteractionMode;
import health.careloop.clinical.consent.Program;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static health.careloop.billing.claims.Facts.DR_TWO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * One case per rule and boundary of billing-rules.md sections 1-3. Default facts: November 2026, Chicago, monitoring
 * since 2026-10-31 (so the P30 2026-10-31..2026-11-29 is billed in November), covered in RPM and CCM by one practitioner,
 * a care plan since 2025, no data days and no time.
 */
class MonthRulesTest {
    static final LocalDate P30_START = LocalDate.of(2026, 10, 31);
    static final LocalDate NOV = LocalDate.of(2026, 11, 1);

    /** billed: code -> units; reason: a substring expected among the reasons (null for none). */
    record Case(String name, UnaryOperator<Facts> facts, UnaryOperator<BillingSettings> settings, Map<String, Integer> billed, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, UnaryOperator<Facts> facts, String billed, String reason) {
        return new Case(name, facts, s -> s, codes(billed), reason);
    }

    static Case c(String name, UnaryOperator<Facts> facts, UnaryOperator<BillingSettings> settings, String billed, String reason) {
        return new Case(name, facts, settings, codes(billed), reason);
    }

    /** "99457 99458x2" -> {99457=1, 99458=2} */
    static Map<String, Integer> codes(String billed) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String s : billed.isBlank() ? new String[0] : billed.split(" ")) {
            String[] parts = s.split("x");
            m.put(parts[0], parts.length > 1 ? Integer.parseInt(parts[1]) : 1);
        }
        return m;
    }

    static Stream<Case> cases() {
        return Stream.of(
                // 1.1 / 1.3 device supply on the P30
                c("99454 at 16 data days", f -> f.dataDays(P30_START, 16), "99454 99453", "99445: 16 data days"),
                c("99445 at 15 data days", f -> f.dataDays(P30_START, 15), "99445 99453",
                        "99454: 15 data days in the period ending 2026-11-29; 99445 billed instead."),
                c("99445 at 2 data days", f -> f.dataDays(P30_START, 2), "99445 99453", null),
                c("nothing at 1 data day", f -> f.dataDays(P30_START, 1), "", "99445: 1 data day in the period ending 2026-11-29; 2 needed."),
                c("30 data days: one 99454", f -> f.dataDays(P30_START, 30), "99454 99453", null),
                c("never stretched: days after the P30 do not count", f -> f.dataDays(LocalDate.of(2026, 11, 15), 16), "99445 99453",
                        "99454: 15 data days"),
                c("readings of two devices combine (swapped mid-period)", f -> f.dataDays(P30_START, 8).dataDays(P30_START.plusDays(8), 8),
                        "99454 99453", null),
                c("P30 billed in the month of its last day: none ends in October", f -> f.month(2026, 10).dataDays(P30_START, 1), "", null),
                c("two P30s can end in one month", f -> f.monitoringStart(LocalDate.of(2026, 10, 3)).month(2026, 12)
                        .dataDays(LocalDate.of(2026, 11, 2), 60), "99454x2", "99445: 30 data days in the period 2026-12-02 to 2026-12-31"),
                // 99453
                c("99453 not with a first period of 1 day", f -> f.dataDays(P30_START, 1), "", "99453: the first period"),
                c("99453 under the 16-day rule, 15 days", f -> f.dataDays(P30_START, 15),
                        s -> s.withSetupRule(BillingSettings.SetupRule.SIXTEEN_DAYS), "99445", "set-up needs 16"),
                c("99453 under the 2-day rule", f -> f.dataDays(P30_START, 2),
                        s -> s.withSetupRule(BillingSettings.SetupRule.TWO_DAYS), "99445 99453", null),
                c("99453 once per episode", f -> f.dataDays(P30_START, 20).setupBilledBefore(), "99454", "99453: already billed"),
                c("99453 not for a later P30", f -> f.monitoringStart(LocalDate.of(2026, 10, 1)).dataDays(LocalDate.of(2026, 10, 31), 20),
                        "99454", null),
                // issue 18: readings before consent are named, and an episode begun before consent gets no 99453
                c("readings before consent not counted, and said", f -> f.dataDays(P30_START, 20)
                                .uncoveredBefore(Program.RPM, P30_START.plusDays(5), "No RPM consent until 2026-11-05."), "99445",
                        "99454: 15 data days in the period ending 2026-11-29 (5 more days with readings not counted: No RPM consent until 2026-11-05.)"),
                c("99453 not for an episode begun before consent", f -> f.dataDays(P30_START, 20)
                                .uncoveredBefore(Program.RPM, P30_START.plusDays(5), "No RPM consent until 2026-11-05."), "99445",
                        "99453: the monitoring episode began 2026-10-31, before RPM was covered (No RPM consent until 2026-11-05.)"),
                // 1.1 treatment management on the calendar month
                c("99457 at 20 minutes with a call", f -> f.rpm(20), "99457", "99470: 20 minutes; 99457 billed instead"),
                c("99470 at 19 minutes", f -> f.rpm(19), "99470", "99457: 19 of 20 minutes; 99470 billed instead."),
                c("99470 at 10 minutes", f -> f.rpm(10), "99470", null),
                c("nothing at 9 minutes", f -> f.rpm(9), "", "99470: 9 of 10 minutes."),
                c("no interactive communication, 25 minutes", f -> f.staff(Program.RPM, 25, null), "", "no real-time interactive communication"),
                c("video counts", f -> f.staff(Program.RPM, 20, InteractionMode.VIDEO), "99457", null),
                c("messaging does not count by default", f -> f.staff(Program.RPM, 25, InteractionMode.MESSAGING), "", "messaging does not count"),
                c("messaging counts with the flag", f -> f.staff(Program.RPM, 25, InteractionMode.MESSAGING),
                        s -> s.withMessagingIsInteractive(true), "99457", null),
                c("99458: 39 minutes no unit", f -> f.rpm(39), "99457", "99458: 39 of 40 minutes."),
                c("99458: 40 minutes one unit", f -> f.rpm(40), "99457 99458", null),
                c("99458: 59 minutes one unit", f -> f.rpm(59), "99457 99458", null),
                c("99458: 60 minutes two units", f -> f.rpm(60), "99457 99458x2", null),
                c("99458: 80 minutes capped at 2 by default", f -> f.rpm(80), "99457 99458x2", null),
                c("99458: 80 minutes, cap 3 (MUE)", f -> f.rpm(80), s -> s.withMax99458Units(3), "99457 99458x3", null),
                c("99458 never after 99470", f -> f.rpm(19), "99470", "99458: add-on to 99457 only"),
                c("minutes of two staff at the same time count once", f -> f.rpm(15).rpm(15), "99470", null),
                // 99091
                c("99091 at 30 physician minutes without management", f -> f.time(Program.RPM, NOV.plusDays(3), 30, true, null), "99091", null),
                c("99091 29 minutes", f -> f.time(Program.RPM, NOV.plusDays(3), 29, true, null), "", "99091: 29 of 30 minutes"),
                c("99091 not with 99457", f -> f.time(Program.RPM, NOV.plusDays(3), 30, true, InteractionMode.PHONE), "99457",
                        "99091: not with 99457"),
                c("99091 does not count last month's minutes spent on 99457",
                        f -> f.time(Program.RPM, P30_START, 30, true, null).managementBilledLastMonth(), "", "99091: 0 of 30"),
                // 2.1 CCM
                c("99490 at 20 minutes", f -> f.ccm(20), "99490", null),
                c("99490: 19 of 20 minutes", f -> f.ccm(19), "", "99490: 19 of 20 minutes."),
                c("99439 at 40", f -> f.ccm(40), "99490 99439", null),
                c("99439 at 60: two units", f -> f.ccm(60), "99490 99439x2", null),
                c("99439 capped at 2 (100 minutes)", f -> f.ccm(100), "99490 99439x2", null),
                c("complex: care plan revised + 60 minutes + MDM", f -> f.ccm(60).carePlanChangedOn(NOV.plusDays(2)).complexDecisionMaking("moderate"),
                        "99487", "one CCM track"),
                c("complex: 59 minutes is standard", f -> f.ccm(59).carePlanChangedOn(NOV.plusDays(2)).complexDecisionMaking("high"), "99490 99439",
                        "99487: 59 of 60 minutes."),
                c("complex: 90 minutes adds 99489", f -> f.ccm(90).carePlanChangedOn(NOV.plusDays(2)).complexDecisionMaking("high"), "99487 99489", null),
                c("complex: 89 minutes no 99489", f -> f.ccm(89).carePlanChangedOn(NOV.plusDays(2)).complexDecisionMaking("moderate"), "99487",
                        "99489: 89 of 90 minutes."),
                c("complex needs the care plan change in the month", f -> f.ccm(70).carePlanChangedOn(LocalDate.of(2026, 10, 30))
                        .complexDecisionMaking("moderate"), "99490 99439x2", "99487: the care plan was not established or substantially revised in 2026-11"),
                // Issue 16: minutes and a plan change are not complexity; without a provider's MDM record the month is standard CCM.
                c("complex needs a provider's record of medical decision making", f -> f.ccm(95).carePlanChangedOn(NOV.plusDays(2)),
                        "99490 99439x2", "99487: no provider recorded moderate or high complexity medical decision making for 2026-11 (complex CCM needs it)."),
                c("complex names every requirement missing", f -> f.ccm(30), "99490",
                        "99487: 30 of 60 minutes; no provider recorded moderate or high complexity medical decision making for 2026-11 (complex CCM needs it); "
                                + "the care plan was not established or substantially revised in 2026-11 (complex CCM needs it)."),
                c("no care plan, no CCM", f -> f.ccm(45).noCarePlan(), "", "no care plan on record"),
                c("a plan established after the date of service says so", f -> f.ccm(45).carePlanSince(LocalDate.of(2026, 12, 3)), "",
                        "99490: a care plan exists but was established on 2026-12-03, after the date of service (2026-11-30); CCM needs one."),
                c("a plan established months before counts", f -> f.ccm(25).carePlanSince(LocalDate.of(2026, 9, 14)), "99490", null),
                // Issue 18: the practitioner's minutes billed on 99491 are not described again as staff time under 99490.
                c("99491 over 99490 when the physician logged 30", f -> f.time(Program.CCM, NOV.plusDays(4), 30, true, null), "99491",
                        "99490: the 30 minutes personally by the enrolled billing practitioner Dr Ada One are billed on 99491 and one CCM track is "
                                + "billed per month."),
                c("99437 at 60 physician minutes", f -> f.time(Program.CCM, NOV.plusDays(4), 60, true, null), "99491 99437", null),
                // 2.1 whose time counts [S18][S60] (issue 18): the practitioner-only codes count the enrolled billing practitioner's own
                // minutes; another physician's count as clinical staff time, never as the practitioner's
                c("another physician's 30 minutes are not 99491's: staff time under 99490", f -> f.timeBy(Facts.DR_THREE, Program.CCM, NOV.plusDays(4),
                        30, null), "99490", "99491: 0 of 30 minutes personally by the enrolled billing practitioner Dr Ada One; 30 minutes by Dr Cy Three, "
                        + "who is not the enrolled billing practitioner Dr Ada One, are not counted toward 99491; they count as clinical staff time toward "
                        + "99490 instead (billing-rules.md 2.1)."),
                c("the 99490 line says whose minutes it counts as staff time", f -> f.timeBy(Facts.DR_THREE, Program.CCM, NOV.plusDays(4), 30, null),
                        "99490", null),
                c("after a change of practitioner the former one's minutes are another physician's",
                        f -> f.practitionerFrom(Program.CCM, LocalDate.of(2026, 8, 1), DR_TWO).time(Program.CCM, NOV.plusDays(4), 30, true, null), "99490",
                        "30 minutes by Dr Ada One, who is not the enrolled billing practitioner Dr Ben Two, are not counted toward 99491"),
                c("own 20 + another physician's 30: 50 minutes of staff time, no 99491", f -> f.time(Program.CCM, NOV.plusDays(4), 20, true, null)
                        .timeBy(Facts.DR_THREE, Program.CCM, NOV.plusDays(5), 30, null), "99490 99439",
                        "99491: 20 of 30 minutes personally by the enrolled billing practitioner Dr Ada One; 30 minutes by Dr Cy Three"),
                c("own 30 + another physician's 30: 99491 for the own 30 only, the rest said once", f -> f.time(Program.CCM, NOV.plusDays(4), 30, true, null)
                        .timeBy(Facts.DR_THREE, Program.CCM, NOV.plusDays(5), 30, null), "99491",
                        "99490: the 30 minutes personally by the enrolled billing practitioner Dr Ada One are billed on 99491 and one CCM track is billed "
                                + "per month; the other 30 minutes of clinical staff time are not billed."),
                c("99437 counts only the practitioner's own minutes", f -> f.time(Program.CCM, NOV.plusDays(4), 40, true, null)
                        .timeBy(Facts.DR_THREE, Program.CCM, NOV.plusDays(5), 30, null), "99491", "99437: 40 of 60 minutes."),
                c("two other physicians are both named", f -> f.timeBy(Facts.DR_TWO, Program.CCM, NOV.plusDays(4), 10, null)
                        .timeBy(Facts.DR_THREE, Program.CCM, NOV.plusDays(5), 1, null), "",
                        "10 minutes by Dr Ben Two and 1 minute by Dr Cy Three, who are not the enrolled billing practitioner Dr Ada One, are not counted"),
                c("PCM: another physician's minutes are not 99424's", f -> f.timeBy(Facts.DR_THREE, Program.PCM, NOV.plusDays(4), 30, null), "99426",
                        "99424: 0 of 30 minutes personally by the enrolled billing practitioner Dr Ada One; 30 minutes by Dr Cy Three, who is not the "
                                + "enrolled billing practitioner Dr Ada One, are not counted toward 99424"),
                c("99091: another physician's minutes are not the practitioner's", f -> f.timeBy(Facts.DR_THREE, Program.RPM, NOV.plusDays(3), 30, null),
                        "", "99091: 0 of 30 minutes personally by the enrolled billing practitioner Dr Ada One in the period ending 2026-11-29; 30 minutes "
                                + "by Dr Cy Three, who is not the enrolled billing practitioner Dr Ada One, are not counted toward 99091"),
                c("99091: another physician's minutes beside the practitioner's own 30", f -> f.time(Program.RPM, NOV.plusDays(3), 30, true, null)
                        .timeBy(Facts.DR_THREE, Program.RPM, NOV.plusDays(4), 30, null), "99091", null),
                // 2.2 initiating visit [S18][S20]
                c("no initiating visit, no CCM", f -> f.ccm(30).noVisits(), "", "99490: no initiating visit on record"),
                c("an AWV initiates CCM", f -> f.ccm(30).noVisits().visit(VisitKind.AWV, NOV.plusDays(2), false), "99490", null),
                c("an IPPE initiates CCM", f -> f.ccm(30).noVisits().visit(VisitKind.IPPE, NOV.plusDays(2), false), "99490", null),
                c("a visit exactly a year before CCM began initiates it",
                        f -> f.ccm(30).noVisits().ccmSince(LocalDate.of(2026, 1, 15)).visit(VisitKind.EM, LocalDate.of(2025, 1, 15), false), "99490", null),
                c("a visit a year and a day before CCM began does not",
                        f -> f.ccm(30).noVisits().ccmSince(LocalDate.of(2026, 1, 15)).visit(VisitKind.EM, LocalDate.of(2025, 1, 14), false), "",
                        "between 2025-01-15 and 2026-11-30"),
                c("a visit after the month does not initiate it", f -> f.ccm(30).noVisits().visit(VisitKind.EM, LocalDate.of(2026, 12, 2), false), "",
                        "no initiating visit on record"),
                c("CCM not billable (two practitioners): nor is the G0506 of the month",
                        f -> f.ccm(30).visit(VisitKind.EM, NOV.plusDays(3), true).practitionerFrom(Program.CCM, NOV.plusDays(10), DR_TWO), "",
                        "G0506: 2 billing practitioners"),
                // 2.1 G0506 [S18]
                c("G0506 with the initiating visit of the month", f -> f.ccm(30).visit(VisitKind.EM, NOV.plusDays(3), true), "99490 G0506", null),
                c("G0506 without CCM minutes yet", f -> f.visit(VisitKind.AWV, NOV.plusDays(3), true), "G0506", "99490: 0 of 20 minutes."),
                c("G0506 only once", f -> f.ccm(30).visit(VisitKind.EM, NOV.plusDays(3), true).assessmentBilledBefore(), "99490",
                        "G0506: already billed"),
                c("G0506 by another practitioner than CCM's", f -> f.ccm(30).visitBy(DR_TWO, NOV.plusDays(3), true), "99490",
                        "G0506: the E/M visit of 2026-11-04 was by another practitioner"),
                c("G0506 not considered for a visit without the assessment", f -> f.ccm(30).visit(VisitKind.EM, NOV.plusDays(3), false), "99490", null),
                // 2.1 inpatient stays [S22]
                c("no CCM time during a hospital stay", f -> f.ccm(30).stay(NOV.plusDays(8).atTime(8, 0), NOV.plusDays(11).atTime(12, 0)), "",
                        "99490: 0 of 20 minutes (30 minutes during an inpatient stay not counted)."),
                c("time after the discharge counts", f -> f.ccm(30).stay(NOV.atTime(8, 0), NOV.plusDays(9).atTime(10, 15)), "",
                        "99490: 15 of 20 minutes (15 minutes during an inpatient stay not counted)."),
                c("time before the admission counts", f -> f.ccm(30).stay(NOV.plusDays(9).atTime(10, 20), NOV.plusDays(12).atTime(9, 0)), "99490",
                        null),
                c("an open stay stops the count at admission", f -> f.ccm(45).stay(NOV.plusDays(9).atTime(10, 25), null), "99490", null),
                c("a stay outside the month changes nothing", f -> f.ccm(30).stay(LocalDate.of(2026, 10, 1).atTime(8, 0), LocalDate.of(2026, 10, 9)
                        .atTime(8, 0)), "99490", null),
                c("RPM time during a stay still counts (the rule is CCM's)", f -> f.rpm(20).stay(NOV.plusDays(8).atTime(8, 0), NOV.plusDays(11)
                        .atTime(12, 0)), "99457", null),
                // 2.3 PCM [S19][S28], 2.4
                // Issue 18: reasons only for codes that could apply: no physician logged PCM time, so 99424 gets none.
                c("99426 at 30 staff minutes", f -> f.pcm(30), "99426", "99427: 30 of 60 minutes."),
                c("99426: 29 of 30 minutes", f -> f.pcm(29), "", "99426: 29 of 30 minutes."),
                c("99427 at 60", f -> f.pcm(60), "99426 99427", null),
                c("99427: 89 minutes is one unit", f -> f.pcm(89), "99426 99427", null),
                c("99427 at 90: two units (no cap in the rule book)", f -> f.pcm(90), "99426 99427x2", null),
                c("99424 when the physician logged 30", f -> f.time(Program.PCM, NOV.plusDays(4), 30, true, null), "99424",
                        "99426: the 30 minutes personally by the enrolled billing practitioner Dr Ada One are billed on 99424 and one PCM track is "
                                + "billed per month."),
                c("99425 at 60 physician minutes", f -> f.time(Program.PCM, NOV.plusDays(4), 60, true, null), "99424 99425", null),
                c("PCM never with CCM of the same practitioner", f -> f.ccm(20).pcm(30), "99490",
                        "99426: CCM (99490) is billed for 2026-11 by the same practitioner"),
                c("PCM with CCM of another practitioner", f -> f.ccm(20).pcm(30).practitionerFrom(Program.PCM, LocalDate.of(2026, 8, 1), DR_TWO),
                        "99490 99426", null),
                c("PCM when CCM is not billed (too few minutes)", f -> f.ccm(10).pcm(30), "99426", "99490: 10 of 20 minutes."),
                c("PCM needs a visit in the last 12 months", f -> f.pcm(30).noVisits().visit(VisitKind.EM, LocalDate.of(2025, 11, 29), false), "",
                        "99426: no visit (E/M, annual wellness visit or IPPE) between 2025-11-30 and 2026-11-30"),
                c("PCM: a visit exactly 12 months before counts", f -> f.pcm(30).noVisits().visit(VisitKind.AWV, LocalDate.of(2025, 11, 30), false),
                        "99426", null),
                c("PCM needs a care plan", f -> f.pcm(30).noCarePlan(), "", "PCM needs a disease-specific care plan"),
                c("PCM not eligible: nothing billed", f -> f.pcm(40).uncoveredFrom(Program.PCM, LocalDate.of(2026, 1, 1),
                        "Not eligible for PCM on 2026-11-30: it needs an active high-risk condition."), "", "Not eligible for PCM"),
                c("no PCM time during a hospital stay", f -> f.pcm(40).stay(NOV.plusDays(11).atTime(10, 20), NOV.plusDays(13).atTime(8, 0)), "",
                        "99426: 20 of 30 minutes (20 minutes during an inpatient stay not counted)."),
                // 2.3 APCM [S26][S27], 2.4 bundle [S26][S6]
                c("G0557 with two chronic conditions", f -> f.apcm(LocalDate.of(2026, 6, 1)), "G0557",
                        "G0558: needs the patient's Qualified Medicare Beneficiary status"),
                c("G0556 with one chronic condition", f -> f.apcm(LocalDate.of(2026, 6, 1)).chronicConditions(1), "G0556", "G0557: 1 chronic condition"),
                c("G0556 with none", f -> f.apcm(LocalDate.of(2026, 6, 1)).chronicConditions(0), "G0556", null),
                c("APCM bundles CCM", f -> f.apcm(LocalDate.of(2026, 6, 1)).ccm(45), "G0557",
                        "99490: APCM (G0557) is billed for 2026-11 and bundles CCM; not billed separately."),
                c("APCM bundles PCM", f -> f.apcm(LocalDate.of(2026, 6, 1)).pcm(45), "G0557", "99426: APCM (G0557) is billed"),
                c("APCM bundles G0506 with CCM", f -> f.apcm(LocalDate.of(2026, 6, 1)).visit(VisitKind.EM, NOV.plusDays(3), true), "G0557",
                        "G0506: APCM (G0557) is billed"),
                c("RPM with APCM is allowed", f -> f.apcm(LocalDate.of(2026, 6, 1)).rpm(20).dataDays(P30_START, 16), "G0557 99454 99453 99457", null),
                c("APCM needs an initiating visit", f -> f.apcm(LocalDate.of(2026, 6, 1)).noVisits().ccm(30), "",
                        "G0557: no initiating visit on record: APCM (since 2026-06-01)"),
                c("APCM not billable: CCM is billed on its own", f -> f.apcm(LocalDate.of(2026, 6, 1)).noVisits()
                        .visit(VisitKind.EM, LocalDate.of(2025, 5, 1), false).ccmSince(LocalDate.of(2025, 6, 1)).ccm(30), "99490", "G0556: no initiating visit"),
                c("APCM begun mid-month is billed for the month", f -> f.apcm(NOV.plusDays(14)), "G0557", null),
                c("RPM and CCM in one month, separate time", f -> f.rpm(20).ccm(20).dataDays(P30_START, 16), "99454 99453 99457 99490", null),
                // gates
                c("RPM consent revoked mid-month: minutes before count, billed on the last covered day",
                        f -> f.rpm(25).uncoveredFrom(Program.RPM, NOV.plusDays(14), "RPM consent revoked on 2026-11-15."), "99457", null),
                c("RPM consent revoked before the minutes: nothing",
                        f -> f.uncoveredFrom(Program.RPM, NOV.plusDays(2), "RPM consent revoked on 2026-11-03.").rpm(25), "", null),
                c("two practitioners in the P30", f -> f.dataDays(P30_START, 20).practitionerFrom(Program.RPM, NOV.plusDays(10), DR_TWO), "",
                        "2 billing practitioners"),
                c("two CCM practitioners in the month", f -> f.ccm(30).practitionerFrom(Program.CCM, NOV.plusDays(10), DR_TWO), "",
                        "only one may bill"),
                c("not enrolled: nothing", f -> f.uncoveredFrom(Program.RPM, LocalDate.of(2026, 1, 1), "Not enrolled in RPM.")
                        .uncoveredFrom(Program.CCM, LocalDate.of(2026, 1, 1), "Not enrolled in CCM.").dataDays(P30_START, 20), "", "Not enrolled in RPM."),
                // month boundaries and zones
                c("an entry across midnight of the month's end counts only its November part",
                        f -> f.interval(Program.RPM, LocalDate.of(2026, 11, 30).atTime(23, 51).atZone(Facts.CHICAGO).toInstant(),
                                LocalDate.of(2026, 12, 1).atTime(0, 15).atZone(Facts.CHICAGO).toInstant(), false, InteractionMode.PHONE), "",
                        "99470: 9 of 10 minutes."),
                c("a UTC December entry that is 30 November in Chicago counts in November",
                        f -> f.interval(Program.RPM, Instant.parse("2026-12-01T03:00:00Z"), Instant.parse("2026-12-01T03:20:00Z"), false,
                                InteractionMode.PHONE), "99457", null),
                c("the same entry in Berlin counts in December, not November", f -> f.zone("Europe/Berlin")
                        .interval(Program.RPM, Instant.parse("2026-12-01T03:00:00Z"), Instant.parse("2026-12-01T03:20:00Z"), false,
                                InteractionMode.PHONE), "", null)
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rule(Case c) {
        MonthRules rules = new MonthRules(c.settings.apply(BillingSettings.defaults()));
        MonthOutcome out = rules.evaluate(c.facts.apply(new Facts()).build());
        Map<String, Integer> billed = out.lines().stream().collect(Collectors.toMap(l -> l.code().cpt(), ClaimLine::units, Integer::sum, LinkedHashMap::new));
        assertThat(billed).as(c.name + "; reasons: " + out.notBilled()).containsExactlyInAnyOrderEntriesOf(c.billed);
        if (c.reason != null) {
            assertThat(out.notBilled().stream().map(NotBilled::reason).toList()).as(c.name).anySatisfy(r -> assertThat(r).contains(c.reason));
        }
        Invariants.check(out, rules.settings());
    }

    /** Issue 18: one minute figure per line: the text of a time line begins with its minutesCounted, and base + add-on add up to the month. */
    @Test
    void aTimeLineSaysItsOwnMinuteFigureFirst() {
        MonthRules rules = new MonthRules(BillingSettings.defaults());
        for (Facts f : List.of(new Facts().rpm(25), new Facts().rpm(45), new Facts().rpm(15), new Facts().ccm(25), new Facts().ccm(50),
                new Facts().pcm(75))) {
            MonthOutcome out = rules.evaluate(f.build());
            for (ClaimLine l : out.lines()) {
                if (l.minutesCounted() != null && !List.of("99458", "99439", "99437", "99489", "99425", "99427").contains(l.code().cpt())) {
                    assertThat(l.justification()).as(l.toString()).startsWith(l.code().cpt() + ": " + l.minutesCounted() + " ");
                }
            }
        }
        MonthOutcome rpm45 = rules.evaluate(new Facts().rpm(45).build());
        assertThat(line(rpm45, "99457").minutesCounted()).isEqualTo(25);
        assertThat(line(rpm45, "99457").justification()).isEqualTo("99457: 25 of the 45 minutes of RPM treatment management in 2026-11 with "
                + "interactive communication (20 on 99458).");
        assertThat(line(rpm45, "99458").minutesCounted()).isEqualTo(20);
        assertThat(line(rules.evaluate(new Facts().rpm(25).build()), "99457").minutesCounted()).isEqualTo(25);
    }

    /** Issue 18: two people logging the same minutes are counted once, and the reason says so. */
    @Test
    void concurrentTimeIsCountedOnceAndSaid() {
        MonthRules rules = new MonthRules(BillingSettings.defaults());
        MonthOutcome rpm = rules.evaluate(new Facts().time(Program.RPM, NOV.plusDays(9), 15, false, InteractionMode.PHONE)
                .time(Program.RPM, NOV.plusDays(9), 10, false, null).build());
        assertThat(line(rpm, "99470").minutesCounted()).isEqualTo(15);
        assertThat(line(rpm, "99470").justification()).contains("(10 minutes logged by two people at the same time counted once)");
        assertThat(rpm.notBilled().stream().map(NotBilled::reason).filter(r -> r.startsWith("99457:")).findFirst().orElseThrow())
                .isEqualTo("99457: 15 of 20 minutes (10 minutes logged by two people at the same time counted once); 99470 billed instead.");
        MonthOutcome ccm = rules.evaluate(new Facts().time(Program.CCM, NOV.plusDays(9), 25, false, null)
                .time(Program.CCM, NOV.plusDays(9), 10, false, null).build());
        assertThat(line(ccm, "99490").justification()).contains("(10 minutes logged by two people at the same time counted once)");
        MonthOutcome alone = rules.evaluate(new Facts().rpm(25).build());
        assertThat(line(alone, "99457").justification()).doesNotContain("same time");
    }

    /** Issue 18: whose minutes a line counts is said on it, and the practitioner's own 99091 minutes are all it counts. */
    @Test
    void practitionerOnlyLinesSayWhoseMinutesTheyCount() {
        MonthRules rules = new MonthRules(BillingSettings.defaults());
        MonthOutcome staff = rules.evaluate(new Facts().timeBy(Facts.DR_THREE, Program.CCM, NOV.plusDays(4), 30, null).build());
        assertThat(line(staff, "99490").justification()).isEqualTo("99490: 30 minutes of clinical staff time (30 minutes by Dr Cy Three, who is not "
                + "the enrolled billing practitioner, counted as clinical staff time) in 2026-11.");
        MonthOutcome own = rules.evaluate(new Facts().time(Program.CCM, NOV.plusDays(4), 30, true, null)
                .timeBy(Facts.DR_THREE, Program.CCM, NOV.plusDays(5), 20, null).build());
        assertThat(line(own, "99491").minutesCounted()).isEqualTo(30);
        assertThat(line(own, "99491").justification()).isEqualTo("99491: 30 minutes personally by the enrolled billing practitioner Dr Ada One (20 "
                + "minutes by Dr Cy Three, who is not the enrolled billing practitioner Dr Ada One, are not counted toward 99491) in 2026-11.");
        MonthOutcome rpm = rules.evaluate(new Facts().time(Program.RPM, NOV.plusDays(3), 30, true, null)
                .timeBy(Facts.DR_THREE, Program.RPM, NOV.plusDays(4), 30, null).build());
        assertThat(line(rpm, "99091").minutesCounted()).isEqualTo(30);
        assertThat(line(rpm, "99091").justification()).contains("30 minutes by Dr Cy Three, who is not the enrolled billing practitioner Dr Ada One, "
                + "are not counted toward 99091");
        // Without names on file the words still say what happened.
        PatientMonth unnamed = new Facts().timeBy(Facts.DR_THREE, Program.CCM, NOV.plusDays(4), 30, null).build();
        MonthOutcome anonymous = rules.evaluate(new PatientMonth(unnamed.patientId(), unnamed.month(), unnamed.zone(), unnamed.monitoringStart(),
                unnamed.dataDays(), unnamed.time(), unnamed.coverage(), unnamed.substantialCarePlanChanges(), unnamed.carePlanSince(),
                unnamed.setupBilledBefore(), unnamed.rpmManagementBilledLastMonth(), unnamed.asOf(), unnamed.encounters(), null));
        assertThat(anonymous.notBilled()).extracting(NotBilled::reason).contains("99491: 0 of 30 minutes personally by the enrolled billing "
                + "practitioner; 30 minutes by another physician/NPP, who is not the enrolled billing practitioner, are not counted toward 99491; they "
                + "count as clinical staff time toward 99490 instead (billing-rules.md 2.1).");
    }

    /** Issue 18: a CCM month's reasons are for the codes that could apply, and a blocking reason is said once. */
    @Test
    void ccmReasonsOnlyForCodesThatCouldApplyAndTheBlockOnce() {
        MonthRules rules = new MonthRules(BillingSettings.defaults());
        MonthOutcome staffOnly = rules.evaluate(new Facts().ccm(25).build());
        assertThat(reasonsOf(staffOnly, Program.CCM)).containsOnlyKeys("99439", "99487");
        assertThat(reasonsOf(staffOnly, Program.CCM).get("99439")).isEqualTo("99439: 25 of 40 minutes.");
        // The physician's own track is named once a physician logged CCM time.
        assertThat(reasonsOf(rules.evaluate(new Facts().ccm(25).time(Program.CCM, NOV.plusDays(3), 10, true, null).build()), Program.CCM))
                .containsOnlyKeys("99439", "99487", "99491");
        // Standard not reached: its reason and complex's, nothing for add-ons.
        assertThat(reasonsOf(rules.evaluate(new Facts().ccm(5).build()), Program.CCM)).containsOnlyKeys("99490", "99487");
        // Complex billed: the other tracks' bases say the minutes are on it, their add-ons nothing.
        MonthOutcome complex = rules.evaluate(new Facts().ccm(50).time(Program.CCM, NOV.plusDays(3), 30, true, null)
                .carePlanChangedOn(NOV.plusDays(2)).complexDecisionMaking("high").build());
        assertThat(reasonsOf(complex, Program.CCM)).containsOnlyKeys("99489", "99490", "99491");
        // No initiating visit: said once, under 99490, for every CCM code.
        MonthOutcome blocked = rules.evaluate(new Facts().ccm(45).time(Program.CCM, NOV.plusDays(3), 30, true, null).noVisits().build());
        assertThat(reasonsOf(blocked, Program.CCM)).containsOnlyKeys("99490");
        assertThat(blocked.notBilled().stream().filter(n -> n.reason().contains("no initiating visit"))).hasSize(1);
        assertThat(reasonsOf(blocked, Program.CCM).get("99490")).startsWith("99490: no initiating visit on record").endsWith("; record the visit.");
        // PCM the same way.
        MonthOutcome pcmBlocked = rules.evaluate(new Facts().pcm(40).noCarePlan().build());
        assertThat(reasonsOf(pcmBlocked, Program.PCM)).containsOnlyKeys("99426");
    }

    private static Map<String, String> reasonsOf(MonthOutcome out, Program program) {
        return out.notBilled().stream().filter(n -> n.code().program() == program).collect(Collectors.toMap(n -> n.code().cpt(), NotBilled::reason));
    }

    @Test
    void capsAreSaidOnTheLine() {
        MonthOutcome out = new MonthRules(BillingSettings.defaults()).evaluate(new Facts().ccm(100).build());
        assertThat(line(out, "99439").justification()).contains("capped at 2; 2 more not billed");
    }

    @Test
    void dateOfServiceIsThePeriodsLastDayOrTheLastCoveredDay() {
        MonthRules rules = new MonthRules(BillingSettings.defaults());
        MonthOutcome out = rules.evaluate(new Facts().dataDays(P30_START, 16).rpm(20).build());
        assertThat(line(out, "99454").dateOfService()).isEqualTo(LocalDate.of(2026, 11, 29));
        assertThat(line(out, "99454").periodStart()).isEqualTo(P30_START);
        assertThat(line(out, "99457").dateOfService()).isEqualTo(LocalDate.of(2026, 11, 30));
        MonthOutcome revoked = rules.evaluate(new Facts().rpm(25).uncoveredFrom(Program.RPM, NOV.plusDays(14), "revoked").build());
        assertThat(line(revoked, "99457").dateOfService()).isEqualTo(LocalDate.of(2026, 11, 14));
    }

    @Test
    void linesCarryDiagnosesNpiPlaceOfServiceAndCharge() {
        MonthOutcome out = new MonthRules(BillingSettings.defaults()).evaluate(new Facts().rpm(60).build());
        ClaimLine addon = line(out, "99458");
        assertThat(addon.diagnoses()).containsExactly("I10", "E11.9");
        assertThat(addon.billingNpi()).isEqualTo("1234567893");
        assertThat(addon.placeOfService()).isEqualTo("11");
        assertThat(addon.charge()).isEqualByComparingTo("74.14"); // 2 x 37.07
        assertThat(addon.minutesCounted()).isEqualTo(40);
    }

    @Test
    void periodsEndingInAMonth() {
        assertThat(MonthRules.periodsEndingIn(LocalDate.of(2026, 1, 1), YearMonth.of(2026, 2), LocalDate.of(2026, 2, 28))).isEmpty();
        assertThat(MonthRules.periodsEndingIn(LocalDate.of(2026, 1, 1), YearMonth.of(2026, 1), LocalDate.of(2026, 1, 31)))
                .extracting(p -> p.end()).containsExactly(LocalDate.of(2026, 1, 30));
        assertThat(MonthRules.periodsEndingIn(LocalDate.of(2026, 1, 1), YearMonth.of(2026, 3), LocalDate.of(2026, 3, 31)))
                .extracting(p -> p.end()).containsExactly(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 31));
        assertThat(MonthRules.periodsEndingIn(null, YearMonth.of(2026, 3), LocalDate.of(2026, 3, 31))).isEmpty();
    }

    static ClaimLine line(MonthOutcome out, String cpt) {
        return out.lines().stream().filter(l -> l.code().cpt().equals(cpt)).findFirst().orElseThrow(() -> new AssertionError(cpt + " not in " + out));
    }

    static List<String> cpts(MonthOutcome out) {
        return out.lines().stream().map(l -> l.code().cpt()).toList();
    }
}
