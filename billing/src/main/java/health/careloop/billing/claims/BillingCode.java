package health.careloop.billing.claims;

import health.careloop.clinical.consent.Program;

/** The CPT/HCPCS codes the engine considers (billing-rules.md sections 1.1 and 2.1), with the window each runs on. */
public enum BillingCode {
    /** RPM set-up and patient education; once per episode (billing-rules.md 1.1 [S30][S8]). */
    RPM_SETUP("99453", Program.RPM, Window.P30),
    /** RPM device supply, 16-30 data days in the P30 (1.1 [S10][S12]). */
    RPM_DEVICE_16("99454", Program.RPM, Window.P30),
    /** RPM device supply, 2-15 data days in the P30; new in CY2026 (1.1 [S2][S3][S6]). */
    RPM_DEVICE_2("99445", Program.RPM, Window.P30),
    /** RPM treatment management, first 20 minutes (1.1). */
    RPM_MANAGEMENT_20("99457", Program.RPM, Window.CALENDAR_MONTH),
    /** RPM treatment management, first 10 minutes; new in CY2026 (1.1 [S2][S3][S6]). */
    RPM_MANAGEMENT_10("99470", Program.RPM, Window.CALENDAR_MONTH),
    /** RPM treatment management add-on, each further 20 minutes (1.1). */
    RPM_MANAGEMENT_ADDON("99458", Program.RPM, Window.CALENDAR_MONTH),
    /** Physician/QHP collection and interpretation, >= 30 minutes each 30 days (1.1 [S16]). */
    RPM_PHYSICIAN_INTERPRETATION("99091", Program.RPM, Window.P30),
    /** CCM, first 20 minutes of clinical staff time (2.1 [S17][S18]). */
    CCM_STAFF_20("99490", Program.CCM, Window.CALENDAR_MONTH),
    /** CCM add-on, each further 20 minutes; at most 2 (2.1 [S24][S32]). */
    CCM_STAFF_ADDON("99439", Program.CCM, Window.CALENDAR_MONTH),
    /** CCM, first 30 minutes personally by a physician/QHP (2.1 [S18]). */
    CCM_PHYSICIAN_30("99491", Program.CCM, Window.CALENDAR_MONTH),
    /** CCM physician add-on, each further 30 minutes (2.1 [S15], cap to verify). */
    CCM_PHYSICIAN_ADDON("99437", Program.CCM, Window.CALENDAR_MONTH),
    /** Complex CCM, first 60 minutes, care plan established or substantially revised (2.1 [S17][S32]). */
    CCM_COMPLEX_60("99487", Program.CCM, Window.CALENDAR_MONTH),
    /** Complex CCM add-on, each further 30 minutes; no CMS cap found (2.1 [S30]). */
    CCM_COMPLEX_ADDON("99489", Program.CCM, Window.CALENDAR_MONTH),
    /** Add-on to the initiating visit: comprehensive assessment and care planning for CCM; once (2.1 [S18]). */
    CCM_INITIATING_ASSESSMENT("G0506", Program.CCM, Window.CALENDAR_MONTH),
    /** PCM, first 30 minutes personally by a physician/QHP (2.3 [S19][S28]). */
    PCM_PHYSICIAN_30("99424", Program.PCM, Window.CALENDAR_MONTH),
    /** PCM physician add-on, each further 30 minutes (2.3). */
    PCM_PHYSICIAN_ADDON("99425", Program.PCM, Window.CALENDAR_MONTH),
    /** PCM, first 30 minutes of clinical staff time (2.3). */
    PCM_STAFF_30("99426", Program.PCM, Window.CALENDAR_MONTH),
    /** PCM staff add-on, each further 30 minutes (2.3). */
    PCM_STAFF_ADDON("99427", Program.PCM, Window.CALENDAR_MONTH),
    /** APCM, at most one chronic condition; monthly, not time-based (2.3 [S26][S27]). */
    APCM_LEVEL_1("G0556", Program.APCM, Window.CALENDAR_MONTH),
    /** APCM, two or more chronic conditions (2.3). */
    APCM_LEVEL_2("G0557", Program.APCM, Window.CALENDAR_MONTH),
    /** APCM, two or more chronic conditions and a Qualified Medicare Beneficiary (2.3). */
    APCM_LEVEL_3("G0558", Program.APCM, Window.CALENDAR_MONTH);

    public enum Window { P30, CALENDAR_MONTH }

    private final String cpt;
    private final Program program;
    private final Window window;

    BillingCode(String cpt, Program program, Window window) {
        this.cpt = cpt;
        this.program = program;
        this.window = window;
    }

    public String cpt() {
        return cpt;
    }

    public Program program() {
        return program;
    }

    public Window window() {
        return window;
    }

    public static BillingCode ofCpt(String cpt) {
        for (BillingCode code : values()) {
            if (code.cpt.equals(cpt)) {
                return code;
            }
        }
        throw new IllegalArgumentException("Unknown code " + cpt);
    }
}
